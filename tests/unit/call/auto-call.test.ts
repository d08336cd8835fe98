// AutoCall's make-before-break switching, driven by a scripted server's room:topology pushes.
// Mocked, because browsers' WebRTC does not exist in Node: the two topologies are fakes that report
// the streams they carry and whether frames arrive on them (as an RTCRtpReceiver's stats would).
// The socket, the server's pushes and replies, and the engine's own switching code are real.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AutoCall, type SwitchTiming } from '../../../app/lib/call/auto-call';
import type { MediaHost, MediaTopology, TopologyStart } from '../../../app/lib/call/media-topology';
import type { JoinReply, Mode, TopologyPush } from '../../../signaling/protocol';
import type { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { fakeLocalStream } from './fake-media';
import { ok, peer, ScriptedServer, until } from './scripted-server';

class FakeTopology implements MediaTopology {
  started: TopologyStart | null = null;
  closed = false;
  /** Peers whose frames arrive on this path. */
  readonly carrying = new Set<string>();
  constructor(
    readonly mode: Mode,
    readonly host: MediaHost,
  ) {}
  async start(start: TopologyStart) {
    this.started = start;
    this.screenAtStart = this.host.screenStream;
  }
  /** This path got a stream from the peer (frames may not flow yet). */
  deliver(peerId: string): MediaStream {
    const stream = { id: `${this.mode}-${peerId}` } as unknown as MediaStream;
    this.host.peerMedia(peerId, { stream, connectionState: 'connected' });
    return stream;
  }
  receivers(peerId: string): RTCRtpReceiver[] {
    const frames = this.carrying.has(peerId) ? 5 : 0;
    const stats = new Map([['in', { type: 'inbound-rtp', kind: 'video', framesDecoded: frames }]]);
    return [{ track: { kind: 'video' }, getStats: async () => stats } as unknown as RTCRtpReceiver];
  }
  rosterChanged() {}
  localMediaChanged() {}
  async replaceTrack() {}
  /** Every screenChanged call, in order, and the share the host had when this path started. */
  readonly screens: (MediaStream | null)[] = [];
  screenAtStart: MediaStream | null | undefined = undefined;
  async screenChanged(stream: MediaStream | null) {
    this.screens.push(stream);
  }
  setIceServers() {}
  resumed() {}
  sendPing() {
    return false;
  }
  async rawStats() {
    return [];
  }
  close() {
    this.closed = true;
  }
}

const TIMING: SwitchTiming = { timeoutMs: 600, pollMs: 10, lingerMs: 100, retryMs: 60_000, tries: 1 };

let server: ScriptedServer;
let call: AutoCall | null = null;
let made: FakeTopology[] = [];

const decision = (epoch: number, topology: Mode, participants = topology === 'sfu' ? 3 : 2): TopologyPush => ({
  epoch,
  topology,
  threshold: 2,
  participants,
  reason: `${participants} participants ${topology === 'sfu' ? '>' : '≤'} threshold 2`,
  at: Date.now(),
  ...(topology === 'sfu' ? { routerRtpCapabilities: { codecs: [] } } : {}),
});

const reply = (auto: TopologyPush): JoinReply => ({
  selfId: 'me',
  resumeToken: 'token',
  mode: 'auto',
  auto,
  peers: [peer('me'), peer('p2')],
  iceServers: [],
  iceTtlSeconds: 0,
  locked: false,
});

beforeEach(async () => {
  server = await ScriptedServer.start();
  server.handle('join', () => ok(reply(decision(0, 'mesh', 2)))).handle('sfu:release', () => ok());
  made = [];
});
afterEach(async () => {
  call?.leave();
  call = null;
  await server.close();
});

async function joined(captureScreen?: () => Promise<MediaStream>): Promise<AutoCall> {
  call = new AutoCall({ roomId: 'room-1', name: 'me', localStream: null, serverUrl: server.url, captureScreen }, (mode, host) => {
    const t = new FakeTopology(mode, host);
    made.push(t);
    return t;
  }, TIMING);
  await call.join();
  await until(() => call!.getSnapshot().status === 'joined', 'joined');
  return call;
}

const latest = (mode: Mode) => made.filter((t) => t.mode === mode).at(-1)!;
const shown = (c: AutoCall) => c.getSnapshot().peers.find((p) => p.id === 'p2')?.stream;

describe('AutoCall', () => {
  it('joins on the reply topology, then moves to the SFU only once frames arrive there, and breaks the old path after', async () => {
    const c = await joined();
    expect(made.map((t) => t.mode)).toEqual(['mesh']);
    expect(latest('mesh').started?.offer).toBe('newcomer');
    expect(c.getSnapshot().auto?.history).toMatchObject([{ from: null, to: 'mesh', outcome: 'done' }]);
    const meshStream = latest('mesh').deliver('p2');
    latest('mesh').carrying.add('p2');
    expect(shown(c)).toBe(meshStream);

    server.push('room:topology', decision(1, 'sfu'));
    await until(() => !!made.find((t) => t.mode === 'sfu')?.started, 'the SFU path starts');
    const sfu = latest('sfu');
    expect(sfu.started).toMatchObject({ offer: 'lower-id', routerRtpCapabilities: { codecs: [] } });
    expect(c.getSnapshot().auto?.switching).toBe('sfu');
    sfu.deliver('p2');
    // A stream without frames is not enough: the tile keeps the mesh picture.
    await new Promise((r) => setTimeout(r, 80));
    expect(c.getSnapshot().mode).toBe('mesh');
    expect(shown(c)).toBe(meshStream);
    expect(latest('mesh').closed).toBe(false);

    sfu.carrying.add('p2');
    await until(() => c.getSnapshot().mode === 'sfu', 'switched to the SFU');
    expect(shown(c)?.id).toBe('sfu-p2');
    expect(c.getSnapshot().auto).toMatchObject({ switching: null });
    expect(c.getSnapshot().auto?.history.at(-1)).toMatchObject({ epoch: 1, from: 'mesh', to: 'sfu', outcome: 'done', reason: '3 participants > threshold 2' });
    // Make before break: the mesh path is still up right after, and goes a moment later.
    expect(latest('mesh').closed).toBe(false);
    await until(() => latest('mesh').closed, 'the mesh path closes after its linger');
    expect(server.requested('sfu:release')).toHaveLength(0);

    // And back: leaving the SFU releases our media there.
    server.push('room:topology', decision(2, 'mesh'));
    await until(() => made.filter((t) => t.mode === 'mesh').length === 2 && !!latest('mesh').started, 'a new mesh path starts');
    expect(latest('mesh').started?.offer).toBe('lower-id');
    latest('mesh').deliver('p2');
    latest('mesh').carrying.add('p2');
    await until(() => c.getSnapshot().mode === 'mesh', 'back on mesh');
    await until(() => sfu.closed && server.requested('sfu:release').length === 1, 'the SFU path closes and is released');
  });

  it('drops a switch the room takes back before it completes, and ignores stale decisions', async () => {
    const c = await joined();
    latest('mesh').deliver('p2');
    server.push('room:topology', decision(1, 'sfu'));
    await until(() => !!made.find((t) => t.mode === 'sfu')?.started, 'the SFU path starts');
    server.push('room:topology', decision(2, 'mesh'));
    await until(() => latest('sfu').closed, 'the SFU path is abandoned');
    await until(() => c.getSnapshot().auto?.switching === null, 'no switch under way');
    expect(c.getSnapshot().mode).toBe('mesh');
    expect(latest('mesh').closed).toBe(false);
    const history = c.getSnapshot().auto!.history;
    expect(history.find((e) => e.epoch === 1)).toMatchObject({ from: 'mesh', to: 'sfu', outcome: 'superseded' });
    expect(history.find((e) => e.epoch === 2)).toMatchObject({ from: null, to: 'mesh', outcome: 'stayed' });
    // An older decision arriving late changes nothing.
    server.push('room:topology', decision(1, 'sfu'));
    await new Promise((r) => setTimeout(r, 50));
    expect(made.filter((t) => t.mode === 'sfu')).toHaveLength(1);
  });

  it('a new path that never carries media fails the switch, says why, and keeps the old path', async () => {
    const c = await joined();
    const meshStream = latest('mesh').deliver('p2');
    server.push('room:topology', decision(1, 'sfu'));
    await until(() => c.getSnapshot().auto?.history.at(-1)?.outcome === 'failed', 'the switch fails', 3_000);
    expect(c.getSnapshot().auto?.history.at(-1)?.detail).toMatch(/no media from name-p2 on the sfu path.*staying on mesh/);
    expect(latest('sfu').closed).toBe(true);
    expect(latest('mesh').closed).toBe(false);
    expect(c.getSnapshot().mode).toBe('mesh');
    expect(shown(c)).toBe(meshStream);
    expect(c.getSnapshot().status).toBe('joined');
  });

  it('a decision that arrives while joining is acted on once joined', async () => {
    server.handle('join', (_payload, socket) => {
      socket.emit('room:topology', decision(1, 'sfu'));
      return ok(reply(decision(0, 'mesh', 2)));
    });
    const c = await joined();
    // The newer decision wins over the reply's: the call starts straight on the SFU.
    expect(made.map((t) => t.mode)).toEqual(['sfu']);
    expect(c.getSnapshot().mode).toBe('sfu');
  });

  it('carries our screen share over a switch, shows a peer share only from the path that carries it, and stops with the browser', async () => {
    const screen = fakeLocalStream(['video']);
    const c = await joined(async () => screen);
    await c.startScreenShare();
    expect(c.getSnapshot().localScreen).toBe(screen);
    expect(latest('mesh').screens).toEqual([screen]);
    const peerScreen = (t: FakeTopology, id: string) => {
      const s = { id } as unknown as MediaStream;
      t.host.peerMedia('p2', { screen: s });
      return s;
    };
    latest('mesh').deliver('p2');
    latest('mesh').carrying.add('p2');
    const meshShare = peerScreen(latest('mesh'), 'mesh-share');
    expect(c.getSnapshot().peers[0].screen).toBe(meshShare);

    server.push('room:topology', decision(1, 'sfu'));
    await until(() => !!made.find((t) => t.mode === 'sfu')?.started, 'the SFU path starts');
    const sfu = latest('sfu');
    // The new path starts with the share on (it reads it from its host as it starts).
    expect(sfu.screenAtStart).toBe(screen);
    sfu.deliver('p2');
    sfu.carrying.add('p2');
    await until(() => c.getSnapshot().mode === 'sfu', 'switched to the SFU');
    // p2's share has not arrived on the SFU path yet: the old path's, which is about to close, is not shown.
    expect(c.getSnapshot().peers[0].screen).toBeNull();
    const sfuShare = peerScreen(sfu, 'sfu-share');
    expect(c.getSnapshot().peers[0].screen).toBe(sfuShare);

    // The browser's own "Stop sharing": the track ends, every open path stops sending it.
    const track = screen.getVideoTracks()[0] as unknown as FakeMediaStreamTrack;
    track.remoteStop();
    await until(() => c.getSnapshot().localScreen === null, 'the share stops');
    expect(sfu.screens).toEqual([null]);
    expect(track.readyState).toBe('ended');
  });
});
