// MeshLink's perfect negotiation, two links wired to each other through their send hooks.
// Mocked, because browsers' WebRTC does not exist in Node: RTCPeerConnection is the small spec-shaped
// fake in fake-peer-connection.ts (signaling states, implicit SLD/rollback, negotiationneeded,
// trickle ICE; connection states are driven by the test), MediaStream is fake-media's stand-in and
// tracks come from fake-mediastreamtrack. The wire is this file's: each outgoing signal reaches the
// other link's handle() in a later task with the server's `from` stamp, or is held until flushed
// (to make both offers cross). Real: MeshLink, unchanged.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { WatchdogOptions } from '../../../app/lib/call/ice-watchdog';
import { MeshLink, type OutgoingSignal } from '../../../app/lib/call/mesh-link';
import { VIDEO_MAX_BITRATE } from '../../../app/lib/call/video-encodings';
import type { MeshSignal } from '../../../signaling/protocol';
import { fakeLocalStream, installFakeMediaStream } from './fake-media';
import {
  connectPeers, fakeOf, installFakeRTCPeerConnection, later, parseSdp, settle, type FakeRTCPeerConnection,
} from './fake-peer-connection';

type Name = 'alice' | 'bob';

interface SideSpec {
  initiator: boolean;
  /** Camera and microphone (default) or none. */
  media?: boolean;
  /** Created on the first signal from the other side, as MeshCall does for a peer that offers first. */
  lazy?: boolean;
  /** The ICE repair policy (short delays keep the repair tests fast); MeshLink's default otherwise. */
  repair?: WatchdogOptions;
}

interface Side {
  id: Name;
  other: Name;
  spec: SideSpec;
  link: MeshLink | null;
  sent: OutgoingSignal[];
  states: RTCPeerConnectionState[];
  streams: Array<MediaStream | null>;
  pings: unknown[];
  reply: (data: unknown) => string | null;
  held: MeshSignal[];
}

const links: MeshLink[] = [];
let warn: MockInstance;

beforeAll(() => {
  installFakeRTCPeerConnection();
  installFakeMediaStream();
});
afterAll(() => vi.unstubAllGlobals());
beforeEach(() => {
  // MeshLink reports failed signals with console.warn: a call means an exception escaped a step.
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(async () => {
  for (const link of links.splice(0)) link.close();
  await settle();
  vi.restoreAllMocks();
});

/** Two links, alice and bob; 'alice' < 'bob', so alice is the polite side, as MeshCall decides. */
function meshPair(alice: SideSpec, bob: SideSpec, opts: { hold?: boolean } = {}) {
  let hold = opts.hold ?? false;
  const side = (id: Name, other: Name, spec: SideSpec): Side => ({
    id, other, spec, link: null, sent: [], states: [], streams: [], pings: [], reply: () => null, held: [],
  });
  const sides: Record<Name, Side> = { alice: side('alice', 'bob', alice), bob: side('bob', 'alice', bob) };

  const create = (s: Side, initiator: boolean) => {
    const stream = s.spec.media === false ? null : fakeLocalStream();
    s.link = new MeshLink(s.other, s.id < s.other, initiator, { iceServers: [] }, stream, {
      send: (signal) => {
        s.sent.push(signal);
        route(s, signal);
      },
      onStream: (st) => s.streams.push(st),
      onScreen: () => undefined,
      onState: (state) => s.states.push(state),
      onPing: (data) => {
        s.pings.push(data);
        return s.reply(data);
      },
    }, s.spec.repair);
    links.push(s.link);
  };
  const deliver = (to: Side, signal: MeshSignal) => {
    if (!to.link) create(to, false);
    to.link!.handle(signal);
  };
  const route = (from: Side, signal: OutgoingSignal) => {
    const to = sides[from.other];
    const stamped = { ...signal, from: from.id } as MeshSignal; // the server stamps `from`
    if (hold) to.held.push(stamped);
    else later(() => deliver(to, stamped));
  };

  for (const s of Object.values(sides)) if (!s.spec.lazy) create(s, s.spec.initiator);
  return {
    ...sides,
    create: (name: Name) => create(sides[name], sides[name].spec.initiator),
    /** Delivers what is held for these sides, in arrival order. */
    flush: (...names: Name[]) => {
      for (const name of names) for (const signal of sides[name].held.splice(0)) deliver(sides[name], signal);
    },
    /** Stops holding and delivers everything held, to both sides in the same task. */
    release: () => {
      hold = false;
      for (const name of ['alice', 'bob'] as const) for (const signal of sides[name].held.splice(0)) deliver(sides[name], signal);
    },
  };
}

const pc = (s: Side): FakeRTCPeerConnection => fakeOf(s.link!.pc);

/** Alice offers, bob answers (his link made by her offer), and both read connected. */
async function connectedPair(repair: WatchdogOptions) {
  const p = meshPair({ initiator: true, repair }, { initiator: false, lazy: true, repair });
  await settle();
  const [alice, bob] = [pc(p.alice), pc(p.bob)];
  connectPeers(alice, bob);
  return { p, alice, bob };
}
const descriptions = (s: Side) => s.sent.flatMap((m) => ('description' in m ? [m.description.type] : []));
const kinds = (sdp: string | undefined) => parseSdp(sdp ?? '').lines.map((l) => l.kind);

/** Both stable, each side's local description is the other's remote one, one offer and one answer. */
function expectAgreed(a: FakeRTCPeerConnection, b: FakeRTCPeerConnection): void {
  expect([a.signalingState, b.signalingState]).toEqual(['stable', 'stable']);
  expect(a.localDescription).toEqual(b.remoteDescription);
  expect(b.localDescription).toEqual(a.remoteDescription);
  expect([a.localDescription?.type, b.localDescription?.type].sort()).toEqual(['answer', 'offer']);
}

/** Every candidate of `from`'s latest gathering was applied by `to`, in order, none missing. */
function expectCandidatesDelivered(from: FakeRTCPeerConnection, to: FakeRTCPeerConnection): void {
  const latest = from.gatherings.at(-1) ?? [];
  expect(latest).toHaveLength(2);
  expect(to.addedCandidates.slice(-latest.length)).toEqual(latest);
  expect(to.endOfCandidates).toBeGreaterThanOrEqual(1);
}

describe('MeshLink: one initiator, one answerer', () => {
  it.each(['alice', 'bob'] as const)('%s offers, the other (created by the offer) answers; both end stable', async (initiator) => {
    const answerer: Name = initiator === 'alice' ? 'bob' : 'alice';
    const p = meshPair({ initiator: initiator === 'alice', lazy: answerer === 'alice' }, { initiator: initiator === 'bob', lazy: answerer === 'bob' });
    await settle();
    const [o, a] = [pc(p[initiator]), pc(p[answerer])];

    expectAgreed(o, a);
    expect(o.localDescription?.type).toBe('offer');
    expect(o.history).toEqual(['SLD:offer', 'SRD:answer']);
    expect(a.history).toEqual(['SRD:offer', 'SLD:answer']);
    expect(descriptions(p[initiator])).toEqual(['offer']);
    expect(descriptions(p[answerer])).toEqual(['answer']); // its own addTrack never turned into an offer
    expect(kinds(o.localDescription?.sdp)).toEqual(['audio', 'video', 'application']);

    // Trickle ICE: every candidate arrives after its description, none rejected, none lost.
    expectCandidatesDelivered(o, a);
    expectCandidatesDelivered(a, o);
    expect([...o.rejectedCandidates, ...a.rejectedCandidates]).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('publishes the remote tracks as one stream and drops a track that ends', async () => {
    const p = meshPair({ initiator: true }, { initiator: false, lazy: true });
    await settle();
    const last = p.bob.streams.at(-1);
    expect(last?.getTracks().map((t) => t.kind).sort()).toEqual(['audio', 'video']);

    const video = pc(p.bob).transceivers.find((t) => t.kind === 'video')!.receiverTrack;
    video.remoteStop(); // fires 'ended'
    expect(p.bob.streams.at(-1)?.getTracks().map((t) => t.kind)).toEqual(['audio']);
  });

  it('caps each video sender at VIDEO_MAX_BITRATE once a description made its encoding exist', async () => {
    const p = meshPair({ initiator: true }, { initiator: false, lazy: true });
    await settle();
    for (const s of [p.alice, p.bob]) {
      const video = pc(s).getSenders().find((x) => x.track?.kind === 'video')!;
      expect(video.encodings).toEqual([{ active: true, maxBitrate: VIDEO_MAX_BITRATE }]);
    }
  });

  it('an initiator without media asks for the remote media (recvonly) and receives it', async () => {
    const p = meshPair({ initiator: true, media: false }, { initiator: false, lazy: true });
    await settle();
    expectAgreed(pc(p.alice), pc(p.bob));
    expect(parseSdp(pc(p.alice).localDescription!.sdp!).lines.map((l) => l.direction).slice(0, 2)).toEqual(['recvonly', 'recvonly']);
    expect(p.alice.streams.at(-1)?.getTracks()).toHaveLength(2);
    expect(warn).not.toHaveBeenCalled();
  });

  it('an answerer without media adds no m-lines of its own, so it answers and never renegotiates', async () => {
    const p = meshPair({ initiator: true }, { initiator: false, media: false, lazy: true });
    await settle();
    expectAgreed(pc(p.alice), pc(p.bob));
    expect(descriptions(p.bob)).toEqual(['answer']);
    expect(kinds(pc(p.bob).localDescription?.sdp)).toEqual(['audio', 'video', 'application']);
    expect(parseSdp(pc(p.bob).localDescription!.sdp!).lines.map((l) => l.direction).slice(0, 2)).toEqual(['recvonly', 'recvonly']);
    expect(p.bob.streams.at(-1)?.getTracks()).toHaveLength(2);
  });

  it('a stale answer arriving in stable is refused inside the link, not thrown, and later signals still apply', async () => {
    const p = meshPair({ initiator: true }, { initiator: false, lazy: true });
    await settle();
    const answer = p.bob.sent.find((m) => 'description' in m)!;
    p.alice.link!.handle({ ...answer, from: 'bob' } as MeshSignal);
    p.alice.link!.handle({ candidate: null, from: 'bob' });
    await settle();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][3])).toMatch(/wrong state: stable/);
    expect(pc(p.alice).endOfCandidates).toBe(2); // the signal after the refused one was applied
  });
});

describe('MeshLink: glare (both sides offer at once)', () => {
  it.each([true, false])('with media=%s: the polite side rolls back and answers, the impolite one ignores the colliding offer', async (media) => {
    const p = meshPair({ initiator: true, media }, { initiator: true, media }, { hold: true });
    await settle();
    expect([pc(p.alice).signalingState, pc(p.bob).signalingState]).toEqual(['have-local-offer', 'have-local-offer']);

    p.release(); // both offers cross on the wire
    await settle();
    const [alice, bob] = [pc(p.alice), pc(p.bob)];

    expectAgreed(alice, bob);
    expect(warn).not.toHaveBeenCalled(); // no exception escaped a step
    expect(alice.history.slice(0, 4)).toEqual(['SLD:offer', 'rollback', 'SRD:offer', 'SLD:answer']);
    expect(bob.history.slice(0, 2)).toEqual(['SLD:offer', 'SRD:answer']);
    expect(bob.history).not.toContain('rollback');
    if (media) {
      // addTrack's transceivers are reused by bob's m-lines: one settled offer/answer pair, no more.
      expect(bob.history).toEqual(['SLD:offer', 'SRD:answer']);
      expect(descriptions(p.bob)).toEqual(['offer']);
      expect(descriptions(p.alice)).toEqual(['offer', 'answer']);
      expect(kinds(bob.localDescription?.sdp)).toEqual(['audio', 'video', 'application']);
    } else {
      // addTransceiver's recvonly m-lines cannot be reused (JSEP): alice renegotiates them afterwards.
      expect(descriptions(p.alice)).toEqual(['offer', 'answer', 'offer']);
      expect(descriptions(p.bob)).toEqual(['offer', 'answer']);
      expect(kinds(alice.localDescription?.sdp)).toEqual(['audio', 'video', 'application', 'audio', 'video']);
    }
    expectCandidatesDelivered(alice, bob);
    expectCandidatesDelivered(bob, alice);
  });

  it.each(['alice', 'bob'] as const)('an offer arriving while %s is still making its own offer (makingOffer) is a collision too', async (late) => {
    const early: Name = late === 'alice' ? 'bob' : 'alice';
    const p = meshPair({ initiator: true, lazy: true }, { initiator: true, lazy: true }, { hold: true });
    p.create(early);
    await settle(); // the early side's offer waits on the wire
    p.create(late);
    const fake = pc(p[late]);
    const original = fake.setLocalDescription.bind(fake);
    // The moment the late side starts its offer, the early side's offer is handed to it.
    fake.setLocalDescription = (d?: RTCSessionDescriptionInit) => {
      const result = original(d);
      fake.setLocalDescription = original;
      p.flush(late);
      return result;
    };
    await settle();
    p.release();
    await settle();

    expectAgreed(pc(p.alice), pc(p.bob));
    expect(warn).not.toHaveBeenCalled();
    expect(pc(p.alice).history).toContain('rollback'); // polite alice yields whichever side was late
    expect(pc(p.bob).history).toEqual(['SLD:offer', 'SRD:answer']);
    expect(descriptions(p.bob)).toEqual(['offer']);
  });

  it.each(['alice', 'bob'] as const)('an answerer (%s) created before the offer arrives offers its own tracks too; the glare settles', async (answerer) => {
    // MeshCall creates an answering link on the offer itself; this is the case where it would not.
    const p = meshPair({ initiator: answerer !== 'alice' }, { initiator: answerer !== 'bob' }, { hold: true });
    await settle();
    expect(descriptions(p[answerer])).toEqual(['offer']); // addTrack fired negotiationneeded
    p.release();
    await settle();
    expectAgreed(pc(p.alice), pc(p.bob));
    expect(pc(p.alice).dataNegotiated && pc(p.bob).dataNegotiated).toBe(true);
    expect([pc(p.alice).channels.length, pc(p.bob).channels.length]).toEqual([1, 1]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('candidates for an ignored offer are refused by the connection but do not escape handle()', async () => {
    const p = meshPair({ initiator: true }, { initiator: true }, { hold: true });
    await settle();
    expect(p.bob.held.map((m) => ('description' in m ? m.description.type : 'candidate' in m && m.candidate ? 'candidate' : 'end'))).toEqual([
      'offer', 'candidate', 'candidate', 'end',
    ]);
    p.flush('bob'); // alice's offer and its candidates reach impolite bob, who is in have-local-offer
    await settle();
    const bob = pc(p.bob);
    expect(bob.signalingState).toBe('have-local-offer');
    expect(bob.rejectedCandidates.map((r) => r.error)).toEqual(['InvalidStateError', 'InvalidStateError', 'InvalidStateError']);
    expect(warn).not.toHaveBeenCalled();

    p.release();
    await settle();
    expectAgreed(pc(p.alice), bob);
    expect(warn).not.toHaveBeenCalled();
  });

  it('keeps the candidates refused during an ignored offer and applies them after the answer (Chromium keeps a rolled-back side\'s ICE credentials)', async () => {
    // Chromium 156 does not gather again after the polite side rolls back, so the candidates it sent
    // with its own offer are the only ones it ever sends: dropping them wedged the pair in 'new'.
    const p = meshPair({ initiator: true }, { initiator: true }, { hold: true });
    await settle();
    pc(p.alice).regatherAfterRollback = false;
    p.flush('bob');
    await settle();
    const bob = pc(p.bob);
    const refused = bob.rejectedCandidates.map((r) => (r.candidate as RTCIceCandidateInit | null)?.candidate).filter(Boolean);
    expect(refused).toHaveLength(2);
    p.release();
    await settle();
    expect(pc(p.alice).gatherings).toHaveLength(1); // alice really sent no fresh candidates
    expect(bob.addedCandidates.map((c) => c.candidate)).toEqual(expect.arrayContaining(refused));
    expect(warn).not.toHaveBeenCalled();
  });

  it('a candidate that fails outside an ignored offer is reported (the swallowing above is specific)', async () => {
    const p = meshPair({ initiator: true }, { initiator: false, lazy: true });
    await settle();
    const stale = { candidate: 'candidate:9 1 udp 1 10.9.9.9 9 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'old-ufrag' };
    p.bob.link!.handle({ from: 'alice', candidate: stale });
    await settle();
    expect(pc(p.bob).rejectedCandidates.map((r) => r.error)).toEqual(['OperationError']);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('MeshLink: ICE restart on failure', () => {
  const quick = { disconnectedMs: 60, connectingMs: 80, maxRepairs: 3 };
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('restarts a connection that stays disconnected past the grace period (impolite side only)', async () => {
    const { p, alice, bob } = await connectedPair(quick);
    alice.setConnectionState('disconnected');
    bob.setConnectionState('disconnected');
    await wait(30);
    expect(bob.restartIceCalls).toBe(0); // within the grace, it may still recover by itself
    await wait(80);
    expect([alice.restartIceCalls, bob.restartIceCalls]).toEqual([0, 1]);
  });

  it('restarts a connection that never connects (the glare wedge) instead of leaving it in new', async () => {
    // Signals are held and never delivered: both sides stay 'new', as a wedged pair does.
    const p = meshPair({ initiator: true, repair: quick }, { initiator: true, repair: quick }, { hold: true });
    await settle();
    await wait(120);
    expect([pc(p.alice).restartIceCalls, pc(p.bob).restartIceCalls]).toEqual([0, 1]);
  });

  it.each(['alice', 'bob'] as const)('with %s as initiator, only the impolite side (bob) restarts, and the restart renegotiates', async (initiator) => {
    const p = meshPair(
      { initiator: initiator === 'alice', lazy: initiator !== 'alice' },
      { initiator: initiator === 'bob', lazy: initiator !== 'bob' },
    );
    await settle();
    const [alice, bob] = [pc(p.alice), pc(p.bob)];
    connectPeers(alice, bob);
    const ufrags = [alice.ufrag, bob.ufrag];

    alice.setConnectionState('disconnected');
    bob.setConnectionState('disconnected');
    expect(bob.restartIceCalls).toBe(0); // disconnected may recover by itself

    alice.setConnectionState('failed');
    bob.setConnectionState('failed');
    expect(p.alice.states).toEqual(['connected', 'disconnected', 'failed']);
    expect(p.bob.states).toEqual(['connected', 'disconnected', 'failed']);
    expect(alice.restartIceCalls).toBe(0);
    expect(bob.restartIceCalls).toBe(1);

    await settle();
    expectAgreed(alice, bob);
    expect(bob.localDescription?.type).toBe('offer'); // bob offered the restart
    expect(parseSdp(bob.localDescription!.sdp!).ufrag).not.toBe(ufrags[1]);
    expect(parseSdp(alice.localDescription!.sdp!).ufrag).not.toBe(ufrags[0]);
    expectCandidatesDelivered(bob, alice);
    expectCandidatesDelivered(alice, bob);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('MeshLink: a polite side that alone sees the link fail asks for the restart', () => {
  const quick = { disconnectedMs: 60, connectingMs: 80, maxRepairs: 3 };
  const restartRequests = (s: Side) => s.sent.filter((m) => 'restartIce' in m).length;

  it('polite alice fails, impolite bob still reads connected: alice asks, bob restarts at once, both renegotiate', async () => {
    const { p, alice, bob } = await connectedPair(quick);
    const ufrags = [alice.ufrag, bob.ufrag];

    alice.setConnectionState('failed');
    expect(alice.restartIceCalls).toBe(0); // polite: never restarts itself
    expect(p.alice.sent.at(-1)).toEqual({ restartIce: true });
    await settle();
    expect(bob.restartIceCalls).toBe(1);
    expectAgreed(alice, bob);
    expect(bob.localDescription?.type).toBe('offer'); // bob offered the restart
    expect(parseSdp(bob.localDescription!.sdp!).ufrag).not.toBe(ufrags[1]);
    expect(parseSdp(alice.localDescription!.sdp!).ufrag).not.toBe(ufrags[0]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('bob already restarting (failed too, its offer out) ignores the request: one restart, not two', async () => {
    const { p, alice, bob } = await connectedPair(quick);
    bob.setConnectionState('failed'); // bob's watchdog restarts at once
    alice.setConnectionState('failed'); // alice's request reaches a bob that already did
    expect(restartRequests(p.alice)).toBe(1);
    await settle();
    expect(bob.restartIceCalls).toBe(1);
    expectAgreed(alice, bob);
  });

  it('only a failure makes polite alice ask (disconnected: bob notices on his own); a request to a polite side changes nothing', async () => {
    const { p, alice, bob } = await connectedPair(quick);
    alice.setConnectionState('disconnected');
    await new Promise((r) => setTimeout(r, 150)); // past the grace: the watchdog fired
    expect(restartRequests(p.alice)).toBe(0);
    expect(alice.restartIceCalls + bob.restartIceCalls).toBe(0);

    alice.setConnectionState('connected');
    p.alice.link!.handle({ from: 'bob', restartIce: true }); // from the impolite side: moot
    await settle();
    expect(alice.restartIceCalls).toBe(0);
    expect(alice.signalingState).toBe('stable');
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('MeshLink: close()', () => {
  it('signals queued before close and handed in after it are never applied', async () => {
    // Polite alice receives: an impolite receiver would skip the offer anyway (a closed connection is not stable).
    const p = meshPair({ initiator: false, lazy: true }, { initiator: true }, { hold: true });
    await settle();
    p.create('alice');
    const alice = pc(p.alice);
    const srd = vi.spyOn(alice, 'setRemoteDescription');
    const addCandidate = vi.spyOn(alice, 'addIceCandidate');
    const [offer, ...rest] = p.alice.held.splice(0);
    expect(rest).toHaveLength(3);
    p.alice.link!.handle(offer); // queued in the link's inbox
    p.alice.link!.close();
    for (const signal of rest) p.alice.link!.handle(signal);
    await settle();
    expect(srd).not.toHaveBeenCalled();
    expect(addCandidate).not.toHaveBeenCalled();
    expect(p.alice.sent).toEqual([]);
    expect(alice.signalingState).toBe('closed');
    expect(warn).not.toHaveBeenCalled();
  });

  it('a close() while the first offer is being made sends nothing and unhooks the connection', async () => {
    const p = meshPair({ initiator: true }, { initiator: false, lazy: true }, { hold: true });
    const alice = pc(p.alice);
    const original = alice.setLocalDescription.bind(alice);
    alice.setLocalDescription = (d?: RTCSessionDescriptionInit) => {
      const result = original(d);
      p.alice.link!.close();
      return result;
    };
    await settle();
    expect(alice.history).toEqual([]);
    expect(p.alice.sent).toEqual([]);
    expect([alice.onnegotiationneeded, alice.onicecandidate, alice.onconnectionstatechange, alice.ontrack]).toEqual([null, null, null, null]);
    expect(p.alice.link!.sendPing('x')).toBe(false);
    p.alice.link!.setIceServers([{ urls: 'turn:example.org' }]); // no-op, must not throw on a closed connection
    expect(alice.getConfiguration().iceServers).toEqual([]);
    p.alice.link!.close(); // twice is fine
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('MeshLink: the ping data channel', () => {
  it('the initiator creates channel 0 up front; its first offer carries the data section', () => {
    const p = meshPair({ initiator: true }, { initiator: false, lazy: true }, { hold: true });
    const alice = pc(p.alice);
    expect(alice.channels.map((c) => [c.label, c.init])).toEqual([
      ['ping', { negotiated: true, id: 0, ordered: false, maxRetransmits: 0 }],
    ]);
    expect(alice.channelCreatedIn).toEqual(['stable']);
    expect(alice.history).toEqual([]); // before any description
  });

  it('the answerer creates its side only after applying the offer, and never offers itself', async () => {
    const p = meshPair({ initiator: true }, { initiator: false, lazy: true }, { hold: true });
    await settle();
    p.create('bob');
    const bob = pc(p.bob);
    await settle(); // a created answerer alone (its addTrack) ...
    expect(bob.channels).toEqual([]);
    p.release(); // ... then the offer arrives
    await settle();
    expect(bob.channels.map((c) => c.init)).toEqual([{ negotiated: true, id: 0, ordered: false, maxRetransmits: 0 }]);
    expect(bob.channelCreatedIn).toEqual(['have-remote-offer']);
    expect(kinds(bob.localDescription?.sdp)).toContain('application');
    expectAgreed(pc(p.alice), bob);
  });

  it('carries a ping to the other link and its reply back, once connected', async () => {
    const p = meshPair({ initiator: true }, { initiator: false, lazy: true });
    await settle();
    expect(p.alice.link!.sendPing('ping-1')).toBe(false); // not open yet
    connectPeers(pc(p.alice), pc(p.bob));
    p.bob.reply = (data) => `pong for ${String(data)}`;
    expect(p.alice.link!.sendPing('ping-1')).toBe(true);
    await settle();
    expect(p.bob.pings).toEqual(['ping-1']);
    expect(p.alice.pings).toEqual(['pong for ping-1']);
  });
});

describe('MeshLink: tracks and TURN credentials', () => {
  it('replaceTrack switches the sender of that kind without renegotiating', async () => {
    const p = meshPair({ initiator: true }, { initiator: false, lazy: true });
    await settle();
    const alice = pc(p.alice);
    const [camera] = fakeLocalStream(['video']).getTracks();
    await p.alice.link!.replaceTrack(camera);
    await settle();
    expect(alice.getSenders().find((s) => s.track?.kind === 'video')!.track).toBe(camera);
    expect(alice.history).toEqual(['SLD:offer', 'SRD:answer']);
  });

  it('setIceServers keeps the rest of the configuration', () => {
    const p = meshPair({ initiator: true }, { initiator: false, lazy: true }, { hold: true });
    const alice = pc(p.alice);
    alice.setConfiguration({ iceServers: [], iceTransportPolicy: 'relay' });
    p.alice.link!.setIceServers([{ urls: 'turn:example.org', username: 'u', credential: 'c' }]);
    expect(alice.getConfiguration()).toEqual({
      iceServers: [{ urls: 'turn:example.org', username: 'u', credential: 'c' }],
      iceTransportPolicy: 'relay',
    });
  });
});
