'use client';
// One participant's tile: video (or an initial when the camera is off), name, host badge and mute
// indicators, the active speaker's highlight, a pin button, and for the host a Remove button on the others' tiles.
// A screen share gets a tile of its own (`screen`): the whole screen shown, no camera or mic state.
import { useEffect, useRef } from 'react';
import type { MediaState } from '../../../signaling/protocol';
import { forget, playWithSound } from '../../lib/media/autoplay';
import { CameraIcon, MicIcon, PinIcon } from '../Icons';
import './tiles.css';

export interface VideoTileProps {
  stream: MediaStream | null;
  name: string;
  media: MediaState;
  local?: boolean;
  /** Shown on the tile while not 'connected' (remote tiles only). */
  connectionState?: string;
  peerId?: string;
  /** Live numbers overlaid on the tile (fps, resolution, bitrate, RTTs). */
  overlay?: string | null;
  /** This participant is the room's host. */
  host?: boolean;
  /** Given only to the host, on the others' tiles. */
  onRemove?: () => void;
  /** This participant is the active speaker (highlighted). */
  speaking?: boolean;
  /** Shown large; onPin toggles it. */
  pinned?: boolean;
  onPin?: () => void;
  /** This tile shows a screen share (ours when `local`), not a camera. */
  screen?: boolean;
}

export function VideoTile({ stream, name, media, local, connectionState, peerId, overlay, host, onRemove, speaking, pinned, onPin, screen }: VideoTileProps) {
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    const el = video.current;
    if (!el) return;
    el.srcObject = stream;
    if (!stream) return;
    if (local || screen) {
      // Never play our own microphone back to us (a shared screen carries no sound).
      el.muted = true;
      el.play().catch(() => undefined);
    } else {
      playWithSound(el);
    }
    return () => forget(el);
  }, [stream, local, screen]);

  const showVideo = !!stream && (screen || media.video) && stream.getVideoTracks().length > 0;
  const connecting = !local && !screen && connectionState && connectionState !== 'connected';
  const label = screen ? (local ? 'Your screen' : `${name}'s screen`) : local ? `${name} (you)` : name;
  return (
    <figure
      className={`tile${local ? ' local' : ''}${screen ? ' screen' : ''}${speaking ? ' speaking' : ''}${pinned ? ' pinned' : ''}`}
      data-testid={screen ? 'screen-tile' : local ? 'local-tile' : 'remote-tile'}
      data-local={screen ? (local ? 'true' : 'false') : undefined}
      data-peer-id={peerId}
      data-audio={media.audio ? 'on' : 'off'}
      data-video={media.video ? 'on' : 'off'}
      data-speaking={speaking ? 'true' : 'false'}
      data-pinned={pinned ? 'true' : 'false'}
    >
      <video ref={video} autoPlay playsInline muted={local || screen} className={showVideo ? '' : 'hidden'}
        style={screen ? { objectFit: 'contain', background: '#000' } : undefined} />
      {!showVideo && (
        <div className="avatar" aria-hidden="true">
          {(name.trim()[0] ?? '?').toUpperCase()}
        </div>
      )}
      <figcaption>
        {speaking && (
          <span className="speaking-indicator" data-testid="speaking-indicator" role="img" aria-label="speaking" title="Speaking">
            <i /><i /><i />
          </span>
        )}
        <span className="tile-name">{label}</span>
        {host && !screen && (
          <span className="host-badge" data-testid="host-badge" title="The room's host: may remove participants and lock the room">
            Host
          </span>
        )}
        {!screen && !media.audio && (
          <span className="indicator" title="Microphone off" role="img" aria-label="microphone off" data-testid="mic-off">
            <MicIcon off />
          </span>
        )}
        {!screen && !media.video && (
          <span className="indicator" title="Camera off" role="img" aria-label="camera off" data-testid="camera-off">
            <CameraIcon off />
          </span>
        )}
      </figcaption>
      {overlay && (
        <span className="tile-stats" data-testid="tile-stats">
          {overlay}
        </span>
      )}
      {onRemove && (
        <button type="button" className="btn danger small tile-remove" data-testid="remove-participant" data-peer-id={peerId}
          onClick={onRemove} title={`Remove ${name} from the call`}>
          Remove
        </button>
      )}
      {onPin && (
        <button type="button" className="btn small tile-pin" data-testid="pin-tile" data-peer-id={peerId} aria-pressed={!!pinned}
          onClick={onPin} title={pinned ? `Unpin ${label}` : `Pin ${label}: show this tile large`}>
          <PinIcon />
          <span className="sr-only">{pinned ? 'Unpin' : 'Pin'}</span>
        </button>
      )}
      {connecting && <span className="tile-state">{connectionState === 'new' ? 'connecting' : connectionState}</span>}
    </figure>
  );
}
