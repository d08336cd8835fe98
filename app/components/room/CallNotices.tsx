'use client';
// The call's status line, error box and degraded-state notice: plain rendering of the snapshot.
import Link from 'next/link';
import type { Mode } from '../../../signaling/protocol';
import type { CallStatus } from '../../lib/call/engine';
import type { CallFailure } from '../../lib/call/errors';
import { MODE_INFO, otherMode, roomHref } from '../../lib/mode-info';

const STATUS_TEXT: Record<CallStatus, string> = {
  idle: 'Not connected',
  joining: 'Joining…',
  joined: 'In call',
  left: 'Left the call',
  failed: 'Call failed',
};

export function CallStatusLine({ status, peerCount }: { status: CallStatus; peerCount: number }) {
  const people = status === 'joined' ? ` · ${peerCount + 1} ${peerCount === 0 ? 'person (waiting for others)' : 'people'}` : '';
  return (
    <span className={`call-status status-${status}`} data-testid="call-status" data-status={status} role="status">
      <span className="dot" aria-hidden="true" />
      {STATUS_TEXT[status]}
      {people}
    </span>
  );
}

/** Extra advice for the codes a person can act on; the server's message is always shown too. */
function advice(error: CallFailure, mode: Mode, roomId: string, name: string) {
  const other = otherMode(mode);
  switch (error.code) {
    case 'MODE_MISMATCH':
      return (
        <>
          This room is already running in {MODE_INFO[other].label} mode.{' '}
          <Link href={roomHref(roomId, other, name)} data-testid="switch-mode-link">
            Join it in {MODE_INFO[other].label} mode
          </Link>{' '}
          or pick another room name.
        </>
      );
    case 'ROOM_FULL':
      return mode === 'mesh' ? (
        <>A mesh room stays small because everyone uploads to everyone. Try SFU mode with a new room name.</>
      ) : (
        <>This room has reached its size limit.</>
      );
    case 'SFU_UNAVAILABLE':
      return <>The media server is not available right now; mesh mode still works.</>;
    case 'BAD_PASSCODE':
      return <>This room is protected by a passcode. Ask the person who created it, type it below and try again.</>;
    case 'TOO_MANY_ATTEMPTS':
      return <>Too many wrong passcodes were tried from your network. Wait{error.retryAfterSec ? ` ${error.retryAfterSec} seconds` : ' a minute'}, then try again.</>;
    case 'ROOM_LOCKED':
      return <>The host locked this room: nobody new can join until they unlock it.</>;
    case 'REMOVED':
      return <>The host removed you from this call. You will not be reconnected; ask the host if this was a mistake.</>;
    default:
      return null;
  }
}

export function CallErrorBox(props: { error: CallFailure; mode: Mode; roomId: string; name: string }) {
  const { error, mode, roomId, name } = props;
  return (
    <div className="alert error" role="alert" data-testid="call-error" data-code={error.code}>
      <strong>{error.message}</strong>
      <code>{error.code}</code>
      {advice(error, mode, roomId, name) && <p>{advice(error, mode, roomId, name)}</p>}
    </div>
  );
}

export function CallNotice({ notice }: { notice: string }) {
  return (
    <div className="alert notice" role="status" data-testid="call-notice">
      {notice}
    </div>
  );
}
