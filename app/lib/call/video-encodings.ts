// The video bitrates both modes send, kept equal so that upload cost compares topologies, not encoders.
// The camera is asked for 640x360. Chromium allows only two simulcast layers at that size and drops
// the full-resolution one when given three, so the SFU sends a quarter-resolution thumbnail layer
// and the full one (a half-resolution layer would cost almost as much as the full one for simple
// content); mesh sends one full-resolution copy per peer, capped like the SFU's full layer.

/** The cap on one full-resolution video stream (mesh: each copy; SFU: the top layer), bits/s. */
export const VIDEO_MAX_BITRATE = 900_000;

/**
 * SFU simulcast layers, lowest first (mediasoup-client's order). L1T1: Chromium otherwise encodes
 * simulcast VP8 with temporal layers, which costs bits a mesh copy does not pay.
 */
export const SIMULCAST_LAYERS = [
  { scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T1' },
  { scaleResolutionDownBy: 1, maxBitrate: VIDEO_MAX_BITRATE, scalabilityMode: 'L1T1' },
];

/**
 * A screen share: one encoding in both modes (no simulcast: everyone wants the sharp version, and
 * a thumbnail of a slide is unreadable), capped like this per copy (mesh) or once (SFU), bits/s.
 */
export const SCREEN_MAX_BITRATE = 1_000_000;
export const SCREEN_ENCODING = { maxBitrate: SCREEN_MAX_BITRATE, scalabilityMode: 'L1T1' };
