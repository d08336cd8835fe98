'use client';
// The call's control bar: mic, camera, leave. Toggles are disabled when that device is absent.
import type { MediaState } from '../../../signaling/protocol';
import { CameraIcon, LeaveIcon, MicIcon } from '../Icons';

export interface ControlsProps {
  media: MediaState;
  hasAudio: boolean;
  hasVideo: boolean;
  onMic(enabled: boolean): void;
  onCamera(enabled: boolean): void;
  onLeave(): void;
}

export function Controls({ media, hasAudio, hasVideo, onMic, onCamera, onLeave }: ControlsProps) {
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
      <button type="button" className="btn round danger" data-testid="leave-button" title="Leave the call" onClick={onLeave}>
        <LeaveIcon />
        <span className="sr-only">Leave</span>
      </button>
    </div>
  );
}
