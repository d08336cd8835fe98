// The SFU's active-speaker reports, thinned: a new speaker at once, the same one again at most once
// per refresh interval, silence once; and the observer on a real mediasoup worker, fed RTP packets
// carrying the audio level header extension over loopback UDP.
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { types } from 'mediasoup';
import type { ActiveSpeakerInfo } from '../../../signaling/protocol';
import { ActiveSpeakers, SpeakerReports } from '../../../server/sfu/active-speaker';
import { MEDIA_CODECS } from '../../../server/sfu/config';
import type { MediasoupSfu } from '../../../server/sfu/index';
import { quietLogger, startSfu, waitUntil } from './helpers';

describe('SpeakerReports', () => {
  it('reports a new speaker at once, repeats it only after the refresh interval', () => {
    const reports = new SpeakerReports(1_000);
    expect(reports.observe({ peerId: 'a', volume: -30.4 }, 0)).toEqual({ peerId: 'a', volume: -30 });
    expect(reports.observe({ peerId: 'a', volume: -28 }, 500)).toBeNull();
    expect(reports.observe({ peerId: 'a', volume: -28 }, 999)).toBeNull();
    expect(reports.observe({ peerId: 'a', volume: -28 }, 1_000)).toEqual({ peerId: 'a', volume: -28 });
    expect(reports.observe({ peerId: 'b', volume: -20 }, 1_100)).toEqual({ peerId: 'b', volume: -20 });
  });

  it('reports silence once, and nothing for a room that was never heard', () => {
    const reports = new SpeakerReports(1_000);
    expect(reports.observe(null, 0)).toBeNull();
    reports.observe({ peerId: 'a', volume: -30 }, 100);
    expect(reports.observe(null, 600)).toEqual({ peerId: null, volume: null });
    expect(reports.observe(null, 5_000)).toBeNull();
    expect(reports.observe({ peerId: 'a', volume: -30 }, 5_100)).toEqual({ peerId: 'a', volume: -30 });
  });

  it('keeps volumes within the protocol range', () => {
    expect(new SpeakerReports().observe({ peerId: 'a', volume: -300 }, 0)).toEqual({ peerId: 'a', volume: -127 });
  });
});

const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

/** An Opus RTP packet with a one-byte header extension (id 1) carrying `dbov` as RFC 6464 wants it. */
function audioPacket(ssrc: number, seq: number, dbov: number): Buffer {
  const p = Buffer.alloc(12 + 8 + 3);
  p[0] = 0x90; // version 2, extension bit
  p[1] = 100;
  p.writeUInt16BE(seq & 0xffff, 2);
  p.writeUInt32BE((seq * 960) >>> 0, 4);
  p.writeUInt32BE(ssrc, 8);
  p.writeUInt16BE(0xbede, 12);
  p.writeUInt16BE(1, 14); // one 32-bit word of extensions
  p[16] = 0x10; // id 1, length 1
  p[17] = Math.min(127, -dbov);
  p.set([0xf8, 0xff, 0xfe], 20);
  return p;
}

describe('ActiveSpeakers on a real worker', () => {
  let sfu: MediasoupSfu | null = null;
  afterEach(async () => {
    await sfu?.close();
    sfu = null;
  });

  it('reports the loudest producer above the threshold, never a quiet one, then silence', async () => {
    sfu = await startSfu();
    await sfu.addPeer('room', 'host');
    const router = await sfu.workerOf('room')!.createRouter({ mediaCodecs: MEDIA_CODECS });
    const reported: [string, ActiveSpeakerInfo][] = [];
    const speakers = new ActiveSpeakers((roomId, info) => reported.push([roomId, info]), quietLogger);
    const socket = createSocket('udp4');
    const producers: { ssrc: number; port: number; dbov: number }[] = [];
    for (const [peerId, ssrc, dbov] of [['loud', 1111, -20], ['quiet', 2222, -90]] as const) {
      const transport = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: true });
      const producer: types.Producer = await transport.produce({
        kind: 'audio',
        rtpParameters: {
          codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
          headerExtensions: [{ uri: AUDIO_LEVEL_URI, id: 1 }],
          encodings: [{ ssrc }],
        },
      });
      await speakers.add('room', router, producer, peerId);
      producers.push({ ssrc, port: transport.tuple.localPort, dbov });
    }
    let sending = producers;
    let seq = 0;
    const timer = setInterval(() => {
      seq += 1;
      for (const p of sending) socket.send(audioPacket(p.ssrc, seq, p.dbov), p.port, '127.0.0.1');
    }, 20);
    try {
      await waitUntil(() => reported.length > 0, 5_000);
      expect(reported[0]).toEqual(['room', { peerId: 'loud', volume: -20 }]);
      // The loud one stops; the quiet one, still sending, is no speaker: the room is silent.
      sending = producers.filter((p) => p.dbov < -50);
      await waitUntil(() => reported.some(([, info]) => info.peerId === null), 5_000);
    } finally {
      clearInterval(timer);
      socket.close();
    }
    expect(reported.at(-1)).toEqual(['room', { peerId: null, volume: null }]);
    expect(reported.filter(([, info]) => info.peerId === 'quiet')).toEqual([]);
  });
});
