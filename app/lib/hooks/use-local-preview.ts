// Pre-join camera/mic preview: acquires media for the chosen devices, lists devices, and hands
// the live stream over to the call on join (so joining does not prompt or flash the camera again).
import { useCallback, useEffect, useRef, useState } from 'react';
import { listDevices, stopStream, type DeviceLists } from '../media/devices';
import { getLocalMedia, type DeviceChoice, type LocalMedia } from '../media/local-media';

export interface LocalPreview {
  media: LocalMedia | null;
  devices: DeviceLists;
  /** Gives the current media to the caller, who becomes responsible for stopping it. */
  takeMedia(): LocalMedia | null;
}

export function useLocalPreview(choice: DeviceChoice): LocalPreview {
  const [media, setMedia] = useState<LocalMedia | null>(null);
  const [devices, setDevices] = useState<DeviceLists>({ audio: [], video: [] });
  const handedOff = useRef<MediaStream | null>(null);
  const latest = useRef<LocalMedia | null>(null);

  useEffect(() => {
    let cancelled = false;
    let acquired: LocalMedia | null = null;
    setMedia(null);
    const accept = async (result: LocalMedia) => {
      if (cancelled) return stopStream(result.stream);
      acquired = latest.current = result;
      setMedia(result);
      // Device labels become readable only once access was granted, so list after acquiring.
      const lists = await listDevices();
      if (!cancelled) setDevices(lists);
    };
    getLocalMedia(choice).then(accept, (err: unknown) =>
      accept({ stream: null, notice: `Could not open camera or microphone (${String(err)}).` }),
    );
    return () => {
      cancelled = true;
      if (latest.current === acquired) latest.current = null;
      // Stop the previous camera before opening another: some systems refuse two at once.
      if (acquired?.stream && acquired.stream !== handedOff.current) stopStream(acquired.stream);
    };
  }, [choice.audioId, choice.videoId]);

  useEffect(() => {
    const refresh = () => void listDevices().then(setDevices);
    navigator.mediaDevices?.addEventListener?.('devicechange', refresh);
    return () => navigator.mediaDevices?.removeEventListener?.('devicechange', refresh);
  }, []);

  const takeMedia = useCallback(() => {
    handedOff.current = latest.current?.stream ?? null;
    return latest.current;
  }, []);

  return { media, devices, takeMedia };
}
