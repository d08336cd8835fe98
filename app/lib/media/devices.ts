// Listing cameras and microphones for the pre-join pickers, with readable fallback labels.

export interface DeviceOption {
  deviceId: string;
  label: string;
}

export interface DeviceLists {
  audio: DeviceOption[];
  video: DeviceOption[];
}

/** True when this page may ask for camera and microphone at all (HTTPS or localhost). */
export function canUseMedia(): boolean {
  return typeof window !== 'undefined' && window.isSecureContext && !!navigator.mediaDevices?.getUserMedia;
}

/** Labels are empty until the user granted access once, hence the numbered fallbacks. */
export async function listDevices(): Promise<DeviceLists> {
  if (!canUseMedia() || !navigator.mediaDevices.enumerateDevices) return { audio: [], video: [] };
  const devices = await navigator.mediaDevices.enumerateDevices().catch(() => [] as MediaDeviceInfo[]);
  const pick = (kind: MediaDeviceKind, noun: string): DeviceOption[] =>
    devices
      .filter((d) => d.kind === kind && d.deviceId)
      .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${noun} ${i + 1}` }));
  return { audio: pick('audioinput', 'Microphone'), video: pick('videoinput', 'Camera') };
}

export function stopStream(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** The device id a live stream actually uses, so pickers can show the real selection. */
export function activeDeviceId(stream: MediaStream | null, kind: 'audio' | 'video'): string | undefined {
  const track = kind === 'audio' ? stream?.getAudioTracks()[0] : stream?.getVideoTracks()[0];
  return track?.getSettings().deviceId;
}
