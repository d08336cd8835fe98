'use client';
// Who may enter the room, as the call shows it: the host's lock toggle (a plain chip for the
// others), and the passcode prompt after a refused passcode.
import { useState, type FormEvent } from 'react';
import { passcodeProblem } from '../../lib/validation';
import './access.css';

export function LockControl(props: { host: boolean; locked: boolean; onToggle(locked: boolean): void }) {
  const { host, locked, onToggle } = props;
  if (!host) {
    return locked ? (
      <span className="chip lock-chip" data-testid="room-locked" title="The host locked the room: nobody new can join">
        Locked
      </span>
    ) : null;
  }
  return (
    <button type="button" className={`btn ghost${locked ? ' lock-chip' : ''}`} data-testid="lock-room" data-locked={locked}
      aria-pressed={locked} onClick={() => onToggle(!locked)}
      title={locked ? 'Let new participants join again' : 'Keep everyone else out: nobody new can join'}>
      {locked ? 'Unlock room' : 'Lock room'}
    </button>
  );
}

/** After BAD_PASSCODE (or a wait for TOO_MANY_ATTEMPTS): type the passcode again and retry, without going back to the lobby. */
export function PasscodeRetry({ onRetry }: { onRetry(passcode: string): void }) {
  const [passcode, setPasscode] = useState('');
  const problem = passcodeProblem(passcode) ?? (passcode ? null : 'Enter the passcode.');
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!problem) onRetry(passcode);
  }
  return (
    <form className="passcode-retry" onSubmit={submit} noValidate>
      <input type="password" data-testid="passcode-input" aria-label="Room passcode" placeholder="Passcode"
        value={passcode} onChange={(e) => setPasscode(e.target.value)} autoComplete="off" />
      <button type="submit" className="btn primary" data-testid="retry-button" disabled={!!problem}>
        Try again
      </button>
    </form>
  );
}
