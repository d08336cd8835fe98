'use client';
// The call's control bar: mic, camera, screen share, the device menu, leave. Toggles are disabled
// when that device is absent.
import type { MediaState } from '../../../signaling/protocol';
import type { DeviceLists } from '../../lib/media/devices';
import { CameraIcon, LeaveIcon, MicIcon } from '../Icons';

function ScreenIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round"
      strokeLinejoin="round" aria-hidden="true">
      <rect x="2" y="4" width="20" height="13" rx="2" />
      <path d="M8 21h8M12 17v4M12 14V8M9 11l3-3 3 3" />
    </svg>
  );
}

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
  /** We share a screen now; canShare: the browser can (no getDisplayMedia on phones). */
  sharing: boolean;
  canShare: boolean;
  onShare(on: boolean): void;
}

export function Controls({ media, hasAudio, hasVideo, onMic, onCamera, onLeave, devices, current, onSwitch, sharing, canShare, onShare }: ControlsProps) {
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
      {/* After the device menu: the menu's popup stays centred on a phone's controls. */}
      <button
        type="button"
        className={`btn round${sharing ? ' primary' : ''}`}
        data-testid="share-screen"
        aria-pressed={sharing}
        disabled={!canShare && !sharing}
        title={canShare || sharing ? (sharing ? 'Stop sharing your screen' : 'Share your screen') : 'This browser cannot share a screen'}
        onClick={() => onShare(!sharing)}
      >
        <ScreenIcon />
        <span className="sr-only">{sharing ? 'Stop sharing' : 'Share screen'}</span>
      </button>
      <button type="button" className="btn round danger" data-testid="leave-button" title="Leave the call" onClick={onLeave}>
        <LeaveIcon />
        <span className="sr-only">Leave</span>
      </button>
    </div>
  );
}
