// Three real Chromium tabs through the real mediasoup SFU, next to a three-tab mesh room in the
// same run: in SFU each tab uploads over one connection, in mesh over two.
import { expect, test } from '@playwright/test';
import { closeAll, expectEveryoneDecodesEveryone, openRoom, waitForPeerCount, type Participant } from './call-fixtures';

async function uploadShape(all: Participant[]) {
  return Promise.all(all.map(async (p) => {
    const s = await p.stats();
    return { connections: s.connections, uploadConnections: s.uploadConnections, bytesSent: s.bytesSent };
  }));
}

test('SFU tabs upload over one connection, mesh tabs over N-1', async ({ browser }) => {
  const stamp = Date.now();
  const sfu = await openRoom(browser, `sfu-${stamp}`, 'sfu', 3, 's');
  try {
    await expectEveryoneDecodesEveryone(sfu);
    for (const shape of await uploadShape(sfu)) {
      expect(shape).toMatchObject({ connections: 2, uploadConnections: 1 });
      expect(shape.bytesSent).toBeGreaterThan(0);
    }
    // A tab leaving: the others drop it (its producers close on the server).
    await sfu[2].close();
    await waitForPeerCount(sfu[0], 1);
    await waitForPeerCount(sfu[1], 1);
  } finally {
    await closeAll(sfu);
  }

  const mesh = await openRoom(browser, `mesh-${stamp}`, 'mesh', 3, 'm');
  try {
    await expectEveryoneDecodesEveryone(mesh);
    for (const shape of await uploadShape(mesh)) {
      expect(shape).toMatchObject({ connections: 2, uploadConnections: 2 });
      expect(shape.bytesSent).toBeGreaterThan(0);
    }
  } finally {
    await closeAll(mesh);
  }
});
