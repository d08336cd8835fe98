// Whether each peer's media arrives on a path: what an auto room's switch waits for before the
// tiles move to the new path (make before break). Reads only the path's own receivers.
import type { RemotePeer } from './engine';

/** The peers whose media we get now but not yet on the path `receiversOf` describes. */
export async function missingMedia(peers: readonly RemotePeer[], receiversOf: (peerId: string) => RTCRtpReceiver[]): Promise<RemotePeer[]> {
  const arrived = await Promise.all(peers.map((peer) => arriving(peer, receiversOf(peer.id))));
  return peers.filter((_, i) => !arrived[i]);
}

/**
 * A peer we get nothing from (no stream yet, or its seat reconnecting) has nothing to lose. One
 * whose camera is on must have a decoded frame on the new path; one with only a microphone, audio
 * packets. A paused camera sends nothing through an SFU, so it is not waited for.
 */
async function arriving(peer: RemotePeer, receivers: RTCRtpReceiver[]): Promise<boolean> {
  if (peer.reconnecting || !peer.stream) return true;
  const kind = peer.media.video ? 'video' : peer.media.audio ? 'audio' : null;
  if (!kind) return true;
  return receiving(receivers, kind);
}

/** A decoded frame (video) or a received packet (audio) on one of these receivers of that kind. */
export async function receiving(receivers: readonly RTCRtpReceiver[], kind: 'audio' | 'video'): Promise<boolean> {
  for (const receiver of receivers) {
    if (receiver.track?.kind !== kind) continue;
    const report = await receiver.getStats();
    for (const stat of report.values() as IterableIterator<Record<string, unknown>>) {
      if (stat.type !== 'inbound-rtp') continue;
      if (kind === 'video' ? Number(stat.framesDecoded) > 0 : Number(stat.packetsReceived) > 0) return true;
    }
  }
  return false;
}
