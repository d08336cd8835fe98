// The E2EE worker: every encoded frame of an end-to-end encrypted call passes through here
// (RTCRtpScriptTransform), encrypted on the way out with our media key and decrypted on the way in
// with the sender's. Without a key nothing passes: a frame is never sent in clear, and one that
// does not decrypt is dropped, so the decoder never sees garbage. Counts go to the page each second.
import { clearBytes, decryptFrame, encryptFrame } from './frame-crypto';

export type ToWorker =
  | { type: 'send-key'; keyId: number; key: CryptoKey }
  | { type: 'peer-key'; peerId: string; keyId: number; key: CryptoKey }
  | { type: 'forget-peer'; peerId: string };

export interface WorkerCounts {
  type: 'counts';
  encrypted: number;
  /** Frames dropped on the way out because we had no key yet. */
  unsent: number;
  /** Per sending peer: frames decrypted, and frames dropped because they did not decrypt. */
  peers: Record<string, { decrypted: number; failed: number }>;
  /** Bytes the encryption added (IV, tag, key id) to what we sent. */
  overheadBytes: number;
  /** Time spent in WebCrypto, ms: the delay E2EE adds to each frame, summed. */
  encryptMs: number;
  decryptMs: number;
}

export interface TransformOptions {
  role: 'encrypt' | 'decrypt';
  kind: 'audio' | 'video';
  /** decrypt: whose frames these are. */
  peerId?: string;
}

interface EncodedFrame {
  data: ArrayBuffer;
  type?: string;
}

interface Scope {
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  onrtctransform: ((e: { transformer: { options: TransformOptions; readable: ReadableStream<EncodedFrame>; writable: WritableStream<EncodedFrame> } }) => void) | null;
  postMessage(message: WorkerCounts): void;
}
const scope = self as unknown as Scope;

let sendKey: { keyId: number; key: CryptoKey } | null = null;
const peerKeys = new Map<string, Map<number, CryptoKey>>();
const counts: WorkerCounts = { type: 'counts', encrypted: 0, unsent: 0, peers: {}, overheadBytes: 0, encryptMs: 0, decryptMs: 0 };

scope.onmessage = ({ data }) => {
  if (data.type === 'send-key') sendKey = { keyId: data.keyId, key: data.key };
  else if (data.type === 'peer-key') {
    const keys = peerKeys.get(data.peerId) ?? new Map<number, CryptoKey>();
    keys.set(data.keyId, data.key);
    peerKeys.set(data.peerId, keys);
  } else peerKeys.delete(data.peerId);
};

scope.onrtctransform = ({ transformer }) => {
  const { role, kind, peerId = '' } = transformer.options;
  const transform = new TransformStream<EncodedFrame, EncodedFrame>({
    async transform(frame, out) {
      const clear = clearBytes(kind, frame.type);
      if (role === 'encrypt') {
        const key = sendKey;
        if (!key) return void counts.unsent++;
        const before = frame.data.byteLength;
        const started = performance.now();
        frame.data = await encryptFrame(frame.data, clear, key.key, key.keyId);
        counts.encryptMs += performance.now() - started;
        counts.encrypted++;
        counts.overheadBytes += frame.data.byteLength - before;
        return out.enqueue(frame);
      }
      const tally = (counts.peers[peerId] ??= { decrypted: 0, failed: 0 });
      const started = performance.now();
      const plain = await decryptFrame(frame.data, clear, (keyId) => peerKeys.get(peerId)?.get(keyId));
      counts.decryptMs += performance.now() - started;
      if (!plain) return void tally.failed++;
      tally.decrypted++;
      frame.data = plain;
      out.enqueue(frame);
    },
  });
  void transformer.readable.pipeThrough(transform).pipeTo(transformer.writable).catch(() => undefined);
};

setInterval(() => scope.postMessage(counts), 1000);
