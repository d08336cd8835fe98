// Several server nodes for real: a redis-server child on loopback and two node processes (the same
// server as `npm start`, started by the kit's cluster library), with real Chromium tabs on both.
// A mesh room and an SFU room with participants on both nodes decode everywhere; in the SFU room
// each stream crosses between the nodes once, however many receive it there (read from /metrics);
// and a node killed with SIGKILL brings its participants back on the other node by themselves.
import { expect, test } from '@playwright/test';
import { startRedis, type RedisHandle } from '../../scripts/kit/lib/cluster/redis-server';
import { startNodes, type Nodes } from '../../scripts/kit/lib/cluster/nodes';
import { metricValue } from '../../scripts/kit/lib/server-process';
import { closeAll, expectEveryoneDecodesEveryone, openParticipant, waitForStatus, type Participant } from './call-fixtures';

test.describe.configure({ mode: 'serial' });

let redis: RedisHandle | null = null;
let cluster: Nodes | null = null;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  redis = await startRedis();
  // RTC ports apart from the suite's own server (40000-40999).
  cluster = await startNodes({ count: 2, redisUrl: redis.url, rtcBasePort: 44000, env: { RESUME_GRACE_SEC: '20', SFU_NUM_WORKERS: '1' } });
});
test.afterAll(async () => {
  await cluster?.stop();
  await redis?.stop();
});

const node = (i: number) => cluster!.nodes[i];
const nodeOf = async (p: Participant) => (await p.page.evaluate(() => window.__call!.getSnapshot())).node;

/** Opens participants in order, each on the node its entry names (0 or 1). */
async function openSpread(browser: Parameters<typeof openParticipant>[0], room: string, mode: 'mesh' | 'sfu', onNodes: number[]): Promise<Participant[]> {
  const all: Participant[] = [];
  for (const [i, n] of onNodes.entries()) {
    const p = await openParticipant(browser, room, mode, `${'abcdef'[i]}${n + 1}`, '', node(n).url);
    await waitForStatus(p, 'joined');
    all.push(p);
  }
  return all;
}

async function metrics(i: number): Promise<string> {
  return (await fetch(`${node(i).url}/metrics`)).text();
}

test('mesh: one room with participants on both nodes; everyone decodes everyone', async ({ browser }) => {
  const all = await openSpread(browser, `cluster-mesh-${Date.now()}`, 'mesh', [0, 1, 1]);
  try {
    await expectEveryoneDecodesEveryone(all);
    expect(await Promise.all(all.map(nodeOf))).toEqual(['node-1', 'node-2', 'node-2']);
    // The roster says who sits where, on both nodes' participants.
    const roster = (await all[0].snapshot()).peers as unknown as { name: string; node?: string }[];
    expect(roster.map((p) => [p.name, p.node]).sort()).toEqual([['b2', 'node-2'], ['c2', 'node-2']]);
  } finally {
    await closeAll(all);
  }
});

test('SFU: a room cascaded over both nodes decodes everywhere, and each stream crosses once', async ({ browser }) => {
  const all = await openSpread(browser, `cluster-sfu-${Date.now()}`, 'sfu', [0, 1, 1]);
  try {
    await expectEveryoneDecodesEveryone(all);
    // a1 on node-1 sends audio and video: piped to node-2 once, although b2 and c2 both receive it.
    // b2 and c2 send two each to node-1, where a1 alone receives them.
    const pipes = async () => {
      const [one, two] = await Promise.all([metrics(0), metrics(1)]);
      return {
        toNode2: metricValue(one, 'cluster_piped_producers', { node: 'node-2', direction: 'out' }),
        atNode2: metricValue(two, 'cluster_piped_producers', { node: 'node-1', direction: 'in' }),
        toNode1: metricValue(two, 'cluster_piped_producers', { node: 'node-1', direction: 'out' }),
        atNode1: metricValue(one, 'cluster_piped_producers', { node: 'node-2', direction: 'in' }),
      };
    };
    await expect.poll(pipes, { message: 'producers piped between the nodes' }).toEqual({ toNode2: 2, atNode2: 2, toNode1: 4, atNode1: 4 });
    const crossed = metricValue(await metrics(0), 'cluster_pipe_bytes', { node: 'node-2', direction: 'out' });
    expect(crossed, 'bytes of a1 piped to node-2').toBeGreaterThan(10_000);
    // The ping channels are piped too: a1 on node-1 measures a round trip to each participant of node-2.
    const pings = () => all[0].page.evaluate(() => Object.values(window.__call!.getSample()?.pingRtt ?? {}).filter((v) => typeof v === 'number').length);
    await expect.poll(pings, { message: 'a1 pings b2 and c2 across the cascade' }).toBe(2);
    await expect.poll(async () => metricValue(await metrics(1), 'cluster_piped_data_producers', { node: 'node-1', direction: 'in' }), { message: 'a1 ping channel piped to node-2 once' }).toBe(1);
    // On screen: one SFU per node, the cascade between them, and the sentence that explains it.
    const page = all[0].page;
    await page.getByTestId('stats-toggle').click();
    await expect(page.getByTestId('topology-hub')).toHaveCount(2);
    await expect(page.getByTestId('topology-cascade')).toHaveCount(1);
    await expect(page.getByTestId('cluster-note')).toContainText('spans 2 server nodes (node-1, node-2)');
  } finally {
    await closeAll(all);
  }
});

test('a killed node: its participants come back on the other node by themselves, in mesh and SFU rooms', async ({ browser }) => {
  test.setTimeout(180_000);
  const mesh = await openSpread(browser, `cluster-kill-mesh-${Date.now()}`, 'mesh', [0, 1]);
  const sfu = await openSpread(browser, `cluster-kill-sfu-${Date.now()}`, 'sfu', [0, 1]);
  const all = [...mesh, ...sfu];
  try {
    await expectEveryoneDecodesEveryone(mesh);
    await expectEveryoneDecodesEveryone(sfu);
    const meshIds = await Promise.all(mesh.map(async (p) => (await p.snapshot()).selfId));
    await node(1).kill('SIGKILL');
    for (const p of all) {
      await expect.poll(() => nodeOf(p), { message: `${p.name} on the surviving node`, timeout: 60_000 }).toBe('node-1');
      await expect.poll(async () => (await p.page.evaluate(() => window.__call!.getSnapshot())).signaling, { message: `${p.name} signaling back`, timeout: 60_000 }).toBe('connected');
    }
    // Mesh media never went through the node: the same seats resumed (same peer ids).
    expect(await Promise.all(mesh.map(async (p) => (await p.snapshot()).selfId))).toEqual(meshIds);
    await expectEveryoneDecodesEveryone(mesh);
    // SFU media died with the node: b2 joined again on node-1's SFU.
    await expectEveryoneDecodesEveryone(sfu, 60_000);
  } finally {
    await closeAll(all);
  }
});
