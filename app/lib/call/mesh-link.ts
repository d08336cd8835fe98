// One mesh edge: an RTCPeerConnection to one remote peer, negotiated with the W3C "perfect
// negotiation" pattern, so an offer collision resolves by rule (MeshCall avoids them where it can).
import type { MeshSignal, MeshSignalRequest } from '../../../signaling/protocol';
import { IceWatchdog, WATCHDOG_DEFAULTS, type WatchdogOptions } from './ice-watchdog';
import { isScreenMid } from './screen-mids';
import { SCREEN_ENCODING, SCREEN_MAX_BITRATE, VIDEO_MAX_BITRATE } from './video-encodings';

/** What a link sends out; `to` is added by the owner, the server stamps `from`. */
export type OutgoingSignal = MeshSignalRequest extends infer S ? (S extends unknown ? Omit<S, 'to'> : never) : never;

export interface MeshLinkHooks {
  send(signal: OutgoingSignal): void;
  onStream(stream: MediaStream | null): void;
  /** The peer's screen share (its second video m-line: see screen-mids.ts), or null when it stopped. */
  onScreen(screen: MediaStream | null): void;
  onState(state: RTCPeerConnectionState): void;
  /** A message on the ping data channel; the returned text (a pong) is sent back on it. */
  onPing(data: unknown): string | null;
}

/** Enough for a few gathering rounds of host, srflx and relay candidates; a flood is not kept. */
const MAX_KEPT_CANDIDATES = 50;

export class MeshLink {
  readonly pc: RTCPeerConnection;
  stream: MediaStream | null = null;
  screen: MediaStream | null = null;
  /** The negotiated ping channel (id 0 on both sides), null until created. */
  private channel: RTCDataChannel | null = null;
  private makingOffer = false;
  private ignoreOffer = false;
  private settingRemoteAnswerPending = false;
  // Signals are applied one at a time, in arrival order, so a candidate never overtakes its description.
  private inbox: Promise<void> = Promise.resolve();
  private tracks = new Set<MediaStreamTrack>();
  private screenTracks = new Set<MediaStreamTrack>();
  /** Our screen share's own m-line on this link, kept once made: stopping only sets it inactive. */
  private screenTransceiver: RTCRtpTransceiver | null = null;
  /** Candidates refused for want of a (matching) remote description, retried after the next one. */
  private refusedCandidates: RTCIceCandidateInit[] = [];
  private closed = false;
  private readonly watchdog: IceWatchdog;

  constructor(
    readonly peerId: string,
    /** The polite side yields (rolls back its own offer) when both sides offer at once. */
    private readonly polite: boolean,
    /** True when we will send the first offer; false when the link answers an offer that already arrived. */
    initiator: boolean,
    config: RTCConfiguration,
    localStream: MediaStream | null,
    private readonly hooks: MeshLinkHooks,
    repairPolicy: WatchdogOptions = WATCHDOG_DEFAULTS,
  ) {
    this.pc = new RTCPeerConnection(config);
    // Failed, disconnected too long, or never connecting (the glare wedge): an ICE restart through
    // our own negotiation. Only the impolite side restarts (both at once would be a glare); a
    // polite side that sees a failure asks it to (see repair). Giving up leaves the connection
    // failed, and its tile says so.
    this.watchdog = new IceWatchdog((reason) => this.repair(reason), () => undefined, repairPolicy);
    this.watchdog.observe(this.pc.connectionState);
    this.pc.onnegotiationneeded = () => void this.offer();
    this.pc.onicecandidate = ({ candidate }) => this.hooks.send({ candidate: candidate ? toWire(candidate) : null });
    this.pc.onconnectionstatechange = () => this.onConnectionState();
    this.pc.ontrack = (event) => this.addRemoteTrack(event);
    this.addLocalMedia(localStream, initiator);
    // Encodings exist once a description is applied: cap the video copy then (see video-encodings).
    this.pc.addEventListener('signalingstatechange', () => {
      if (this.pc.signalingState === 'stable') this.capVideoBitrate();
    });
    // The offerer creates the ping channel up front so its first offer carries the data m-line. The
    // answerer creates its side only after applying that offer (see apply): created earlier, it
    // would fire negotiationneeded on the answerer too and race the incoming offer into a glare.
    if (initiator) this.openChannel();
  }

  /** Sends on the ping channel; false while it is not open. */
  sendPing(text: string): boolean {
    if (this.channel?.readyState !== 'open') return false;
    this.channel.send(text);
    return true;
  }

  /** Queues one inbound signal from this peer. */
  handle(signal: MeshSignal): void {
    this.inbox = this.inbox.then(() => this.apply(signal)).catch((err) => {
      if (!this.closed) console.warn('mesh: signal from', this.peerId, 'failed', err);
    });
  }

  /** Sends `track` on the sender of its kind: no renegotiation, the encoder just switches source. */
  async replaceTrack(track: MediaStreamTrack): Promise<void> {
    const sender = this.pc.getSenders().find((s) => s.track?.kind === track.kind && s !== this.screenTransceiver?.sender);
    if (sender && !this.closed) await sender.replaceTrack(track);
  }

  /**
   * Sends our screen share as a second video (stream) or stops sending it (null). Both change what
   * the link negotiates, so perfect negotiation renegotiates mid-call (negotiationneeded → offer).
   * The m-line stays after a stop (inactive) and carries the next share, so m-lines never pile up.
   */
  setScreen(stream: MediaStream | null): void {
    if (this.closed) return;
    const track = stream?.getVideoTracks()[0] ?? null;
    const transceiver = this.screenTransceiver;
    if (!transceiver) {
      if (!track || !stream) return;
      // addTransceiver, never addTrack: a remote offer must not take this m-line for the camera's.
      this.screenTransceiver = this.pc.addTransceiver(track, {
        direction: 'sendonly',
        streams: [stream],
        sendEncodings: [{ ...SCREEN_ENCODING }],
      });
      return;
    }
    transceiver.direction = track ? 'sendonly' : 'inactive';
    transceiver.sender.replaceTrack(track).catch(() => undefined); // a closing connection may refuse
  }

  /** Ids of the screen tracks on this link: the one we send and the one we receive. */
  screenTrackIds(): string[] {
    const sent = this.screenTransceiver?.sender.track;
    return [...(sent ? [sent.id] : []), ...[...this.screenTracks].map((t) => t.id)];
  }

  /** New TURN credentials; they apply to the next gathering (e.g. an ICE restart). */
  setIceServers(iceServers: RTCIceServer[]): void {
    if (!this.closed) this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.watchdog.close();
    this.pc.onnegotiationneeded = this.pc.onicecandidate = this.pc.onconnectionstatechange = this.pc.ontrack = null;
    if (this.channel) this.channel.onmessage = null;
    this.pc.close();
  }

  private capVideoBitrate(): void {
    for (const sender of this.pc.getSenders()) {
      if (sender.track?.kind !== 'video') continue;
      const cap = sender === this.screenTransceiver?.sender ? SCREEN_MAX_BITRATE : VIDEO_MAX_BITRATE;
      const params = sender.getParameters();
      const [encoding] = params.encodings ?? [];
      if (!encoding || encoding.maxBitrate === cap) continue;
      encoding.maxBitrate = cap;
      sender.setParameters(params).catch(() => undefined); // a closing connection may refuse; nothing to do
    }
  }

  private addLocalMedia(stream: MediaStream | null, initiator: boolean): void {
    for (const kind of ['audio', 'video'] as const) {
      const track = stream?.getTracks().find((t) => t.kind === kind);
      // addTrack (not addTransceiver) so the remote's offer can reuse this transceiver for its m-line.
      if (track && stream) this.pc.addTrack(track, stream);
      // Without a local track we still want the remote's media: an offer must ask for it. An answerer
      // needs nothing, the remote's offer brings its m-lines (extra ones would force a renegotiation).
      else if (initiator) this.pc.addTransceiver(kind, { direction: 'recvonly' });
    }
  }

  private openChannel(): void {
    if (this.channel || this.closed) return;
    // negotiated: both sides create channel id 0 themselves, no in-band DCEP open handshake to wait for.
    const channel = this.pc.createDataChannel('ping', { negotiated: true, id: 0, ordered: false, maxRetransmits: 0 });
    channel.onmessage = ({ data }) => {
      const reply = this.hooks.onPing(data);
      if (reply && channel.readyState === 'open') channel.send(reply);
    };
    this.channel = channel;
  }

  private async offer(): Promise<void> {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      this.sendLocalDescription();
    } catch (err) {
      if (!this.closed) console.warn('mesh: offer to', this.peerId, 'failed', err);
    } finally {
      this.makingOffer = false;
    }
  }

  /**
   * The impolite side restarts ICE itself. A polite side that sees the link fail asks the impolite
   * one to: a failure is often seen on one end only (the end whose socket reported an error), and
   * the other end would otherwise notice only when its consent checks expire, seconds later.
   */
  private repair(reason: 'failed' | 'disconnected' | 'stuck'): void {
    if (this.closed) return;
    if (!this.polite) this.pc.restartIce();
    else if (reason === 'failed') this.hooks.send({ restartIce: true });
  }

  private async apply(signal: MeshSignal): Promise<void> {
    if (this.closed) return;
    if ('restartIce' in signal) {
      // Already repairing (an offer out, or our own side failed or reconnecting, whose watchdog
      // restarts): nothing to add. A polite side never restarts; the peer's request is moot then.
      const state = this.pc.connectionState;
      const unaware = state === 'connected' || state === 'disconnected';
      if (!this.polite && unaware && this.pc.signalingState === 'stable') this.pc.restartIce();
      return;
    }
    if ('description' in signal) {
      const description = signal.description;
      const readyForOffer =
        !this.makingOffer && (this.pc.signalingState === 'stable' || this.settingRemoteAnswerPending);
      const offerCollision = description.type === 'offer' && !readyForOffer;
      this.ignoreOffer = !this.polite && offerCollision;
      if (this.ignoreOffer) return;
      this.settingRemoteAnswerPending = description.type === 'answer';
      // A polite side in have-local-offer rolls back implicitly here.
      await this.pc.setRemoteDescription(description as RTCSessionDescriptionInit);
      this.settingRemoteAnswerPending = false;
      await this.retryRefusedCandidates();
      if (description.type === 'offer') {
        this.openChannel(); // no-op when we created it as the offerer

        await this.pc.setLocalDescription();
        this.sendLocalDescription();
      }
      return;
    }
    try {
      // null = the remote finished gathering; browsers accept an empty call as end-of-candidates.
      await this.pc.addIceCandidate(signal.candidate ?? undefined);
    } catch (err) {
      // Candidates for an offer we ignored, or sent before any description reached us, fail now but
      // may be valid later: Chromium keeps a rolled-back side's ICE credentials and does not gather
      // again, so its answer arrives without fresh candidates (a pair wedged in 'new'). Keep them
      // for the next remote description. End-of-candidates may fail in old builds; nothing to keep.
      if (signal.candidate && (this.ignoreOffer || !this.pc.remoteDescription)) {
        if (this.refusedCandidates.length < MAX_KEPT_CANDIDATES) this.refusedCandidates.push(signal.candidate);
        return;
      }
      if (!this.ignoreOffer && signal.candidate) throw err;
    }
  }

  /** Offers the kept candidates again; those that belong to no current description fail quietly. */
  private async retryRefusedCandidates(): Promise<void> {
    const kept = this.refusedCandidates;
    this.refusedCandidates = [];
    for (const candidate of kept) await this.pc.addIceCandidate(candidate).catch(() => undefined);
  }

  private sendLocalDescription(): void {
    const local = this.pc.localDescription;
    if (!local || this.closed) return;
    this.hooks.send({ description: { type: local.type, sdp: local.sdp } });
  }

  private onConnectionState(): void {
    const state = this.pc.connectionState;
    this.hooks.onState(state);
    this.watchdog.observe(state);
  }

  private addRemoteTrack(event: RTCTrackEvent): void {
    const track = event.track;
    const screen = track.kind === 'video' && isScreenMid(this.pc.remoteDescription?.sdp, event.transceiver?.mid ?? null);
    const tracks = screen ? this.screenTracks : this.tracks;
    if (tracks.has(track)) return;
    tracks.add(track);
    const publish = () => (screen ? this.publishScreen() : this.publishStream());
    const drop = () => {
      if (tracks.delete(track)) publish();
    };
    track.addEventListener('ended', drop);
    // The remote stopped sending this track (direction change, e.g. a screen share that stopped, or removeTrack).
    event.streams[0]?.addEventListener('removetrack', (e) => {
      if (e.track === track) drop();
    });
    publish();
  }

  // A fresh MediaStream object each time, so React (and <video>) notice the change.
  private publishStream(): void {
    this.stream = this.tracks.size ? new MediaStream([...this.tracks]) : null;
    this.hooks.onStream(this.stream);
  }

  private publishScreen(): void {
    this.screen = this.screenTracks.size ? new MediaStream([...this.screenTracks]) : null;
    this.hooks.onScreen(this.screen);
  }
}

function toWire(candidate: RTCIceCandidate) {
  // Only the fields the protocol's strict schema accepts.
  return {
    candidate: candidate.candidate,
    sdpMid: candidate.sdpMid,
    sdpMLineIndex: candidate.sdpMLineIndex,
    usernameFragment: candidate.usernameFragment,
  };
}
