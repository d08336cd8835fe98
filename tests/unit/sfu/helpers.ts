// Shared pieces of the SFU tests: a quiet real SFU, producer RTP parameters a browser would send,
// and a bounded wait for an event.
import type { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { expect } from 'vitest';
import { createSfu, type MediasoupSfu, type SfuConfig } from '../../../server/sfu/index';
import { ServerError } from '../../../signaling/errors';
import type { ErrorCode } from '../../../signaling/protocol';

export const quietLogger = pino({ level: 'silent' });

export async function startSfu(config: SfuConfig = {}): Promise<MediasoupSfu> {
  const sfu = await createSfu({ numWorkers: 1, ...config }, quietLogger);
  expect(sfu.unavailableReason()).toBeNull();
  return sfu;
}

export function audioRtpParameters(ssrc = 11111111) {
  return {
    mid: '0',
    codecs: [
      { mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } },
    ],
    headerExtensions: [],
    encodings: [{ ssrc }],
    rtcp: { cname: `audio-${ssrc}` },
  };
}

export function videoRtpParameters(ssrc = 22222222) {
  return {
    mid: '1',
    codecs: [
      {
        mimeType: 'video/VP8',
        payloadType: 96,
        clockRate: 90000,
        rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
      },
      { mimeType: 'video/rtx', payloadType: 97, clockRate: 90000, parameters: { apt: 96 } },
    ],
    headerExtensions: [],
    encodings: [
      { ssrc, rtx: { ssrc: ssrc + 1 } },
      { ssrc: ssrc + 2, rtx: { ssrc: ssrc + 3 } },
    ],
    rtcp: { cname: `video-${ssrc}` },
  };
}

/** Resolves with the arguments of the next `event`, or rejects after `ms`. */
export function nextEvent<T extends unknown[]>(emitter: EventEmitter, event: string, ms = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, onEvent);
      reject(new Error(`no ${event} event within ${ms} ms`));
    }, ms);
    function onEvent(...args: unknown[]) {
      clearTimeout(timer);
      resolve(args as T);
    }
    emitter.once(event, onEvent);
  });
}

/** Polls `check` until it returns true, for at most `ms`. */
export async function waitUntil(check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function expectServerError(promise: Promise<unknown>, code: ErrorCode, message?: RegExp) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ServerError);
  expect((err as ServerError).code).toBe(code);
  if (message) expect((err as ServerError).message).toMatch(message);
  return err as ServerError;
}
