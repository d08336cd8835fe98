// One participant's end-to-end encryption in an SFU room: its ECDH identity and media key, the
// other participants' public keys and media keys (exchanged with e2ee:key through the server, which
// sees only public keys and wrapped keys), the worker that encrypts and decrypts every frame, and
// the safety code. When someone leaves, our media key is replaced, so a participant who left cannot
// decrypt what is said after. The call owns one and hands it to its SFU topology.
import type { E2eeKeyMessage, E2eeKeyRequest } from '../../../../signaling/protocol';
import type { ToWorker, TransformOptions, WorkerCounts } from './e2ee.worker';
import { newIdentity, newMediaKey, safetyCode, unwrapMediaKey, wrapMediaKey, wrappingKey } from './keys';

/** How long receivers get to learn a new media key before we start encrypting with it. */
const ROTATION_DELAY_MS = 1500;

export interface E2eeState {
  /** Compare it aloud: the same code everywhere means everyone holds the same keys. */
  safetyCode: string | null;
  /** Peers whose media key we hold (we can decrypt them). */
  keyedPeers: string[];
  /** Our media key's id (it changes when someone leaves). */
  keyId: number;
  /** From the worker: frames we encrypted, frames we could not send yet, bytes encryption added. */
  encryptedFrames: number;
  unsentFrames: number;
  overheadBytes: number;
  /** Per sending peer: frames decrypted and frames dropped because they did not decrypt. */
  peers: Record<string, { decrypted: number; failed: number }>;
  /** Time spent encrypting our frames and decrypting the others', ms in total. */
  encryptMs: number;
  decryptMs: number;
}

export interface E2eeChannel {
  roomId: string;
  selfId(): string;
  send(message: E2eeKeyRequest): Promise<unknown>;
}

interface PeerKeys {
  publicKey: string;
  wrapping: Promise<CryptoKey>;
  /** The key id of ours we last sent them, so a new one goes out once. */
  sentKeyId: number | null;
}

type WorkerLike = Pick<Worker, 'postMessage' | 'terminate'> & { onmessage: ((e: MessageEvent<WorkerCounts>) => void) | null };

export class E2eeSession {
  private identity: Awaited<ReturnType<typeof newIdentity>> | null = null;
  private media: { keyId: number; raw: Uint8Array<ArrayBuffer> } | null = null;
  private peers = new Map<string, PeerKeys>();
  private keyed = new Set<string>();
  private worker: WorkerLike;
  private listeners = new Set<() => void>();
  private state: E2eeState = { safetyCode: null, keyedPeers: [], keyId: 0, encryptedFrames: 0, unsentFrames: 0, overheadBytes: 0, peers: {}, encryptMs: 0, decryptMs: 0 };
  private ready: Promise<void>;
  private rotation: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly channel: E2eeChannel,
    makeWorker: () => WorkerLike = () => new Worker(new URL('./e2ee.worker.ts', import.meta.url), { type: 'module' }),
  ) {
    this.worker = makeWorker();
    this.worker.onmessage = ({ data }) => {
      const { encrypted, unsent, overheadBytes, peers, encryptMs, decryptMs } = data;
      this.set({ encryptedFrames: encrypted, unsentFrames: unsent, overheadBytes, peers: structuredClone(peers), encryptMs, decryptMs });
    };
    this.ready = this.init();
  }

  getState = (): E2eeState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Frames leave encrypted: set before the sender negotiates (mediasoup-client's onRtpSender). */
  protectSender(sender: RTCRtpSender, kind: 'audio' | 'video'): void {
    this.attach(sender, { role: 'encrypt', kind });
  }

  protectReceiver(receiver: RTCRtpReceiver, peerId: string, kind: 'audio' | 'video'): void {
    this.attach(receiver, { role: 'decrypt', kind, peerId });
  }

  /** Say hello to these peers (our public key); each answers with its own and its media key. */
  async greet(peerIds: string[]): Promise<void> {
    await this.ready;
    for (const id of peerIds) if (id !== this.channel.selfId()) void this.sendTo(id, false);
  }

  async receive(message: E2eeKeyMessage): Promise<void> {
    await this.ready;
    const { from, publicKey, mediaKey } = message;
    let peer = this.peers.get(from);
    if (!peer || peer.publicKey !== publicKey) {
      // A new key for the same peer (it rejoined) starts over; our key goes to it again.
      peer = { publicKey, wrapping: wrappingKey(this.identity!.keys, publicKey, this.channel.roomId), sentKeyId: null };
      this.peers.set(from, peer);
      void this.updateCode();
    }
    if (mediaKey) {
      const key = await unwrapMediaKey(mediaKey.iv, mediaKey.wrapped, await peer.wrapping);
      if (key) {
        this.post({ type: 'peer-key', peerId: from, keyId: mediaKey.keyId, key });
        this.keyed.add(from);
        this.set({ keyedPeers: [...this.keyed] });
      } else console.warn(`e2ee: the media key from ${from} did not unwrap (not for us, or tampered with)`);
    }
    if (peer.sentKeyId !== this.media!.keyId) await this.sendTo(from, true);
  }

  /** Someone left: forget its keys, and replace ours so it cannot follow the rest of the call. */
  peersLeft(peerIds: string[]): void {
    if (!peerIds.length) return;
    for (const id of peerIds) {
      this.peers.delete(id);
      this.keyed.delete(id);
      this.post({ type: 'forget-peer', peerId: id });
    }
    this.set({ keyedPeers: [...this.keyed] });
    void this.updateCode();
    void this.rotate();
  }

  close(): void {
    clearTimeout(this.rotation);
    this.worker.terminate();
    this.listeners.clear();
  }

  // ---- internals ------------------------------------------------------------------------------
  private async init(): Promise<void> {
    this.identity = await newIdentity();
    const { raw, key } = await newMediaKey();
    this.media = { keyId: 0, raw };
    this.post({ type: 'send-key', keyId: 0, key });
    await this.updateCode();
  }

  private async rotate(): Promise<void> {
    await this.ready;
    const keyId = (this.media!.keyId + 1) % 256;
    const { raw, key } = await newMediaKey();
    this.media = { keyId, raw };
    await Promise.all([...this.peers.keys()].map((id) => this.sendTo(id, true)));
    // The others need a moment to unwrap it; until then we keep encrypting with the old one.
    clearTimeout(this.rotation);
    this.rotation = setTimeout(() => {
      this.post({ type: 'send-key', keyId, key });
      this.set({ keyId });
    }, ROTATION_DELAY_MS);
  }

  /** Our public key, and our media key wrapped for the peer once we know its public key. */
  private async sendTo(peerId: string, withKey: boolean): Promise<void> {
    const peer = this.peers.get(peerId);
    const media = this.media!;
    const message: E2eeKeyRequest = { to: peerId, publicKey: this.identity!.publicKey };
    if (withKey && peer) {
      message.mediaKey = { keyId: media.keyId, ...(await wrapMediaKey(media.raw, await peer.wrapping)) };
      peer.sentKeyId = media.keyId;
    }
    await this.channel.send(message).catch((err: unknown) => console.warn(`e2ee: could not send our key to ${peerId}`, err));
  }

  private async updateCode(): Promise<void> {
    const keys: Record<string, string> = { [this.channel.selfId()]: this.identity!.publicKey };
    for (const [id, peer] of this.peers) keys[id] = peer.publicKey;
    this.set({ safetyCode: await safetyCode(keys) });
  }

  private attach(target: RTCRtpSender | RTCRtpReceiver, options: TransformOptions): void {
    target.transform = new RTCRtpScriptTransform(this.worker as Worker, options);
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private set(patch: Partial<E2eeState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}
