// Watches a joining call for its first decoded remote video frame (the end of the join waterfall),
// with the same test an auto room's switch uses (media-arrival.ts: framesDecoded > 0).
import { receiving } from './media-arrival';

export interface FirstFrameWatch {
  /** The remote peers whose video may arrive (read on every poll: the roster grows while joining). */
  peerIds(): string[];
  /** The receivers carrying one peer's media to us now. */
  receiversOf(peerId: string): RTCRtpReceiver[];
  /** Called once, when a frame was seen decoded. */
  onFrame(): void;
  /** Poll interval: the mark is late by half of it on average. */
  intervalMs?: number;
  /** Gives up after this long (a room where nobody sends video). */
  timeoutMs?: number;
}

/**
 * Polls until a frame is decoded; returns the stop function. A receiver whose track is still
 * muted has had no packet yet (remote tracks unmute on their first packet), so it costs no
 * getStats() call and the polls are nearly free until media flows; every tenth poll asks them
 * all anyway, in case a browser never unmutes.
 */
export function watchFirstFrame({ peerIds, receiversOf, onFrame, intervalMs = 20, timeoutMs = 60_000 }: FirstFrameWatch): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let polls = 0;
  const deadline = Date.now() + timeoutMs;
  const poll = async () => {
    if (stopped) return;
    const all = polls++ % 10 === 9;
    const receivers = peerIds().flatMap((id) => receiversOf(id))
      // A receiver may not exist yet (mediasoup-client gives it once its transport is set up).
      .filter((r) => r?.track?.kind === 'video' && (all || !r.track.muted));
    const decoded = receivers.length > 0 && (await receiving(receivers, 'video').catch(() => false));
    if (stopped) return;
    if (decoded) {
      stopped = true;
      onFrame();
      return;
    }
    if (Date.now() < deadline) timer = setTimeout(() => void poll(), intervalMs);
  };
  void poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
