// Auto mode: the room is a mesh call while it is small and moves to the SFU when it grows (the
// server decides: signaling/auto-topology.ts). Every move is make-before-break: the new topology is
// set up next to the old one, the tiles switch once every peer's media arrives on the new path, and
// the old path closes a moment later. A move that does not carry media in time is undone and said.
import type { JoinReply, Mode, PeerInfo, TopologyChange, TopologyPush } from '../../../signaling/protocol';
import { BaseCall, type CallSocket } from './base-call';
import type { CallOptions, RawConnectionStats, TopologySwitch } from './engine';
import type { MediaHost, MediaTopology, PeerMedia } from './media-topology';
import { missingMedia } from './media-arrival';
import { MeshMedia } from './mesh-media';
import { SfuMedia } from './sfu-media';

export interface SwitchTiming {
  /** How long the new path has to carry everyone's media before the switch is called failed. */
  timeoutMs: number;
  /** How often a switch checks whether media arrives on the new path. */
  pollMs: number;
  /**
   * How long the old path stays up after our own switch completed: the others switch at the same
   * time but not at the same speed, and until they are done our old path is what they watch.
   */
  lingerMs: number;
  /** After a failed switch, when to try again (while the server still wants it), and how often. */
  retryMs: number;
  tries: number;
}

export const SWITCH_TIMING: SwitchTiming = { timeoutMs: 12_000, pollMs: 150, lingerMs: 2500, retryMs: 5000, tries: 3 };

export type TopologyFactory = (mode: Mode, host: MediaHost) => MediaTopology;

class SwitchAborted extends Error {}

export class AutoCall extends BaseCall {
  private active: MediaTopology | null = null;
  private building: MediaTopology | null = null;
  /** The path we left, kept for a moment (SwitchTiming.lingerMs). */
  private lingering: { topology: MediaTopology; timer: ReturnType<typeof setTimeout> } | null = null;
  /** What each topology carries of each peer, whichever one the tiles show. */
  private carried = new Map<MediaTopology, Map<string, PeerMedia>>();
  /** The newest decision we know of; the topology we must end on. */
  private newest: TopologyPush | null = null;
  private iceServers: RTCIceServer[] = [];
  private driving = false;
  private tries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  /** Unit tests pass fake topologies and short timings. */
  constructor(
    options: CallOptions,
    private readonly makeTopology: TopologyFactory = (mode, host) => (mode === 'sfu' ? new SfuMedia(host) : new MeshMedia(host)),
    private readonly timing: SwitchTiming = SWITCH_TIMING,
  ) {
    super('auto', options);
  }

  protected onSocket(socket: CallSocket): void {
    // Before the join reply: a decision made while we were being seated may arrive ahead of it.
    socket.on('room:topology', (push) => this.learn(push));
  }

  protected async onJoined(reply: JoinReply): Promise<void> {
    if (!reply.auto) throw new Error('the server sent no topology for this auto room');
    this.iceServers = reply.iceServers.map((s) => ({ ...s }));
    const joinedOn = this.newestOf({ ...reply.auto, routerRtpCapabilities: reply.routerRtpCapabilities });
    this.newest = joinedOn;
    this.tries = 0;
    const entry = this.entryFor(joinedOn, null, 'done');
    this.update({ mode: joinedOn.topology, auto: { threshold: joinedOn.threshold, switching: null, history: [...(this.getSnapshot().auto?.history ?? []), entry] } });
    const first = this.makeFor(joinedOn.topology);
    this.active = first;
    await first.start({ peers: reply.peers, iceServers: this.iceServers, routerRtpCapabilities: joinedOn.routerRtpCapabilities, offer: 'newcomer' });
  }

  protected onCallJoined(): void {
    // A decision that arrived while we were joining: move now.
    void this.drive();
  }

  protected onResumed(reply: JoinReply): void {
    for (const topology of this.topologies()) topology.resumed();
    // Decisions made while our socket was away were missed: the reply says where the room is now.
    if (reply.auto) this.learn({ ...reply.auto, routerRtpCapabilities: reply.routerRtpCapabilities });
  }

  protected onRosterChange(added: PeerInfo[], removed: string[]): void {
    for (const topology of this.topologies()) {
      // Newcomers go only to the topology the room is heading for; the one we leave just shrinks.
      topology.rosterChanged(topology.mode === this.newest?.topology ? added : [], removed);
      for (const id of removed) this.carried.get(topology)?.delete(id);
    }
  }

  protected onLocalMediaChange(kind: 'audio' | 'video', enabled: boolean): void {
    for (const topology of this.topologies()) topology.localMediaChanged(kind, enabled);
  }

  protected async onLocalTrackReplaced(track: MediaStreamTrack): Promise<void> {
    await Promise.all(this.topologies().map((t) => t.replaceTrack(track)));
  }

  protected async onScreenChange(stream: MediaStream | null): Promise<void> {
    // A topology being built already started without it (or with it): tell every one of them.
    await Promise.all(this.topologies().map((t) => t.screenChanged(stream)));
  }

  protected onViewSize(): void {
    // The path being built asks for its layers too, so the tiles are right the moment it takes over.
    for (const topology of this.topologies()) topology.viewSizeChanged?.();
  }

  protected applyIceServers(iceServers: RTCIceServer[]): void {
    this.iceServers = iceServers;
    for (const topology of this.topologies()) topology.setIceServers(iceServers);
  }

  protected closeMedia(): void {
    clearTimeout(this.retryTimer);
    // A rejoin may land in a new room (the server restarted): its decisions count from zero again.
    this.newest = null;
    // Leaving (or rejoining) frees everything on the server anyway: no release to send.
    this.finishLinger(false);
    for (const topology of this.topologies()) topology.close();
    this.active = null;
    this.building = null;
    this.carried.clear();
    const auto = this.getSnapshot().auto;
    if (auto?.switching) this.update({ auto: { ...auto, switching: null } });
  }

  /** The stats of the path the tiles show (a switch's other path is not counted until it takes over). */
  collectRawStats(): Promise<RawConnectionStats[]> {
    return this.active?.rawStats() ?? Promise.resolve([]);
  }

  protected sendPing(peerId: string, text: string): boolean {
    return this.active?.sendPing(peerId, text) ?? false;
  }

  /** The path the tiles show (the join's first frame is timed on it). */
  protected receiversOf(peerId: string): RTCRtpReceiver[] {
    return this.active?.receivers(peerId) ?? [];
  }

  // ---- decisions --------------------------------------------------------------------------------
  private learn(push: TopologyPush): void {
    const newest = this.newestOf(push);
    if (newest === this.newest) return;
    this.newest = newest;
    this.tries = 0;
    const auto = this.getSnapshot().auto;
    if (!auto || this.getSnapshot().status !== 'joined') return; // onJoined and onCallJoined read this.newest
    // A move gets its entry when its switch starts (switchTo); a decision that keeps us where we
    // are, or where we are already heading, is written down here.
    const heading = this.building?.mode ?? this.active?.mode;
    if (push.topology === this.active?.mode || push.topology === heading) {
      this.update({ auto: { ...auto, threshold: push.threshold, history: [...auto.history, this.entryFor(push, null, 'stayed')] } });
    }
    void this.drive();
  }

  private newestOf(push: TopologyPush): TopologyPush {
    return this.newest && this.newest.epoch >= push.epoch ? this.newest : push;
  }

  /** Moves until we are on the newest decision's topology; one switch at a time. */
  private async drive(): Promise<void> {
    if (this.driving) return;
    this.driving = true;
    try {
      while (this.getSnapshot().status === 'joined' && this.newest && this.active && this.newest.topology !== this.active.mode) {
        const target = this.newest;
        if (!(await this.switchTo(target))) {
          if (++this.tries < this.timing.tries) this.retryTimer = setTimeout(() => void this.drive(), this.timing.retryMs);
          break;
        }
      }
    } finally {
      this.driving = false;
    }
  }

  /** One make-before-break switch; false when it failed or was taken back (we stay where we were). */
  private async switchTo(target: TopologyPush): Promise<boolean> {
    const from = this.active!;
    // One path of each kind at a time: a path still lingering from the last switch goes now.
    this.finishLinger();
    const to = this.makeFor(target.topology);
    this.building = to;
    const entry = this.addEntry(this.entryFor(target, from.mode, 'switching'), to.mode);
    try {
      const peers = this.getSnapshot().peers.map(({ id, name, media }) => ({ id, name, media }));
      await to.start({ peers, iceServers: this.iceServers, routerRtpCapabilities: target.routerRtpCapabilities, offer: 'lower-id' });
      await this.untilCarrying(to, target.topology);
    } catch (err) {
      to.close();
      this.forget(to);
      this.building = null;
      const superseded = err instanceof SwitchAborted;
      const detail = err instanceof Error ? err.message : String(err);
      if (!superseded) console.warn(`auto: the switch to ${to.mode} failed; staying on ${from.mode}`, err);
      this.markEntry(entry, { outcome: superseded ? 'superseded' : 'failed', detail: superseded ? detail : `${detail}; staying on ${from.mode}`, doneAt: Date.now() }, null);
      return false;
    }
    // Make done: the tiles move to the new path, and the old one is broken a moment later.
    this.active = to;
    this.building = null;
    // What the new path does not carry (yet) must not stay shown from the old one, which closes soon.
    for (const peer of this.getSnapshot().peers) this.patchPeer(peer.id, { stream: null, screen: null, ...(this.carried.get(to)?.get(peer.id) ?? { connectionState: 'new' }) });
    this.update({ mode: to.mode });
    this.markEntry(entry, { outcome: 'done', doneAt: Date.now() }, null);
    this.lingering = { topology: from, timer: setTimeout(() => this.finishLinger(), this.timing.lingerMs) };
    return true;
  }

  /** Waits until every peer whose media we get on the old path also sends it on the new one. */
  private async untilCarrying(to: MediaTopology, topology: Mode): Promise<void> {
    const deadline = Date.now() + this.timing.timeoutMs;
    for (;;) {
      if (this.getSnapshot().status !== 'joined' || this.building !== to) throw new SwitchAborted('the call closed meanwhile');
      if (this.newest?.topology !== topology) throw new SwitchAborted(`the room went back to ${this.newest?.topology} meanwhile`);
      const waitingFor = await missingMedia(this.getSnapshot().peers, (id) => to.receivers(id));
      if (!waitingFor.length) return;
      if (Date.now() > deadline) {
        throw new Error(`no media from ${waitingFor.map((p) => p.name).join(', ')} on the ${topology} path after ${this.timing.timeoutMs / 1000} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, this.timing.pollMs));
    }
  }

  private finishLinger(release = true): void {
    const old = this.lingering;
    if (!old) return;
    this.lingering = null;
    clearTimeout(old.timer);
    old.topology.close();
    this.forget(old.topology);
    // The server may free what we had there (and, on mesh, our seat on the SFU).
    if (release && old.topology.mode === 'sfu') this.request('sfu:release', {}).catch((err) => console.warn('auto: sfu:release refused', err));
  }

  // ---- bookkeeping ------------------------------------------------------------------------------
  private makeFor(mode: Mode): MediaTopology {
    let topology: MediaTopology | null = null;
    const host = this.hostFor({
      peerMedia: (peerId, media) => {
        if (!topology) return;
        const mine = this.carried.get(topology) ?? new Map<string, PeerMedia>();
        this.carried.set(topology, mine);
        mine.set(peerId, { ...mine.get(peerId), ...media });
        // The tiles show the active path; a peer it has nothing of yet (it joined mid-switch) shows the new one.
        const shown = this.active === topology || (this.building === topology && !this.carried.get(this.active!)?.get(peerId)?.stream);
        if (shown) this.patchPeer(peerId, media);
      },
      failed: (failure) => {
        // The path being built failing is a failed switch (untilCarrying times out); the one we
        // are on failing is the call's failure, as in a single-mode call.
        if (topology === this.active) this.fail(failure);
        else console.warn(`auto: the ${mode} path being built failed`, failure);
      },
    });
    topology = this.makeTopology(mode, host);
    return topology;
  }

  private topologies(): MediaTopology[] {
    return [this.active, this.building, this.lingering?.topology].filter((t): t is MediaTopology => !!t);
  }

  private forget(topology: MediaTopology): void {
    this.carried.delete(topology);
  }

  private entryFor(change: TopologyChange, from: Mode | null, outcome: TopologySwitch['outcome']): TopologySwitch {
    const { epoch, topology: to, reason, participants, threshold } = change;
    const now = Date.now();
    return { epoch, from, to, reason, participants, threshold, startedAt: now, doneAt: outcome === 'switching' ? null : now, outcome, detail: null };
  }

  /** Appends an entry; returns its index for markEntry. */
  private addEntry(entry: TopologySwitch, switching: Mode | null): number {
    const auto = this.getSnapshot().auto!;
    this.update({ auto: { ...auto, threshold: entry.threshold, switching, history: [...auto.history, entry] } });
    return auto.history.length;
  }

  private markEntry(index: number, patch: Partial<TopologySwitch>, switching: Mode | null): void {
    const auto = this.getSnapshot().auto;
    if (!auto?.history[index]) return;
    const history = auto.history.map((e, i) => (i === index ? { ...e, ...patch } : e));
    this.update({ auto: { ...auto, switching, history } });
  }
}
