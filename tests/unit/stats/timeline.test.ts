// The call timeline on a fake engine and fake samples: what each failure-drill story records
// (outage resumed with frames counted, seat lost and rejoined, SFU media rebuilt, links repaired,
// peers coming and going, failure), that it stays bounded, and that it counts only outage frames.
import { describe, expect, it } from 'vitest';
import type { CallEngine, CallSnapshot, RemotePeer } from '../../../app/lib/call/engine';
import { CallTimeline, clockText, timelineOf, type FramesSample } from '../../../app/lib/stats/timeline';

const T0 = Date.UTC(2026, 0, 5, 12, 2, 0);

function fakeEngine() {
  let snapshot = {
    mode: 'mesh',
    roomId: 'drill',
    name: 'ann',
    status: 'joining',
    selfId: null,
    peers: [],
    error: null,
    notice: null,
    signaling: 'connected',
  } as unknown as CallSnapshot;
  const listeners = new Set<() => void>();
  const engine = {
    getSnapshot: () => snapshot,
    subscribe: (l: () => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as unknown as CallEngine;
  const set = (patch: Partial<CallSnapshot>) => {
    snapshot = { ...snapshot, ...patch };
    for (const l of listeners) l();
  };
  return { engine, set };
}

const peer = (id: string, name: string, connectionState: RTCPeerConnectionState = 'connected') =>
  ({ id, name, media: { audio: true, video: true }, stream: null, connectionState }) as RemotePeer;

/** A timeline on a fake engine with a clock the test moves; `joined` brings ann in with bob and cy. */
function setup(capacity?: number) {
  let t = T0;
  const timeline = new CallTimeline({ capacity, now: () => t });
  const { engine, set } = fakeEngine();
  const detach = timeline.attach(engine);
  const at = (ms: number) => (t = T0 + ms);
  const joinWithPeers = async (selfId: string, peers: RemotePeer[]) => {
    // As the engine does it: status first, then the roster in the same turn.
    set({ status: 'joined', selfId, signaling: 'connected' });
    set({ peers });
    await Promise.resolve();
  };
  const kinds = () => timeline.getEvents().map((e) => e.kind);
  const last = () => timeline.getEvents().at(-1)!;
  return { timeline, engine, set, detach, at, joinWithPeers, kinds, last };
}

describe('CallTimeline', () => {
  it('records the join naming who was already there, then peers joining and leaving', async () => {
    const { set, joinWithPeers, kinds, last, at, timeline, engine } = setup();
    expect(timelineOf(engine)).toBe(timeline);
    await joinWithPeers('a1', [peer('b1', 'bob'), peer('c1', 'cy')]);
    expect(kinds()).toEqual(['joined']);
    expect(last()).toMatchObject({ at: T0, text: 'Joined the mesh call as ann (peer id a1); in the room: bob, cy' });
    at(5000);
    set({ peers: [peer('b1', 'bob'), peer('c1', 'cy'), peer('d1', 'dee')] });
    expect(last()).toEqual({ at: T0 + 5000, kind: 'peer-joined', peerId: 'd1', text: 'dee joined' });
    set({ peers: [peer('c1', 'cy'), peer('d1', 'dee')] });
    expect(last()).toEqual({ at: T0 + 5000, kind: 'peer-left', peerId: 'b1', text: 'bob left' });
    expect(kinds()).toEqual(['joined', 'peer-joined', 'peer-left']);
  });

  it('mesh outage: counts the frames decoded while signaling was down into the resumed event', async () => {
    const { set, joinWithPeers, kinds, last, at, timeline } = setup();
    await joinWithPeers('a1', [peer('b1', 'bob'), peer('c1', 'cy')]);
    timeline.addSample(sampleOf(9_000, { b1: 100, c1: 100 }));
    at(10_000);
    set({ signaling: 'reconnecting' });
    expect(last()).toMatchObject({ kind: 'signaling-lost', at: T0 + 10_000 });
    // Samples taken before the loss are not the outage's, even when they arrive late.
    timeline.addSample(sampleOf(9_500, { b1: 110, c1: 110 }));
    timeline.addSample(sampleOf(11_000, { b1: 130, c1: 130 }));
    timeline.addSample(sampleOf(18_000, { b1: 230, c1: 235 }));
    timeline.addSample(sampleOf(24_000, { b1: 330, c1: 330 }));
    at(24_500);
    set({ signaling: 'resuming' });
    at(25_000);
    set({ signaling: 'connected' });
    expect(kinds()).toEqual(['joined', 'signaling-lost', 'seat-resumed']);
    expect(last()).toEqual({
      at: T0 + 25_000,
      kind: 'seat-resumed',
      frames: 400,
      text: 'Signaling back, seat resumed (same id): media kept flowing: +400 frames during 15 s',
    });
    // After the outage, samples count nothing and a second outage starts from zero.
    timeline.addSample(sampleOf(26_000, { b1: 999, c1: 999 }));
    set({ signaling: 'reconnecting' });
    set({ signaling: 'resuming' });
    set({ signaling: 'connected' });
    expect(last().text).toContain('too short to count frames');
    expect(last().frames).toBeUndefined();
  });

  it('says "no media during the outage" when no frames arrived, and the seat was lost: rejoined with a new id', async () => {
    const { set, joinWithPeers, kinds, last, at, timeline } = setup();
    await joinWithPeers('a1', [peer('b1', 'bob')]);
    set({ signaling: 'reconnecting' });
    timeline.addSample(sampleOf(1_000, { b1: 50 }));
    timeline.addSample(sampleOf(2_000, { b1: 50 }));
    at(22_000);
    set({ signaling: 'resuming' });
    set({ signaling: 'rejoining' });
    expect(last()).toMatchObject({ kind: 'seat-lost', frames: 0 });
    expect(last().text).toBe('Signaling back, but the server no longer held our seat: joining again with a new id; no media during the outage (22 s)');
    set({ status: 'joining', peers: [], selfId: null });
    await joinWithPeers('a2', [peer('b2', 'bob')]);
    expect(kinds()).toEqual(['joined', 'signaling-lost', 'seat-lost', 'rejoined']);
    expect(last().text).toBe('Rejoined the room as a new peer (id a2); in the room: bob');
  });

  it('SFU reset: media lost while signaling stayed up, then rebuilt (same or new id), without peer churn', async () => {
    const { set, joinWithPeers, kinds, last, at } = setup();
    await joinWithPeers('a1', [peer('b1', 'bob'), peer('c1', 'cy')]);
    at(1_000);
    set({ status: 'joining', peers: [], selfId: null });
    expect(last()).toMatchObject({ kind: 'media-lost', at: T0 + 1_000 });
    at(4_000);
    await joinWithPeers('a2', [peer('b2', 'bob', 'new')]);
    expect(kinds()).toEqual(['joined', 'media-lost', 'media-rebuilt']);
    expect(last().text).toBe('Media rebuilt after 3 s: back in the room as a new peer (id a2); in the room: bob');
    // cy rebuilds later: an ordinary join, named as such.
    set({ peers: [peer('b2', 'bob'), peer('c2', 'cy')] });
    expect(last()).toMatchObject({ kind: 'peer-joined', peerId: 'c2' });
    // On the same socket the server may give the same id back; a quick rebuild reads in tenths.
    at(10_000);
    set({ status: 'joining', peers: [], selfId: null });
    at(10_250);
    await joinWithPeers('a2', []);
    expect(last().text).toBe('Media rebuilt after 0.3 s: back in the room with the same id (a2)');
  });

  it('records a link going down and its repair, per peer name, once per repair', async () => {
    const { set, joinWithPeers, last, at, timeline } = setup();
    await joinWithPeers('a1', [peer('b1', 'bob'), peer('c1', 'cy')]);
    at(1_000);
    set({ peers: [peer('b1', 'bob', 'disconnected'), peer('c1', 'cy')] });
    expect(last()).toEqual({ at: T0 + 1_000, kind: 'link-down', peerId: 'b1', text: "The connection carrying bob's media is disconnected" });
    at(3_000);
    set({ peers: [peer('b1', 'bob', 'failed'), peer('c1', 'cy')] });
    set({ peers: [peer('b1', 'bob', 'connecting'), peer('c1', 'cy')] });
    at(7_000);
    set({ peers: [peer('b1', 'bob', 'connected'), peer('c1', 'cy')] });
    set({ peers: [peer('b1', 'bob', 'connected'), peer('c1', 'cy', 'connecting')] });
    set({ peers: [peer('b1', 'bob', 'connected'), peer('c1', 'cy', 'connected')] });
    const links = timeline.getEvents().filter((e) => e.kind.startsWith('link'));
    expect(links.map((e) => e.kind)).toEqual(['link-down', 'link-down', 'link-repaired']);
    expect(links[2]).toMatchObject({ peerId: 'b1', text: "The connection carrying bob's media is repaired (down for 6 s)" });
  });

  it('records a failure with its code, closing an open outage, and leaving', async () => {
    const { set, joinWithPeers, last, kinds } = setup();
    await joinWithPeers('a1', []);
    set({ signaling: 'reconnecting' });
    set({ signaling: 'failed' });
    set({ status: 'failed', error: { code: 'SIGNALING_LOST', message: 'gave up' }, peers: [] });
    expect(last()).toMatchObject({ kind: 'call-failed', code: 'SIGNALING_LOST' });
    expect(last().text).toBe('Call failed: SIGNALING_LOST (gave up); too short to count frames (0 s)');
    set({ status: 'left' });
    expect(kinds()).toEqual(['joined', 'signaling-lost', 'call-failed', 'left']);
  });

  it('counts a restarted stream from zero, and a peer seen first during the outage from its second sample', async () => {
    const { set, joinWithPeers, last, timeline } = setup();
    await joinWithPeers('a1', [peer('b1', 'bob')]);
    set({ signaling: 'reconnecting' });
    timeline.addSample(sampleOf(1_000, { b1: 500 }));
    timeline.addSample(sampleOf(2_000, { b1: 20, n1: 7, x1: null }));
    timeline.addSample(sampleOf(3_000, { b1: 30, n1: 12, x1: null }));
    set({ signaling: 'resuming' });
    set({ signaling: 'connected' });
    expect(last().frames).toBe(20 + 10 + 5);
  });

  it('stays bounded, keeping the newest events, and refuses a capacity below one', async () => {
    const { set, joinWithPeers, timeline } = setup(3);
    await joinWithPeers('a1', []);
    for (let i = 0; i < 5; i++) set({ peers: [peer(`p${i}`, `p${i}`)] });
    expect(timeline.getEvents()).toHaveLength(3);
    // Each roster change: the newcomer, then the one who left.
    expect(timeline.getEvents().map((e) => `${e.kind} ${e.peerId}`)).toEqual(['peer-left p2', 'peer-joined p4', 'peer-left p3']);
    expect(() => new CallTimeline({ capacity: 0 })).toThrow(/capacity must be at least 1, got 0/);
  });

  it('attached to a call already joined records the join; detached, it records nothing more', async () => {
    const { engine, set } = fakeEngine();
    set({ status: 'joined', selfId: 'a1', peers: [peer('b1', 'bob')] });
    const timeline = new CallTimeline({ now: () => T0 });
    const detach = timeline.attach(engine);
    expect(timeline.getEvents().map((e) => e.text)).toEqual(['Joined the mesh call as ann (peer id a1); in the room: bob']);
    let told = 0;
    timeline.subscribe(() => told++);
    set({ peers: [] });
    expect(told).toBe(1);
    detach();
    set({ signaling: 'reconnecting' });
    expect(timeline.getEvents().map((e) => e.kind)).toEqual(['joined', 'peer-left']);
  });

  it('formats clock times as HH:MM:SS', () => {
    expect(clockText(new Date(2026, 0, 5, 9, 2, 7).getTime())).toBe('09:02:07');
  });
});

function sampleOf(ms: number, frames: Record<string, number | null>): FramesSample {
  return { timestamp: T0 + ms, peers: Object.entries(frames).map(([id, framesDecoded]) => ({ id, framesDecoded })) };
}
