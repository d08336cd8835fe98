// A call that runs one topology for its whole life (a mesh room or an SFU room): every hook of the
// base goes to that one MediaTopology, and what it carries is what the snapshot shows.
import type { JoinReply, Mode, PeerInfo } from '../../../signaling/protocol';
import { BaseCall } from './base-call';
import type { CallOptions, RawConnectionStats } from './engine';
import type { MediaHost, MediaTopology } from './media-topology';

export class TopologyCall extends BaseCall {
  protected readonly topology: MediaTopology;

  constructor(mode: Mode, options: CallOptions, makeTopology: (host: MediaHost) => MediaTopology) {
    super(mode, options);
    this.topology = makeTopology(
      this.hostFor({
        peerMedia: (peerId, media) => this.patchPeer(peerId, media),
        failed: (failure) => this.fail(failure),
      }),
    );
  }

  protected onJoined(reply: JoinReply): Promise<void> {
    const { peers, iceServers, routerRtpCapabilities, e2ee } = reply;
    return this.topology.start({ peers, iceServers, routerRtpCapabilities, offer: 'newcomer', e2ee });
  }

  protected onRosterChange(added: PeerInfo[], removed: string[]): void {
    this.topology.rosterChanged(added, removed);
  }

  protected onLocalMediaChange(kind: 'audio' | 'video', enabled: boolean): void {
    this.topology.localMediaChanged(kind, enabled);
  }

  protected onLocalTrackReplaced(track: MediaStreamTrack): Promise<void> {
    return this.topology.replaceTrack(track);
  }

  protected onScreenChange(stream: MediaStream | null): Promise<void> {
    return this.topology.screenChanged(stream);
  }

  protected applyIceServers(iceServers: RTCIceServer[]): void {
    this.topology.setIceServers(iceServers);
  }

  protected closeMedia(): void {
    this.topology.close();
  }

  collectRawStats(): Promise<RawConnectionStats[]> {
    return this.topology.rawStats();
  }

  protected onResumed(): void {
    this.topology.resumed();
  }

  protected sendPing(peerId: string, text: string): boolean {
    return this.topology.sendPing(peerId, text);
  }

  protected onViewSize(): void {
    this.topology.viewSizeChanged?.();
  }

  protected receiversOf(peerId: string): RTCRtpReceiver[] {
    return this.topology.receivers(peerId);
  }
}
