'use client';
// Pre-join: live mirrored preview, camera and microphone pickers, name (when the link had none),
// the room's passcode (prefilled from the lobby or the link), Join.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { RoomMode } from '../../../signaling/protocol';
import { activeDeviceId, type DeviceOption } from '../../lib/media/devices';
import type { DeviceChoice, LocalMedia } from '../../lib/media/local-media';
import { useLocalPreview } from '../../lib/hooks/use-local-preview';
import { ROOM_MODE_INFO } from '../../lib/mode-info';
import { receivePasscode } from '../../lib/passcode-handoff';
import { displayNameProblem, passcodeProblem } from '../../lib/validation';
import { ModeBadge } from '../ModeBadge';

export interface PreJoinProps {
  mode: RoomMode;
  roomId: string;
  initialName: string;
  onJoin(media: LocalMedia, name: string, choice: DeviceChoice, passcode: string): void;
}

export function PreJoin({ mode, roomId, initialName, onJoin }: PreJoinProps) {
  const [choice, setChoice] = useState<DeviceChoice>({});
  const [name, setName] = useState(initialName);
  const [passcode, setPasscode] = useState('');
  const [touched, setTouched] = useState(false);
  const { media, devices, takeMedia } = useLocalPreview(choice);
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    if (video.current) video.current.srcObject = media?.stream ?? null;
  }, [media]);
  useEffect(() => setPasscode(receivePasscode(roomId)), [roomId]);

  const nameError = displayNameProblem(name);
  const passcodeError = passcodeProblem(passcode);
  const stream = media?.stream ?? null;

  function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (nameError || passcodeError || !media) return;
    const taken = takeMedia();
    if (taken) onJoin(taken, name.trim(), choice, passcode);
  }

  return (
    <form className="card prejoin" onSubmit={submit} noValidate>
      <div className="prejoin-head">
        <ModeBadge roomMode={mode} />
        <h1>
          Join <span className="room-name">{roomId}</span>
        </h1>
      </div>
      <p className="muted">{ROOM_MODE_INFO[mode].uploadCost}</p>

      <div className="preview" data-testid="preview">
        <video ref={video} autoPlay playsInline muted className={stream?.getVideoTracks().length ? 'mirrored' : 'hidden'} />
        {!media && <span className="preview-msg">Waiting for camera and microphone…</span>}
        {media && !stream?.getVideoTracks().length && <span className="preview-msg">No camera</span>}
      </div>
      {media?.notice && (
        <div className="alert notice" role="status" data-testid="prejoin-notice">
          {media.notice}
        </div>
      )}

      <div className="device-row">
        <DevicePicker
          label="Camera"
          testId="camera-select"
          options={devices.video}
          value={choice.videoId ?? activeDeviceId(stream, 'video')}
          onChange={(videoId) => setChoice((c) => ({ ...c, videoId }))}
        />
        <DevicePicker
          label="Microphone"
          testId="mic-select"
          options={devices.audio}
          value={choice.audioId ?? activeDeviceId(stream, 'audio')}
          onChange={(audioId) => setChoice((c) => ({ ...c, audioId }))}
        />
      </div>

      {!initialName && (
        <label className="field">
          <span>Your name</span>
          <input data-testid="prejoin-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={40} placeholder="Ada" />
          {touched && nameError && <small className="field-error">{nameError}</small>}
        </label>
      )}

      <label className="field">
        <span>Passcode (if the room has one; a new room takes yours)</span>
        <input type="password" data-testid="prejoin-passcode" value={passcode} onChange={(e) => setPasscode(e.target.value)}
          maxLength={64} autoComplete="off" placeholder="Leave empty for an open room" />
        {touched && passcodeError && <small className="field-error">{passcodeError}</small>}
      </label>

      <button type="submit" className="btn primary" data-testid="join-button" disabled={!media}>
        {media ? (stream ? 'Join' : 'Join receive-only') : 'Starting camera…'}
      </button>
    </form>
  );
}

function DevicePicker(props: {
  label: string;
  testId: string;
  options: DeviceOption[];
  value: string | undefined;
  onChange(id: string): void;
}) {
  const { label, testId, options, value, onChange } = props;
  return (
    <label className="field">
      <span>{label}</span>
      <select data-testid={testId} value={value ?? ''} disabled={!options.length} onChange={(e) => onChange(e.target.value)}>
        {!options.length && <option value="">None found</option>}
        {options.map((o) => (
          <option key={o.deviceId} value={o.deviceId}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
