// Seeded fuzzing of the auto-room and E2EE requests (join with mode auto, sfuAbove or e2ee,
// e2ee:key, sfu:release) from members of an E2EE room, members of an auto room and outsiders, over
// a real SFU. Every request is answered with a known code (never INTERNAL), only valid ones
// succeed, the rooms keep their members, and only a well-formed key from a member reaches anyone.
import { expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { E2eeKeyMessage, Result } from '../../../signaling/protocol';
import { fuzzer, refusedWithKnownCode, seeded } from '../helpers/fuzzer';
import { joinAs, record, request } from '../helpers/signaling-harness';
import { useSfuHarness } from '../helpers/sfu-harness';

const rig = useSfuHarness();
const PUBLIC_KEY = 'B'.repeat(87);

it('answers every fuzzed auto and E2EE request with a known code and accepts only valid ones', { timeout: 60_000 }, async () => {
  const join = (roomId: string, name: string, extra: Record<string, unknown>) => joinAs(rig.h, { roomId, name, ...extra });
  const a = await join('fz-e2ee', 'A', { mode: 'sfu', e2ee: true });
  const b = await join('fz-e2ee', 'B', { mode: 'sfu', e2ee: true });
  const c = await join('fz-auto', 'C', { mode: 'auto', sfuAbove: 3 });
  const d = await join('fz-auto', 'D', { mode: 'auto' });
  const keysAtB = record<E2eeKeyMessage>(b.socket, 'e2ee:key');
  const senders: Record<string, Socket> = { a: a.socket, c: c.socket, outsider: await rig.h.client() };
  const { pick, mutate } = fuzzer(seeded(20261124));
  let validKeys = 0;

  for (let i = 0; i < 300; i++) {
    const [event, valid] = pick<[string, Record<string, unknown>]>([
      ['e2ee:key', { to: b.reply.selfId, publicKey: PUBLIC_KEY }],
      ['e2ee:key', { to: b.reply.selfId, publicKey: PUBLIC_KEY, mediaKey: { keyId: 1, iv: 'A'.repeat(16), wrapped: 'C'.repeat(43) } }],
      ['sfu:release', {}],
      ['join', { roomId: 'fz-auto', name: 'Eve', mode: 'auto', sfuAbove: 2 }],
      ['join', { roomId: 'fz-e2ee', name: 'Eve', mode: 'sfu', e2ee: false }],
    ]);
    const payload = mutate(valid) as Record<string, unknown>;
    const who = pick(['a', 'c', 'outsider'] as const);
    const result = (await request(senders[who], event, payload)) as Result<unknown>;
    const what = `${who} ${event} ${JSON.stringify(payload)}`;
    if (refusedWithKnownCode(result, what)) continue;
    // What may succeed: a member of the E2EE room sending B a key, the auto room's member releasing
    // its SFU media, and an outsider joining some room (it leaves again at once).
    if (event === 'e2ee:key') {
      expect(who, what).toBe('a');
      validKeys++;
    } else if (event === 'sfu:release') expect(who, what).toBe('c');
    else {
      expect([who, event], what).toEqual(['outsider', 'join']);
      await request(senders.outsider, 'leave', {});
    }
  }

  expect((await rig.h.server.rooms.roster('fz-e2ee')).map((p) => p.name)).toEqual(['A', 'B']);
  expect((await rig.h.server.rooms.roster('fz-auto')).map((p) => p.name)).toEqual(['C', 'D']);
  await new Promise((r) => setTimeout(r, 200));
  // B heard exactly the keys the server accepted, each stamped with A as its sender.
  expect(validKeys, "some fuzzed keys stayed valid (the success path ran)").toBeGreaterThan(0);
  expect(keysAtB.length).toBe(validKeys);
  for (const key of keysAtB) expect(key.from).toBe(a.reply.selfId);
  expect(d.reply.auto?.threshold).toBe(3);
});
