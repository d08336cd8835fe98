// Cameras and microphones during a call: lists them (kept fresh on plug and unplug), switches the
// call to another one, and falls back to the default device when the one in use goes away,
// saying what happened. The engine only swaps tracks; getting them is this hook's job.
import { useCallback, useEffect, useState } from 'react';
import type { CallEngine } from '../call/engine';
import { listDevices, type DeviceLists } from '../media/devices';
import { deviceProblem, getTrack } from '../media/local-media';

type Kind = 'audio' | 'video';
const NOUN: Record<Kind, string> = { audio: 'microphone', video: 'camera' };

export interface CallDevices {
  devices: DeviceLists;
  /** What happened to our devices, in plain words (a switch, a fallback, a failure); null when nothing. */
  notice: string | null;
  switchTo(kind: Kind, deviceId: string): Promise<void>;
}

export function useCallDevices(engine: CallEngine, localStream: MediaStream | null): CallDevices {
  const [devices, setDevices] = useState<DeviceLists>({ audio: [], video: [] });
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    const refresh = () => void listDevices().then(setDevices);
    refresh();
    navigator.mediaDevices?.addEventListener?.('devicechange', refresh);
    return () => navigator.mediaDevices?.removeEventListener?.('devicechange', refresh);
  }, []);

  const switchTo = useCallback(
    async (kind: Kind, deviceId: string) => {
      try {
        const track = await getTrack(kind, deviceId);
        await engine.replaceLocalTrack(track);
        setNotice(`Now using ${track.label || `another ${NOUN[kind]}`}.`);
      } catch (err) {
        setNotice(`Could not switch ${NOUN[kind]}: ${err instanceof Error && !(err instanceof DOMException) ? err.message : deviceProblem(err, kind)}`);
      }
    },
    [engine],
  );

  // A track that ends by itself means its device went away (unplugged, taken by the system).
  useEffect(() => {
    const tracks = localStream?.getTracks() ?? [];
    const listeners = tracks.map((track) => {
      const onEnded = () => void fallBack(engine, track, setNotice);
      track.addEventListener('ended', onEnded);
      return () => track.removeEventListener('ended', onEnded);
    });
    return () => listeners.forEach((off) => off());
  }, [engine, localStream]);

  return { devices, notice, switchTo };
}

async function fallBack(engine: CallEngine, lost: MediaStreamTrack, say: (text: string) => void): Promise<void> {
  const kind: Kind = lost.kind === 'audio' ? 'audio' : 'video';
  const what = lost.label || `your ${NOUN[kind]}`;
  try {
    const track = await getTrack(kind);
    await engine.replaceLocalTrack(track);
    say(`${what} stopped working (unplugged?); switched to ${track.label || `the default ${NOUN[kind]}`}.`);
  } catch (err) {
    // Nothing to switch to: turn it off so everyone's roster says so instead of showing a frozen tile.
    if (kind === 'audio') engine.setMicEnabled(false);
    else engine.setCameraEnabled(false);
    say(`${what} stopped working and no other ${NOUN[kind]} could be opened (${deviceProblem(err, kind)}); it is off for now.`);
  }
}
