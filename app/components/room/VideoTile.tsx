'use client';
// One participant's tile: video (or an initial when the camera is off), name, host badge and mute
// indicators, the active speaker's highlight, a pin button, and for the host a Remove button on the others' tiles.
// A screen share gets a tile of its own (`screen`): the whole screen shown, no camera or mic state.
import { useEffect, useRef, type RefObject } from 'react';
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
  /**
   * Told the video's rendered size in device pixels while it shows video (0×0 when offscreen or
   * hidden), and null when it stops showing any: the SFU picks the simulcast layer that fills it.
   */
  onViewSize?: (size: { width: number; height: number } | null) => void;
}

export function VideoTile({ stream, name, media, local, connectionState, peerId, overlay, host, onRemove, speaking, pinned, onPin, screen, onViewSize }: VideoTileProps) {
  const video = useRef<HTMLVideoElement>(null);
  const showVideo = !!stream && (screen || media.video) && stream.getVideoTracks().length > 0;
  useViewSize(video, showVideo, onViewSize);

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

/**
 * Reports the video's rendered size while it shows video: CSS pixels × devicePixelRatio from a
 * ResizeObserver, 0×0 while the tile is scrolled out of view; null once it shows none.
 */
function useViewSize(video: RefObject<HTMLVideoElement | null>, showing: boolean, onViewSize: VideoTileProps['onViewSize']): void {
  const report = useRef(onViewSize);
  report.current = onViewSize;
  const active = !!onViewSize;
  useEffect(() => {
    const el = video.current;
    if (!el || !active || !showing || typeof ResizeObserver === 'undefined') return;
    let box = { width: 0, height: 0 };
    let visible = true;
    const send = () => {
      const dpr = window.devicePixelRatio || 1;
      report.current?.(visible ? { width: Math.round(box.width * dpr), height: Math.round(box.height * dpr) } : { width: 0, height: 0 });
    };
    const resize = new ResizeObserver(([entry]) => {
      box = { width: entry.contentRect.width, height: entry.contentRect.height };
      send();
    });
    const seen = typeof IntersectionObserver === 'undefined' ? null : new IntersectionObserver(([entry]) => {
      visible = entry.isIntersecting;
      send();
    });
    resize.observe(el);
    seen?.observe(el);
    return () => {
      resize.disconnect();
      seen?.disconnect();
      report.current?.(null);
    };
  }, [video, active, showing]);
}
