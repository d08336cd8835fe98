// A small stand-in for the browser's RTCPeerConnection (Node has none), modelling only what perfect
// negotiation depends on, after the W3C spec: the operations chain, signaling states, implicit
// setLocalDescription, implicit rollback, the negotiation-needed flag, trickle ICE, negotiated data
// channels. No media, ICE or DTLS: connectionState is driven by the test (setConnectionState,
// connectPeers). The SDP is a readable toy (ufrag and one m= line per section), not a codec offer.
import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { vi } from 'vitest';

type MediaKind = 'audio' | 'video';
type Direction = RTCRtpTransceiverDirection;

interface MLine {
  kind: MediaKind | 'application';
  mid: string;
  direction: Direction;
}

export interface WireCandidate {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
  usernameFragment: string | null;
}

// ---- tasks: every asynchronous step goes through here, so a test can wait until nothing is left ----

let pendingTasks = 0;

/** Runs fn in a later task (like a browser's queued task) and counts it until it ran. */
export function later(fn: () => void): void {
  pendingTasks++;
  setTimeout(() => {
    pendingTasks--;
    fn();
  }, 0);
}

/** Waits until no fake task is queued (promise continuations run between tasks). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 2_000; i++) {
    await new Promise((r) => setTimeout(r, 0));
    if (pendingTasks === 0) {
      await new Promise((r) => setTimeout(r, 0));
      if (pendingTasks === 0) return;
    }
  }
  throw new Error('fake WebRTC never settled (a negotiation loop?)');
}

// ---- the toy SDP ----

function writeSdp(owner: number, ufrag: string, lines: MLine[]): string {
  const head = ['v=0', `o=- ${owner} 2 IN IP4 127.0.0.1`, 's=-', `a=ice-ufrag:${ufrag}`];
  const body = lines.flatMap((l) =>
    l.kind === 'application'
      ? ['m=application 9 UDP/DTLS/SCTP webrtc-datachannel', `a=mid:${l.mid}`]
      : [`m=${l.kind} 9 UDP/TLS/RTP/SAVPF 96`, `a=mid:${l.mid}`, `a=${l.direction}`],
  );
  return [...head, ...body, ''].join('\r\n');
}

export function parseSdp(sdp: string): { ufrag: string; lines: MLine[] } {
  let ufrag = '';
  const lines: MLine[] = [];
  for (const text of sdp.split(/\r?\n/)) {
    if (text.startsWith('a=ice-ufrag:')) ufrag = text.slice('a=ice-ufrag:'.length);
    else if (text.startsWith('m=')) lines.push({ kind: text.slice(2).split(' ')[0] as MLine['kind'], mid: '', direction: 'sendrecv' });
    else if (text.startsWith('a=mid:')) lines[lines.length - 1].mid = text.slice('a=mid:'.length);
    else if (/^a=(sendrecv|sendonly|recvonly|inactive)$/.test(text)) lines[lines.length - 1].direction = text.slice(2) as Direction;
  }
  return { ufrag, lines };
}

const sends = (d: Direction) => d === 'sendrecv' || d === 'sendonly';
const receives = (d: Direction) => d === 'sendrecv' || d === 'recvonly';

function answerDirection(local: Direction, offered: Direction): Direction {
  const send = sends(local) && receives(offered);
  const recv = receives(local) && sends(offered);
  return send && recv ? 'sendrecv' : send ? 'sendonly' : recv ? 'recvonly' : 'inactive';
}

// ---- senders, transceivers, data channels ----

export class FakeSender {
  /** Empty until a description negotiated the transceiver (then one encoding, like a browser). */
  encodings: RTCRtpEncodingParameters[] = [];
  constructor(public track: MediaStreamTrack | null) {}
  getParameters(): RTCRtpSendParameters {
    return { encodings: this.encodings.map((e) => ({ ...e })), transactionId: 't', codecs: [], headerExtensions: [], rtcp: {} };
  }
  async setParameters(params: RTCRtpSendParameters): Promise<void> {
    this.encodings = params.encodings.map((e) => ({ ...e }));
  }
  async replaceTrack(track: MediaStreamTrack | null): Promise<void> {
    this.track = track;
  }
}

interface FakeTransceiver {
  kind: MediaKind;
  mid: string | null;
  /** The mid came from a local offer not yet answered; a rollback takes it back. */
  provisional: boolean;
  direction: Direction;
  /** Only addTrack's transceivers may be taken over by a remote offer's m-line (JSEP 5.10). */
  fromAddTrack: boolean;
  sender: FakeSender;
  receiverTrack: FakeMediaStreamTrack;
  trackFired: boolean;
}

export class FakeDataChannel {
  readyState: RTCDataChannelState = 'connecting';
  onmessage: ((event: { data: unknown }) => void) | null = null;
  peer: FakeDataChannel | null = null;
  readonly sent: string[] = [];
  constructor(
    readonly label: string,
    readonly init: RTCDataChannelInit,
  ) {}
  get id(): number | null {
    return this.init.id ?? null;
  }
  send(data: string): void {
    if (this.readyState !== 'open') throw new DOMException('RTCDataChannel.readyState is not open', 'InvalidStateError');
    this.sent.push(data);
    const peer = this.peer;
    later(() => {
      if (peer?.readyState === 'open') peer.onmessage?.({ data });
    });
  }
  close(): void {
    this.readyState = 'closed';
  }
}

/** The remote stream ontrack hands out: only its events matter to the code under test. */
class FakeRemoteStream extends EventTarget {
  readonly id = 'remote-stream';
}

let nextPcNumber = 1;
const newUfrag = () => Math.random().toString(36).slice(2, 10);

// ---- the peer connection ----

export class FakeRTCPeerConnection extends EventTarget {
  readonly number = nextPcNumber++;
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  onnegotiationneeded: ((event: Event) => void) | null = null;
  onicecandidate: ((event: { candidate: WireCandidate | null }) => void) | null = null;
  onconnectionstatechange: ((event: Event) => void) | null = null;
  ontrack: ((event: unknown) => void) | null = null;

  // What tests read.
  /** 'SLD:offer', 'SLD:answer', 'SRD:offer', 'SRD:answer', 'rollback', in the order they happened. */
  readonly history: string[] = [];
  /** Candidates this side emitted, one array per gathering (a rollback or ICE restart starts another). */
  readonly gatherings: WireCandidate[][] = [];
  readonly addedCandidates: WireCandidate[] = [];
  readonly rejectedCandidates: Array<{ candidate: unknown; error: string }> = [];
  endOfCandidates = 0;
  restartIceCalls = 0;
  negotiationNeededEvents = 0;
  readonly channels: FakeDataChannel[] = [];
  /** The signaling state at each createDataChannel call. */
  readonly channelCreatedIn: RTCSignalingState[] = [];
  readonly transceivers: FakeTransceiver[] = [];
  ufrag = newUfrag();

  private config: RTCConfiguration;
  private closed = false;
  private currentLocal: RTCSessionDescriptionInit | null = null;
  private currentRemote: RTCSessionDescriptionInit | null = null;
  private pendingLocal: RTCSessionDescriptionInit | null = null;
  private pendingRemote: RTCSessionDescriptionInit | null = null;
  /** The m-lines of the last completed offer/answer. */
  private negotiated: MLine[] = [];
  private remoteUfrag: string | null = null;
  private iceRestartPending = false;
  private gatheredUfrag: string | null = null;
  /** false: model Chromium keeping a rolled-back side's ICE credentials without gathering again. */
  regatherAfterRollback = true;
  private gatheringRun = 0;
  private ops = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private negotiationNeeded = false;
  private updateOnEmptyChain = false;
  private readonly remoteStream = new FakeRemoteStream();

  constructor(config: RTCConfiguration = {}) {
    super();
    this.config = { ...config };
  }

  get localDescription(): RTCSessionDescriptionInit | null {
    return this.pendingLocal ?? this.currentLocal;
  }
  get remoteDescription(): RTCSessionDescriptionInit | null {
    return this.pendingRemote ?? this.currentRemote;
  }

  getConfiguration(): RTCConfiguration {
    return { ...this.config };
  }
  setConfiguration(config: RTCConfiguration): void {
    this.assertOpen();
    this.config = { ...config };
  }
  /** Both sides agreed on a data (SCTP) section. */
  get dataNegotiated(): boolean {
    return this.negotiated.some((l) => l.kind === 'application');
  }
  getSenders(): FakeSender[] {
    return this.transceivers.map((t) => t.sender);
  }

  addTrack(track: MediaStreamTrack): FakeSender {
    this.assertOpen();
    const t = this.newTransceiver(track.kind as MediaKind, 'sendrecv', true, track);
    this.updateNegotiationNeeded();
    return t.sender;
  }
  addTransceiver(kind: MediaKind, init: RTCRtpTransceiverInit = {}): FakeTransceiver {
    this.assertOpen();
    const t = this.newTransceiver(kind, init.direction ?? 'sendrecv', false, null);
    this.updateNegotiationNeeded();
    return t;
  }
  createDataChannel(label: string, init: RTCDataChannelInit = {}): FakeDataChannel {
    this.assertOpen();
    const channel = new FakeDataChannel(label, init);
    this.channels.push(channel);
    this.channelCreatedIn.push(this.signalingState);
    if (!this.negotiated.some((l) => l.kind === 'application')) this.updateNegotiationNeeded();
    return channel;
  }
  restartIce(): void {
    this.restartIceCalls++;
    if (this.closed) return;
    this.ufrag = newUfrag();
    this.iceRestartPending = true;
    this.updateNegotiationNeeded();
  }

  /** Implicit only (no argument): an offer in stable/have-local-offer, an answer in have-remote-offer. */
  setLocalDescription(description?: RTCSessionDescriptionInit): Promise<void> {
    if (description) throw new Error('the fake models implicit setLocalDescription() only');
    return this.enqueue(() => {
      if (this.signalingState === 'have-remote-offer') this.applyLocalAnswer();
      else this.applyLocalOffer();
      this.startGathering();
    });
  }

  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    return this.enqueue(() => {
      if (description.type === 'offer') this.applyRemoteOffer(description);
      else if (description.type === 'answer') this.applyRemoteAnswer(description);
      else throw new DOMException(`the fake does not model ${description.type}`, 'NotSupportedError');
    });
  }

  addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void> {
    return this.enqueue(() => {
      try {
        if (!this.remoteDescription) throw new DOMException('The remote description was null', 'InvalidStateError');
        if (!candidate || !candidate.candidate) {
          this.endOfCandidates++;
          return;
        }
        if (candidate.usernameFragment && candidate.usernameFragment !== this.remoteUfrag) {
          throw new DOMException('Error processing ICE candidate', 'OperationError');
        }
        this.addedCandidates.push({ ...(candidate as WireCandidate) });
      } catch (err) {
        this.rejectedCandidates.push({ candidate, error: (err as DOMException).name });
        throw err;
      }
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // As in browsers: no signalingstatechange or connectionstatechange event for close().
    this.signalingState = 'closed';
    this.connectionState = 'closed';
    this.gatheringRun++;
    for (const channel of this.channels) channel.close();
  }

  /** Test control: what ICE/DTLS would report (a closed connection reports nothing). */
  setConnectionState(state: RTCPeerConnectionState): void {
    if (this.closed) return;
    this.connectionState = state;
    this.onconnectionstatechange?.(new Event('connectionstatechange'));
  }

  // ---- the operations chain: one operation at a time, each completing in a later task ----

  private enqueue(op: () => void): Promise<void> {
    if (this.closed) return Promise.reject(new DOMException('The RTCPeerConnection is closed', 'InvalidStateError'));
    this.ops++;
    const result = this.chain.then(
      () =>
        new Promise<void>((resolve, reject) => {
          later(() => {
            if (this.closed) return; // the spec leaves an operation cut short by close() unsettled
            try {
              op();
              resolve();
            } catch (err) {
              reject(err);
            }
          });
        }),
    );
    this.chain = result.then(
      () => this.operationDone(),
      () => this.operationDone(),
    );
    return result;
  }

  private operationDone(): void {
    this.ops--;
    if (this.ops === 0 && this.updateOnEmptyChain) {
      this.updateOnEmptyChain = false;
      this.updateNegotiationNeeded();
    }
  }

  // ---- descriptions ----

  private applyLocalOffer(): void {
    const lines: MLine[] = this.negotiated.map((l) => ({ ...l, direction: this.byMid(l.mid)?.direction ?? l.direction }));
    for (const t of this.transceivers) {
      if (t.mid !== null && lines.some((l) => l.mid === t.mid)) continue;
      if (t.mid === null) {
        t.mid = this.freeMid(lines);
        t.provisional = true;
      }
      lines.push({ kind: t.kind, mid: t.mid, direction: t.direction });
    }
    if (this.channels.length && !lines.some((l) => l.kind === 'application')) {
      lines.push({ kind: 'application', mid: this.freeMid(lines), direction: 'sendrecv' });
    }
    this.pendingLocal = { type: 'offer', sdp: writeSdp(this.number, this.ufrag, lines) };
    this.history.push('SLD:offer');
    this.setSignalingState('have-local-offer');
  }

  private applyLocalAnswer(): void {
    const offer = parseSdp(this.pendingRemote!.sdp!);
    const lines = offer.lines.map((l) =>
      l.kind === 'application' ? { ...l } : { ...l, direction: answerDirection(this.byMid(l.mid)!.direction, l.direction) },
    );
    this.currentLocal = { type: 'answer', sdp: writeSdp(this.number, this.ufrag, lines) };
    this.currentRemote = this.pendingRemote;
    this.pendingRemote = null;
    this.history.push('SLD:answer');
    this.completeNegotiation(offer.lines);
  }

  private applyRemoteOffer(description: RTCSessionDescriptionInit): void {
    if (this.signalingState === 'have-local-offer') this.rollbackLocalOffer(); // implicit rollback, as browsers do
    else if (this.signalingState !== 'stable') {
      throw new DOMException(`Failed to set remote offer sdp: Called in wrong state: ${this.signalingState}`, 'InvalidStateError');
    }
    const offer = parseSdp(description.sdp ?? '');
    // The remote restarted ICE: our answer gets fresh credentials too.
    if (this.remoteUfrag !== null && offer.ufrag !== this.remoteUfrag) this.ufrag = newUfrag();
    this.remoteUfrag = offer.ufrag;
    const fired: FakeTransceiver[] = [];
    for (const line of offer.lines) {
      if (line.kind === 'application') continue;
      let t = this.byMid(line.mid);
      if (!t) {
        t =
          this.transceivers.find((x) => x.kind === line.kind && x.mid === null && x.fromAddTrack) ??
          this.newTransceiver(line.kind, 'recvonly', false, null);
        t.mid = line.mid;
      }
      if (sends(line.direction) && !t.trackFired) fired.push(t);
    }
    this.pendingRemote = { type: 'offer', sdp: description.sdp };
    this.history.push('SRD:offer');
    this.setSignalingState('have-remote-offer');
    this.fireTracks(fired);
  }

  private applyRemoteAnswer(description: RTCSessionDescriptionInit): void {
    if (this.signalingState !== 'have-local-offer') {
      throw new DOMException(`Failed to set remote answer sdp: Called in wrong state: ${this.signalingState}`, 'InvalidStateError');
    }
    const answer = parseSdp(description.sdp ?? '');
    const offered = parseSdp(this.pendingLocal!.sdp!).lines;
    if (answer.lines.map((l) => l.mid).join() !== offered.map((l) => l.mid).join()) {
      throw new DOMException('The order of m-lines in answer doesn\'t match order in offer', 'InvalidAccessError');
    }
    this.remoteUfrag = answer.ufrag;
    this.currentLocal = this.pendingLocal;
    this.currentRemote = { type: 'answer', sdp: description.sdp };
    this.pendingLocal = null;
    if (this.iceRestartPending && parseSdp(this.currentLocal!.sdp!).ufrag === this.ufrag) this.iceRestartPending = false;
    this.history.push('SRD:answer');
    const fired = answer.lines.filter((l) => l.kind !== 'application' && sends(l.direction)).map((l) => this.byMid(l.mid)!);
    this.completeNegotiation(offered);
    this.fireTracks(fired.filter((t) => !t.trackFired));
  }

  private rollbackLocalOffer(): void {
    for (const t of this.transceivers) {
      if (t.provisional) t.mid = null;
      t.provisional = false;
    }
    this.pendingLocal = null;
    // The spec's offer transport is gone and the next description gathers again; Chromium 156 keeps
    // the credentials and may not gather again (modelled when regatherAfterRollback is false).
    if (this.regatherAfterRollback) this.gatheredUfrag = null;
    this.gatheringRun++;
    this.history.push('rollback');
  }

  private completeNegotiation(lines: MLine[]): void {
    this.negotiated = lines.map((l) => ({ ...l }));
    for (const t of this.transceivers) {
      t.provisional = false;
      if (t.mid !== null && t.sender.encodings.length === 0) t.sender.encodings = [{ active: true }];
    }
    this.setSignalingState('stable');
    // Back to stable: whatever is still unnegotiated fires negotiationneeded again.
    this.negotiationNeeded = false;
    this.updateOnEmptyChain = true;
  }

  private setSignalingState(state: RTCSignalingState): void {
    if (this.signalingState === state) return;
    this.signalingState = state;
    this.dispatchEvent(new Event('signalingstatechange'));
  }

  private fireTracks(transceivers: FakeTransceiver[]): void {
    for (const t of transceivers) {
      t.trackFired = true;
      this.ontrack?.({ track: t.receiverTrack, streams: [this.remoteStream], transceiver: t });
    }
  }

  // ---- negotiation-needed (W3C "update the negotiation-needed flag") ----

  private isNegotiationNeeded(): boolean {
    if (this.iceRestartPending) return true;
    if (this.channels.length && !this.negotiated.some((l) => l.kind === 'application')) return true;
    return this.transceivers.some((t) => t.mid === null);
  }

  private updateNegotiationNeeded(): void {
    if (this.closed) return;
    if (this.ops > 0) {
      this.updateOnEmptyChain = true;
      return;
    }
    later(() => {
      if (this.closed) return;
      if (this.ops > 0) {
        this.updateOnEmptyChain = true;
        return;
      }
      if (this.signalingState !== 'stable') return;
      if (!this.isNegotiationNeeded()) {
        this.negotiationNeeded = false;
        return;
      }
      if (this.negotiationNeeded) return;
      this.negotiationNeeded = true;
      this.negotiationNeededEvents++;
      this.onnegotiationneeded?.(new Event('negotiationneeded'));
    });
  }

  // ---- trickle ICE: two host candidates, then null, after a description starts a gathering ----

  private startGathering(): void {
    if (this.gatheredUfrag === this.ufrag) return;
    this.gatheredUfrag = this.ufrag;
    const run = ++this.gatheringRun;
    const batch: WireCandidate[] = [];
    this.gatherings.push(batch);
    const ufrag = this.ufrag;
    const sdpMid = parseSdp(this.localDescription!.sdp!).lines[0]?.mid ?? '0';
    const candidates: WireCandidate[] = [1, 2].map((i) => ({
      candidate: `candidate:${i} 1 udp ${2122260224 - i} 10.0.${this.number}.${i} ${50_000 + i} typ host generation 0 ufrag ${ufrag}`,
      sdpMid,
      sdpMLineIndex: 0,
      usernameFragment: ufrag,
    }));
    const emit = (i: number) =>
      later(() => {
        if (this.closed || run !== this.gatheringRun) return;
        const candidate = candidates[i] ?? null;
        if (candidate) batch.push(candidate);
        this.onicecandidate?.({ candidate });
        if (candidate) emit(i + 1);
      });
    emit(0);
  }

  // ---- helpers ----

  private newTransceiver(kind: MediaKind, direction: Direction, fromAddTrack: boolean, track: MediaStreamTrack | null) {
    const t: FakeTransceiver = {
      kind, mid: null, provisional: false, direction, fromAddTrack, sender: new FakeSender(track),
      receiverTrack: new FakeMediaStreamTrack({ kind, label: `remote ${kind}` }), trackFired: false,
    };
    this.transceivers.push(t);
    return t;
  }

  private byMid(mid: string): FakeTransceiver | undefined {
    return this.transceivers.find((t) => t.mid === mid);
  }

  private freeMid(lines: MLine[]): string {
    const used = new Set([...lines.map((l) => l.mid), ...this.transceivers.map((t) => t.mid)]);
    let n = 0;
    while (used.has(String(n))) n++;
    return String(n);
  }

  private assertOpen(): void {
    if (this.closed) throw new DOMException('The RTCPeerConnection is closed', 'InvalidStateError');
  }
}

/** Test control: ICE and DTLS "succeed" between two negotiated fakes; negotiated channels open in pairs. */
export function connectPeers(a: FakeRTCPeerConnection, b: FakeRTCPeerConnection): void {
  if (!a.dataNegotiated || !b.dataNegotiated) throw new Error('connectPeers: no negotiated data section');
  for (const channel of a.channels) {
    const twin = b.channels.find((c) => c.init.negotiated && c.id === channel.id);
    if (!channel.init.negotiated || !twin) continue;
    channel.peer = twin;
    twin.peer = channel;
    channel.readyState = twin.readyState = 'open';
  }
  a.setConnectionState('connected');
  b.setConnectionState('connected');
}

/** Installs the fake as the global RTCPeerConnection; undo with vi.unstubAllGlobals(). */
export function installFakeRTCPeerConnection(): void {
  vi.stubGlobal('RTCPeerConnection', FakeRTCPeerConnection);
}

/** The fake behind a link's `pc` (typed as the DOM's RTCPeerConnection in app code). */
export const fakeOf = (pc: RTCPeerConnection) => pc as unknown as FakeRTCPeerConnection;
