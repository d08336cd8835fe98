// The network lab (scripts/kit/lib/lab/) with real namespaces, real iptables NATs, the real server
// and real Chromium on separate lab hosts. Needs root (CI runs as root); skipped otherwise.
import { expect, test } from '@playwright/test';
import { listNamespaces } from '../../scripts/kit/lib/lab/netns';
import { NAT_KINDS } from '../../scripts/kit/lib/lab/topology';
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
    } finally {
      diff = await rig.close();
    }
    expect(diff, 'the host’s addresses, routes and firewall rules are as before').toEqual([]);
    expect(listNamespaces().filter((ns) => rig.lab.plan.namespaces.includes(ns))).toEqual([]);
  });

  test('mesh: a participant’s cable unplugged for 5 s, then the call carries on by itself', async () => {
    test.setTimeout(120_000);
    const rig = await openLabRig(['public', 'public']);
    try {
      const all = await rig.join(`lab-cut-${Date.now()}`, 'mesh');
      await expectEveryoneDecodesEveryone(all);
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
