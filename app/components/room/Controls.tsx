'use client';
// The call's control bar: mic, camera, the device menu, leave. Toggles are disabled when that
// device is absent.
import type { MediaState } from '../../../signaling/protocol';
import type { DeviceLists } from '../../lib/media/devices';
import { CameraIcon, LeaveIcon, MicIcon } from '../Icons';

export interface ControlsProps {
  media: MediaState;
  hasAudio: boolean;
  hasVideo: boolean;
  onMic(enabled: boolean): void;
  onCamera(enabled: boolean): void;
  onLeave(): void;
  devices: DeviceLists;
  /** Device ids in use now (undefined when unknown or absent). */
  current: { audio?: string; video?: string };
  onSwitch(kind: 'audio' | 'video', deviceId: string): void;
}

export function Controls({ media, hasAudio, hasVideo, onMic, onCamera, onLeave, devices, current, onSwitch }: ControlsProps) {
  return (
    <div className="controls" role="toolbar" aria-label="Call controls">
      <button
        type="button"
        className={`btn round${media.audio ? '' : ' off'}`}
        data-testid="toggle-mic"
        aria-pressed={!media.audio}
        disabled={!hasAudio}
        title={hasAudio ? (media.audio ? 'Mute microphone' : 'Unmute microphone') : 'No microphone'}
        onClick={() => onMic(!media.audio)}
      >
        <MicIcon off={!media.audio} />
        <span className="sr-only">{media.audio ? 'Mute microphone' : 'Unmute microphone'}</span>
      </button>
      <button
        type="button"
        className={`btn round${media.video ? '' : ' off'}`}
        data-testid="toggle-camera"
        aria-pressed={!media.video}
        disabled={!hasVideo}
        title={hasVideo ? (media.video ? 'Turn camera off' : 'Turn camera on') : 'No camera'}
        onClick={() => onCamera(!media.video)}
      >
        <CameraIcon off={!media.video} />
        <span className="sr-only">{media.video ? 'Turn camera off' : 'Turn camera on'}</span>
      </button>
      <details className="device-menu" data-testid="device-menu">
        <summary className="btn round" title="Switch camera or microphone">⚙<span className="sr-only">Devices</span></summary>
        <div className="device-menu-body">
          {(['video', 'audio'] as const).map((kind) => (
            <label key={kind} className="field">
              <span>{kind === 'video' ? 'Camera' : 'Microphone'}</span>
              <select data-testid={kind === 'video' ? 'camera-switch' : 'mic-switch'} value={current[kind] ?? ''}
                disabled={!(kind === 'video' ? hasVideo : hasAudio) || devices[kind].length === 0}
                onChange={(e) => onSwitch(kind, e.target.value)}>
                {devices[kind].map((d) => (
                  <option key={d.deviceId} value={d.deviceId}>{d.label}</option>
                ))}
              </select>
            </label>
          ))}
        </div>
      </details>
      <button type="button" className="btn round danger" data-testid="leave-button" title="Leave the call" onClick={onLeave}>
        <LeaveIcon />
        <span className="sr-only">Leave</span>
      </button>
    </div>
  );
}
