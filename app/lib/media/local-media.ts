// Getting the local camera and microphone, degrading to audio-only, video-only or receive-only
// with a human explanation instead of failing the call.
import { CAMERA_SIZE } from '../call/view-layers';
import { canUseMedia } from './devices';

export interface DeviceChoice {
  audioId?: string;
  videoId?: string;
}

export interface LocalMedia {
  stream: MediaStream | null;
  /** Why we have less than camera + microphone; null when we have both. */
  notice: string | null;
}

const RECEIVE_ONLY = 'You can still take part receive-only: others will not see or hear you, but you will see and hear them.';

// Modest capture: in mesh mode this picture is uploaded once per other participant.
const VIDEO = { width: { ideal: CAMERA_SIZE.width }, height: { ideal: CAMERA_SIZE.height }, frameRate: { ideal: 24, max: 30 } };

/**
 * Where the app picks the camera (no device chosen), a phone's front one ('user', ideal: a laptop's
 * only camera still matches); a chosen device is asked for exactly, whichever way it faces.
 */
export function constraints(choice: DeviceChoice, audio: boolean, video: boolean): MediaStreamConstraints {
  return {
    audio: audio ? (choice.audioId ? { deviceId: { exact: choice.audioId } } : true) : false,
    video: video ? { ...VIDEO, ...(choice.videoId ? { deviceId: { exact: choice.videoId } } : { facingMode: { ideal: 'user' } }) } : false,
  };
}

/** One sentence on why getUserMedia failed, naming what the person can do about it. */
function explainMediaError(err: unknown, what = 'camera and microphone'): string {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return `Access to your ${what} was blocked. Allow it in the browser's site settings (the icon left of the address bar) and rejoin.`;
    case 'NotFoundError':
      return `No ${what} was found. Plug one in and rejoin.`;
    case 'NotReadableError':
    case 'AbortError':
      return `Your ${what} could not be started; another app (or another tab) is probably using it. Close it and rejoin.`;
    case 'OverconstrainedError':
      return `The selected ${what} is no longer available. Pick another one.`;
    default:
      return `Your ${what} could not be opened (${name || String(err)}).`;
  }
}

async function tryGet(c: MediaStreamConstraints): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia(c);
}

/**
 * The camera and microphone, or as much of them as works, with a sentence on what is missing.
 * `firstTry`: a getUserMedia already under way for both with the default devices (early-media.ts);
 * its failure is explained and handled like the first attempt's.
 */
export async function getLocalMedia(choice: DeviceChoice = {}, firstTry?: Promise<MediaStream>): Promise<LocalMedia> {
  if (!canUseMedia()) {
    return {
      stream: null,
      notice: `This page is not served over HTTPS (or localhost), so the browser does not offer camera or microphone. ${RECEIVE_ONLY}`,
    };
  }
  let firstError: unknown;
  try {
    return { stream: await (firstTry ?? tryGet(constraints(choice, true, true))), notice: null };
  } catch (err) {
    firstError = err;
  }
  const name = (firstError as { name?: string })?.name;
  // A denied permission covers both devices: retrying would only prompt again.
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return { stream: null, notice: `${explainMediaError(firstError)} ${RECEIVE_ONLY}` };
  }
  // A chosen device that vanished: fall back to the defaults before giving anything up.
  if (name === 'OverconstrainedError' && (choice.audioId || choice.videoId)) return getLocalMedia({});
  // One of the two devices may be missing or busy: keep whichever still works.
  const audioOnly = await tryGet(constraints(choice, true, false)).catch((e: unknown) => e);
  if (audioOnly instanceof MediaStream) {
    return { stream: audioOnly, notice: `No camera: ${explainMediaError(firstError, 'camera')}` };
  }
  const videoOnly = await tryGet(constraints(choice, false, true)).catch((e: unknown) => e);
  if (videoOnly instanceof MediaStream) {
    return { stream: videoOnly, notice: `No microphone: ${explainMediaError(audioOnly, 'microphone')}` };
  }
  return { stream: null, notice: `${explainMediaError(firstError)} ${RECEIVE_ONLY}` };
}

/** One new camera or microphone track (a device switch or an unplug fallback); default device without an id. */
export async function getTrack(kind: 'audio' | 'video', deviceId?: string): Promise<MediaStreamTrack> {
  const choice: DeviceChoice = kind === 'audio' ? { audioId: deviceId } : { videoId: deviceId };
  const stream = await tryGet(constraints(choice, kind === 'audio', kind === 'video'));
  const [track] = kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks();
  if (!track) throw new DOMException(`no ${kind} track`, 'NotFoundError');
  return track;
}

/** Why a device switch failed, in the words used for joining. */
export function deviceProblem(err: unknown, kind: 'audio' | 'video'): string {
  return explainMediaError(err, kind === 'audio' ? 'microphone' : 'camera');
}
