// The network lab (scripts/kit/lib/lab/) with real namespaces, real iptables NATs, the real server
// and real Chromium on separate lab hosts. Needs root (CI runs as root); skipped otherwise.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Mode } from '../../scripts/kit/lib/browser/room-url';
import { writeParticipantVideos } from '../../scripts/kit/lib/browser/y4m';
import { launchOnHosts, runCell, type CellResult } from '../../scripts/kit/lib/lab/call-cell';
import { labUnavailable, openLab, type IceSetup, type Lab } from '../../scripts/kit/lib/lab/lab';
import { listNamespaces } from '../../scripts/kit/lib/lab/netns';
import { NAT_KINDS, SERVER_IP, type LabHost, type NatKind } from '../../scripts/kit/lib/lab/topology';
import { expectEveryoneDecodesEveryone, framesByPeer } from './call-fixtures';
import { openLabRig, requireLab } from './lab-fixtures';

test.describe('network lab', () => {
  test.beforeEach(() => requireLab());

  test('builds every NAT kind, reaches the server from each host, and leaves nothing behind', async () => {
    test.setTimeout(90_000);
    const rig = await openLabRig(NAT_KINDS);
    let diff: string[] = ['never closed'];
    try {
      expect(rig.lab.hosts.map((h) => h.nat)).toEqual([...NAT_KINDS]);
      // Each host reaches the server's HTTP port across its router (TCP passes every NAT kind).
      for (const host of rig.lab.hosts) {
        const body = await rig.lab.exec(host.ns, ['curl', '-sS', '--max-time', '5', `${rig.server.labUrl}/readyz`]);
        expect(JSON.parse(body), `${host.name} (${host.nat}) reaches the server`).toMatchObject({ ready: true });
      }
      // A NATed host is private: the server host cannot reach it (no route into 10.x), a public one it can.
      const ping = (to: string) =>
        rig.lab.exec(rig.lab.plan.server.ns, ['ping', '-c', '1', '-W', '1', to]).then(
          () => true,
          () => false,
        );
      expect(await ping(rig.lab.hosts[0].ip)).toBe(true);
      expect(await ping(rig.lab.hosts[3].ip)).toBe(false);
      // Delay on a cable holds every packet both ways (NFQUEUE here, netem where the kernel has it):
      // 30 ms each way puts the round trip above 60 ms. -U times user space to user space, since
      // ping's kernel receive timestamp is taken before the INPUT hook that holds the reply.
      await rig.lab.shape(rig.lab.hosts[0], { delayMs: 30 });
      const out = await rig.lab.exec(rig.lab.hosts[0].ns, ['ping', '-U', '-c', '4', '-i', '0.2', SERVER_IP]);
      const min = Number(/= ([\d.]+)\//.exec(out)?.[1]);
      expect(min, out).toBeGreaterThanOrEqual(59);
    } finally {
      diff = await rig.close();
    }
    expect(diff, 'the host’s addresses, routes and firewall rules are as before').toEqual([]);
    expect(listNamespaces().filter((ns) => rig.lab.plan.namespaces.includes(ns))).toEqual([]);
  });

  test('a lab left behind by a SIGKILLed process is swept by the next lab', async () => {
    test.setTimeout(60_000);
    // A separate process builds a lab and is killed before it can tear anything down.
    const script = `import { openLab } from './scripts/kit/lib/lab/lab.ts'; const lab = await openLab(['symmetric'], { turn: false }); console.log(JSON.stringify(lab.plan.namespaces)); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const left: string[] = await new Promise((resolve, reject) => {
      child.stdout.once('data', (d: Buffer) => resolve(JSON.parse(d.toString())));
      child.once('exit', (code) => reject(new Error(`the lab process exited early (${code})`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(listNamespaces()).toEqual(expect.arrayContaining(left));
    const next = await openLab(['public'], { turn: false });
    try {
      expect(listNamespaces().filter((ns) => left.includes(ns))).toEqual([]);
    } finally {
      expect(await next.close()).toEqual([]);
    }
  });

  test('mesh: a browser outside the lab watches the room; a participant’s cable unplugged for 5 s, then the call carries on by itself', async ({ page }) => {
    test.setTimeout(120_000);
    const token = 'lab-operator-token-for-e2e';
    const rig = await openLabRig(['public', 'port-restricted'], { env: { OPERATOR_TOKEN: token } });
    try {
      const room = `lab-cut-${Date.now()}`;
      const all = await rig.join(room, 'mesh');
      await expectEveryoneDecodesEveryone(all);

      // This page runs in the root namespace: it reaches the lab's server only through the bridge,
      // and sees the room without being in the call. A wrong token is refused in words.
      await page.goto(`${rig.server.url}/watch?room=${room}`);
      await page.getByTestId('watch-token').fill('not-the-token-at-all');
      await page.getByTestId('watch-start').click();
      await expect(page.getByTestId('watch-error')).toHaveAttribute('data-code', 'FORBIDDEN');
      await page.getByTestId('watch-token').fill(token);
      await page.getByTestId('watch-start').click();
      await expect(page.getByTestId('watch-room-view')).toHaveAttribute('data-mode', 'mesh');
      // Each participant's shared path: h1 is public (host), h2 behind its NAT (srflx or prflx).
      await expect.poll(async () => (await page.getByTestId('room-path').allTextContents()).sort(), { timeout: 20_000 }).toEqual([
        expect.stringMatching(/^host$/),
        expect.stringMatching(/^(srflx|prflx)$/),
      ]);
      // The room's shape too: two participants, one direct mesh link, nobody marked "you".
      await expect(page.getByTestId('topology')).toHaveAttribute('data-mode', 'mesh');
      await expect(page.getByTestId('topology-link')).toHaveCount(1);
      await expect(page.getByTestId('topology-link')).toHaveAttribute('data-relayed', 'false');
      const ids = await Promise.all(all.map(async (p) => (await p.snapshot()).selfId));
      const replug = await rig.lab.unplug(rig.lab.hosts[0]);
      const during = await framesByPeer(all[1]);
      await new Promise((r) => setTimeout(r, 5_000));
      // Unplugged means unplugged: h2 got (almost) no video from h1 meanwhile.
      expect((await framesByPeer(all[1])).h1 - during.h1).toBeLessThan(25);
      await replug();
      const before = await Promise.all(all.map(framesByPeer));
      for (const [i, p] of all.entries()) {
        await expect
          .poll(async () => Object.entries(await framesByPeer(p)).every(([name, n]) => n > before[i][name] + 10), { message: `${p.name}: video moves again`, timeout: 45_000 })
          .toBe(true);
        expect(await p.snapshot()).toMatchObject({ status: 'joined', selfId: ids[i], error: null });
      }
    } finally {
      expect(await rig.close()).toEqual([]);
    }
  });
});

// The traversal matrix's key cells (npm run lab:matrix runs them all): two participants on two
// lab hosts, real Chromium, the lab's coturn from the hardened production config.
test.describe('NAT traversal in the lab', () => {
  test.describe.configure({ mode: 'serial' });
  let lab: Lab | null = null;
  let videoDir = '';
  let videos: string[] = [];
  const host = (nat: NatKind, n = 0) => lab!.hosts.filter((h) => h.nat === nat)[n];

  test.beforeAll(async () => {
    if (labUnavailable()) return;
    videoDir = mkdtempSync(join(tmpdir(), 'lab-cells-'));
    videos = writeParticipantVideos(videoDir, 2);
    lab = await openLab(['port-restricted', 'port-restricted', 'symmetric', 'symmetric', 'udp-blocked', 'public']);
  });
  test.afterAll(async () => {
    if (videoDir) rmSync(videoDir, { recursive: true, force: true });
    if (lab) expect(await lab.close()).toEqual([]);
  });
  test.beforeEach(() => requireLab());

  /** One call between two hosts against a server with the given ICE setup. */
  async function call(ice: IceSetup, mode: Mode, a: LabHost, b: LabHost, timeoutMs = 25_000) {
    const server = await lab!.startServer({ ice });
    const slots = await launchOnHosts(lab!, server, [a, b], videos);
    try {
      return await runCell({ server, hosts: [a, b], slots: [slots[0], slots[1]], mode, timeoutMs });
    } finally {
      await Promise.all(slots.map((s) => s.close()));
      await server.stop();
    }
  }
  const locals = (r: CellResult) => r.sides.map((s) => s.path?.local);

  test('STUN only: cone ↔ cone punches through (server-reflexive), symmetric ↔ symmetric finds no path', async () => {
    test.setTimeout(120_000);
    const cones = await call('stun', 'mesh', host('port-restricted', 0), host('port-restricted', 1));
    expect(cones.connected, JSON.stringify(cones)).toBe(true);
    // The side whose check got through first may see the other as peer-reflexive; nobody is relayed.
    expect(locals(cones).every((t) => t === 'srflx' || t === 'prflx'), JSON.stringify(cones)).toBe(true);
    expect(locals(cones)).toContain('srflx');
    const symmetric = await call('stun', 'mesh', host('symmetric', 0), host('symmetric', 1));
    expect(symmetric.connected, JSON.stringify(symmetric)).toBe(false);
  });

  test('TURN: symmetric ↔ symmetric relays; a UDP-blocked host relays over TCP', async () => {
    test.setTimeout(120_000);
    const symmetric = await call('turn', 'mesh', host('symmetric', 0), host('symmetric', 1));
    expect(symmetric.connected, JSON.stringify(symmetric)).toBe(true);
    // Through a TURN relay: ours, or the other side's (a symmetric NAT may reach the other's relay
    // address straight from its own mapped one, as a peer-reflexive candidate; which pair wins depends
    // on timing). Without TURN there is no path at all (the STUN test above).
    expect(symmetric.sides.some((s) => s.path?.relayed || s.path?.remote === 'relay'), JSON.stringify(symmetric)).toBe(true);
    const blocked = await call('turn', 'mesh', host('udp-blocked'), host('public'));
    expect(blocked.connected, JSON.stringify(blocked)).toBe(true);
    expect(blocked.sides[0].path, JSON.stringify(blocked)).toMatchObject({ local: 'relay', protocol: 'tcp', relayed: true });
  });

  test('SFU: symmetric ↔ symmetric works without TURN (each side only dials the public SFU)', async () => {
    test.setTimeout(90_000);
    const r = await call('stun', 'sfu', host('symmetric', 0), host('symmetric', 1));
    expect(r.connected, JSON.stringify(r)).toBe(true);
    expect(r.sides.every((s) => s.path && !s.path.relayed && s.path.remote === 'host'), JSON.stringify(r)).toBe(true);
  });

  test('a wrong TURN secret: symmetric ↔ symmetric fails, and each page says TURN refused its credentials', async () => {
    test.setTimeout(90_000);
    const r = await call('turn-wrong-secret', 'mesh', host('symmetric', 0), host('symmetric', 1), 20_000);
    expect(r.connected, JSON.stringify(r)).toBe(false);
    expect(r.sides.map((s) => s.turnProblem)).toEqual(['TURN_AUTH_FAILED', 'TURN_AUTH_FAILED']);
  });
});
