// A class on the LAN, in the network lab: the server started with PUBLIC_HOST (the lab address,
// standing in for a LAN address) serves HTTPS with the certificate it generates, and everything
// derived from that one setting works from other hosts: pages, mesh and SFU calls, the managed
// coturn relaying on the LAN address, and the lobby's QR code. Needs root (CI runs as root).
import { expect, test } from '@playwright/test';
import { closeAll, expectEveryoneDecodesEveryone, openParticipant, waitForStatus, type Participant } from './call-fixtures';
import { openLabRig, requireLab } from './lab-fixtures';

test('PUBLIC_HOST: HTTPS with a generated certificate for the LAN address, calls in both modes, TURN on the LAN address, the QR code', async () => {
  requireLab();
  test.setTimeout(150_000);
  const rig = await openLabRig(['public', 'public'], { https: true, env: { TURN_MODE: 'managed' } });
  const people: Participant[] = [];
  try {
    const { lab, server } = rig;
    expect(server.labUrl).toMatch(/^https:\/\/198\.18\.0\.1:\d+$/);
    // The certificate is valid for the LAN address, checked against the generated CA (not ignored).
    const health = await lab.exec(lab.hosts[0].ns, ['curl', '-sS', '--max-time', '5', '--cacert', server.caFile!, `${server.labUrl}/healthz`]);
    expect(JSON.parse(health)).toEqual({ ok: true });
    // Plain http on the same port is not served.
    await expect(lab.exec(lab.hosts[0].ns, ['curl', '-sS', '--max-time', '5', `${server.labUrl.replace('https:', 'http:')}/healthz`])).rejects.toThrow();

    const lobby = await (await rig.browsers[0].newContext()).newPage();
    await lobby.goto(`${server.labUrl}/`);
    await expect(lobby.getByTestId('join-qr')).toHaveAttribute('data-url', `${server.labUrl}/`);
    await lobby.context().close();

    for (const [mode, extra] of [['mesh', ''], ['sfu', ''], ['mesh', '&relay=1']] as const) {
      const room = `lan-${mode}-${extra ? 'relay' : 'direct'}-${Date.now()}`;
      const call = [await openParticipant(rig.browsers[0], room, mode, 'h1', extra, server.labUrl), await openParticipant(rig.browsers[1], room, mode, 'h2', extra, server.labUrl)];
      people.push(...call);
      for (const p of call) await waitForStatus(p, 'joined');
      await expectEveryoneDecodesEveryone(call);
      if (extra) {
        // Relayed through the managed coturn, which listens and relays on the LAN address.
        const stats = await call[0].stats();
        expect(stats.connectionDetails.every((c) => c.localCandidateType === 'relay'), JSON.stringify(stats.connectionDetails)).toBe(true);
      }
      await closeAll(call);
    }
  } finally {
    await closeAll(people);
    expect(await rig.close()).toEqual([]);
  }
});
