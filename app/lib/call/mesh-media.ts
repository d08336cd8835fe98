// Mesh topology: one MeshLink (RTCPeerConnection) per remote peer, so our media is uploaded N-1
// times. Routes mesh:signal messages to links and reports each link's stream and state to the host.
import type { MeshSignal, PeerInfo } from '../../../signaling/protocol';
import type { RawConnectionStats } from './engine';
import type { MediaHost, MediaTopology, TopologyStart } from './media-topology';
import { MeshLink, type OutgoingSignal } from './mesh-link';
import { plainStats } from './plain-stats';

// How long a member waits for the other side's offer before offering itself.
const OFFER_GRACE_MS = 4000;

export class MeshMedia implements MediaTopology {
  readonly mode = 'mesh' as const;
  private links = new Map<string, MeshLink>();
  private graceTimers = new Map<string, ReturnType<typeof setTimeout>>();
  // Peers that left: a late signal from them must not resurrect a connection.
  private departed = new Set<string>();
  private iceServers: RTCIceServer[] = [];
  private closed = true;
  private readonly onSignal = (signal: MeshSignal): void => {
    if (this.closed || signal.from === this.host.selfId || this.departed.has(signal.from)) return;
    // Signals can beat the roster update that announces their sender: create the link on demand.
    // A restart request is about a link that exists; for one already dropped it means nothing.
    if ('restartIce' in signal) this.links.get(signal.from)?.handle(signal);
    else this.linkFor(signal.from, false)?.handle(signal);
  };

  constructor(private readonly host: MediaHost) {}

  async start({ peers, iceServers, offer }: TopologyStart): Promise<void> {
    this.closed = false;
    this.departed.clear();
    this.iceServers = iceServers.map((s) => ({ ...s }));
    this.host.socket?.on('mesh:signal', this.onSignal);
    const self = this.host.selfId;
    for (const peer of peers) {
      if (peer.id === self) continue;
      // A newcomer offers to every member (they wait: see rosterChanged); when everyone starts at
      // once, the lower id of each pair offers and the other waits.
      if (offer === 'newcomer' || self < peer.id) this.linkFor(peer.id, true);
      else this.offerLater(peer.id);
    }
  }

  rosterChanged(added: PeerInfo[], removed: string[]): void {
    for (const peer of added) {
      this.departed.delete(peer.id);
      // The link may predate the roster entry (created by an early signal): report its state.
      const link = this.links.get(peer.id);
      if (link) this.host.peerMedia(peer.id, { stream: link.stream, screen: link.screen, connectionState: link.pc.connectionState });
      // Otherwise wait for the newcomer's offer instead of offering too. Perfect negotiation resolves
      // that glare on paper, but in Chromium 156 the side that rolls back its offer often never gathers
      // ICE candidates again (a wedged 'new' connection, restartIce does not help), so glare is avoided
      // by design and perfect negotiation stays as the safety net for rare collisions.
      else this.offerLater(peer.id);
    }
    for (const id of removed) {
      this.departed.add(id);
      this.dropLink(id);
    }
  }

  localMediaChanged(): void {
    // The call already flipped track.enabled; a disabled track keeps its sender and sends black/silence.
  }

  async replaceTrack(track: MediaStreamTrack): Promise<void> {
    await Promise.all([...this.links.values()].map((link) => link.replaceTrack(track)));
  }

  async screenChanged(stream: MediaStream | null): Promise<void> {
    for (const link of this.links.values()) link.setScreen(stream);
  }

  setIceServers(iceServers: RTCIceServer[]): void {
    this.iceServers = iceServers;
    for (const link of this.links.values()) link.setIceServers(iceServers);
  }

  resumed(): void {
    // Links never needed signaling to keep going; nothing was missed.
  }

  sendPing(peerId: string, text: string): boolean {
    return this.links.get(peerId)?.sendPing(text) ?? false;
  }

  async rawStats(): Promise<RawConnectionStats[]> {
    return Promise.all(
      [...this.links.values()].map(async (link) => ({
        id: `peer:${link.peerId}`,
        role: 'peer' as const,
        peerId: link.peerId,
        state: link.pc.connectionState,
        sending: link.pc.getSenders().some((s) => s.track?.readyState === 'live'),
        stats: await plainStats(link.pc.getStats()),
        screenTracks: link.screenTrackIds(),
      })),
    );
  }

  receivers(peerId: string): RTCRtpReceiver[] {
    return this.links.get(peerId)?.pc.getReceivers() ?? [];
  }

  close(): void {
    this.closed = true;
    this.host.socket?.off('mesh:signal', this.onSignal);
    for (const id of [...this.links.keys(), ...this.graceTimers.keys()]) this.dropLink(id);
  }

  private offerLater(peerId: string): void {
    clearTimeout(this.graceTimers.get(peerId));
    this.graceTimers.set(peerId, setTimeout(() => this.linkFor(peerId, true), OFFER_GRACE_MS));
  }

  private linkFor(peerId: string, initiator: boolean): MeshLink | null {
    if (this.closed) return null;
    const existing = this.links.get(peerId);
    if (existing) return existing;
    clearTimeout(this.graceTimers.get(peerId));
    this.graceTimers.delete(peerId);
    const polite = this.host.selfId < peerId;
    const config: RTCConfiguration = { iceServers: this.iceServers, iceTransportPolicy: this.host.iceTransportPolicy };
    const link = new MeshLink(peerId, polite, initiator, config, this.host.localStream, {
      send: (signal) => this.send(peerId, signal),
      onStream: (stream) => this.host.peerMedia(peerId, { stream }),
      onScreen: (screen) => this.host.peerMedia(peerId, { screen }),
      onState: (connectionState) => {
        this.host.connectionState('peer', connectionState);
        this.host.peerMedia(peerId, { connectionState });
      },
      onPing: (data) => this.host.pings.receive(data),
    });
    this.links.set(peerId, link);
    // A share that is on when the link is made (a newcomer, or an auto room's switch) goes with it.
    link.setScreen(this.host.screenStream);
    return link;
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
    this.host.request('mesh:signal', { to, ...signal }).catch((err) => console.warn('mesh: signal to', to, 'refused', err));
  }
}
