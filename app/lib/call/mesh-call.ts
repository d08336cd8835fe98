// Mesh mode: one MeshLink (RTCPeerConnection) per remote peer, so our media is uploaded N-1 times.
// Routes mesh:signal messages to links and mirrors each link's stream and state into the snapshot.
import type { JoinReply, MeshSignal, PeerInfo } from '../../../signaling/protocol';
import { BaseCall } from './base-call';
import type { CallOptions, RawConnectionStats } from './engine';
import { MeshLink, type OutgoingSignal } from './mesh-link';
import { plainStats } from './plain-stats';

// How long an existing member waits for a newcomer's offer before offering itself.
const OFFER_GRACE_MS = 4000;

export class MeshCall extends BaseCall {
  private links = new Map<string, MeshLink>();
  private graceTimers = new Map<string, ReturnType<typeof setTimeout>>();
  // Peers that left: a late signal from them must not resurrect a connection.
  private departed = new Set<string>();
  private iceServers: RTCIceServer[] = [];
  private closed = true;

  constructor(options: CallOptions) {
    super('mesh', options);
  }

  protected async onJoined(reply: JoinReply): Promise<void> {
    this.closed = false;
    this.departed.clear();
    this.iceServers = reply.iceServers.map((s) => ({ ...s }));
    this.socket?.on('mesh:signal', (signal) => this.onSignal(signal));
    // The newcomer offers to every existing member; they answer (see onRosterChange for why only it).
    for (const peer of reply.peers) if (peer.id !== reply.selfId) this.linkFor(peer.id, true);
  }

  protected onRosterChange(added: PeerInfo[], removed: string[]): void {
    for (const peer of added) {
      this.departed.delete(peer.id);
      // The link may predate the roster entry (created by an early signal): copy its state over.
      const link = this.links.get(peer.id);
      if (link) this.patchPeer(peer.id, { stream: link.stream, connectionState: link.pc.connectionState });
      // Otherwise wait for the newcomer's offer instead of offering too. Perfect negotiation resolves
      // that glare on paper, but in Chromium 156 the side that rolls back its offer often never gathers
      // ICE candidates again (a wedged 'new' connection, restartIce does not help), so glare is avoided
      // by design and perfect negotiation stays as the safety net for rare collisions.
      else this.graceTimers.set(peer.id, setTimeout(() => this.linkFor(peer.id, true), OFFER_GRACE_MS));
    }
    for (const id of removed) {
      this.departed.add(id);
      this.dropLink(id);
    }
  }

  protected onLocalMediaChange(): void {
    // The base already flipped track.enabled; a disabled track keeps its sender and sends black/silence.
  }

  protected closeMedia(): void {
    this.closed = true;
    this.socket?.off('mesh:signal');
    for (const id of [...this.links.keys(), ...this.graceTimers.keys()]) this.dropLink(id);
  }

  async collectRawStats(): Promise<RawConnectionStats[]> {
    const links = [...this.links.values()];
    return Promise.all(
      links.map(async (link) => ({
        id: `peer:${link.peerId}`,
        role: 'peer' as const,
        peerId: link.peerId,
        state: link.pc.connectionState,
        sending: link.pc.getSenders().some((s) => s.track?.readyState === 'live'),
        stats: await plainStats(link.pc.getStats()),
      })),
    );
  }

  protected sendPing(peerId: string, text: string): boolean {
    return this.links.get(peerId)?.sendPing(text) ?? false;
  }

  private onSignal(signal: MeshSignal): void {
    if (this.closed || signal.from === this.selfId || this.departed.has(signal.from)) return;
    // Signals can beat the roster update that announces their sender: create the link on demand.
    this.linkFor(signal.from, false)?.handle(signal);
  }

  private linkFor(peerId: string, initiator: boolean): MeshLink | null {
    if (this.closed) return null;
    const existing = this.links.get(peerId);
    if (existing) return existing;
    clearTimeout(this.graceTimers.get(peerId));
    this.graceTimers.delete(peerId);
    const polite = this.selfId < peerId;
    const config: RTCConfiguration = { iceServers: this.iceServers, iceTransportPolicy: this.iceTransportPolicy };
    const link = new MeshLink(peerId, polite, initiator, config, this.localStream, {
      send: (signal) => this.send(peerId, signal),
      onStream: (stream) => this.patchPeer(peerId, { stream }),
      onState: (connectionState) => this.patchPeer(peerId, { connectionState }),
      onPing: (data) => this.pings.receive(data),
    });
    this.links.set(peerId, link);
    return link;
  }

  protected async onLocalTrackReplaced(track: MediaStreamTrack): Promise<void> {
    await Promise.all([...this.links.values()].map((link) => link.replaceTrack(track)));
  }

  protected applyIceServers(iceServers: RTCIceServer[]): void {
    this.iceServers = iceServers;
    for (const link of this.links.values()) link.setIceServers(iceServers);
  }

  private dropLink(peerId: string): void {
    clearTimeout(this.graceTimers.get(peerId));
    this.graceTimers.delete(peerId);
    this.links.get(peerId)?.close();
    this.links.delete(peerId);
  }

  private send(to: string, signal: OutgoingSignal): void {
    if (this.closed) return;
    // Fire-and-forget: a refused signal (peer gone) is followed by a roster update that closes the link.
    this.request('mesh:signal', { to, ...signal }).catch((err) => console.warn('mesh: signal to', to, 'refused', err));
  }
}
