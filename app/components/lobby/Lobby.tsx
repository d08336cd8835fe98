'use client';
// The lobby form: room name, display name, mode, relay-only and an optional passcode, validated with
// the protocol's own rules.
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { HTTP_PATHS, type PlaceResponse } from '../../../signaling/http';
import { ROOM_MODES, type RoomMode } from '../../../signaling/protocol';
import { ROOM_MODE_INFO, roomHref } from '../../lib/mode-info';
import { handOverPasscode } from '../../lib/passcode-handoff';
import { displayNameProblem, passcodeProblem, roomIdProblem } from '../../lib/validation';
import { useLobbyStatus, type LobbyState } from './use-lobby-status';
import './lobby.css';

const NAME_KEY = 'mesh-vs-sfu:name';

function randomRoom(): string {
  return `room-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Several server nodes: the node the room should use (/api/place), when it is not this one; null
 * on a single server, on this node, or when the answer cannot be had (this node serves any room).
 */
async function placedUrl(roomId: string): Promise<string | null> {
  try {
    const res = await fetch(`${HTTP_PATHS.place}?room=${encodeURIComponent(roomId)}`, { cache: 'no-store' });
    const { url } = (await res.json()) as PlaceResponse;
    return url && new URL(url).origin !== window.location.origin ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

export function Lobby() {
  const router = useRouter();
  const lobby = useLobbyStatus();
  const [room, setRoom] = useState('');
  const [name, setName] = useState('');
  const [mode, setMode] = useState<RoomMode>('mesh');
  const [sfuAbove, setSfuAbove] = useState(2);
  const [touched, setTouched] = useState(false);
  const [relayOnly, setRelayOnly] = useState(false);
  const [e2ee, setE2ee] = useState(false);
  const [passcode, setPasscode] = useState('');
  // Unknown while loading or unreadable: the lobby then says nothing about TURN rather than guess.
  const turn = lobby.state === 'ready' ? lobby.turn : null;

  useEffect(() => setName(localStorage.getItem(NAME_KEY) ?? ''), []);
  // If the SFU turns out to be unavailable, do not leave it selected.
  useEffect(() => {
    if (lobby.state === 'ready' && !statusOf(lobby, mode)?.available) setMode('mesh');
  }, [lobby, mode]);

  const errors = { room: roomIdProblem(room.trim()), name: displayNameProblem(name), passcode: passcodeProblem(passcode) };

  function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (errors.room || errors.name || errors.passcode) return;
    localStorage.setItem(NAME_KEY, name.trim());
    handOverPasscode(room.trim(), passcode);
    // The room page reads relay=1 and sets iceTransportPolicy 'relay' on every connection.
    const href = roomHref(room.trim(), mode, name.trim(), sfuAbove) + (relayOnly ? '&relay=1' : '') + (e2ee && mode === 'sfu' ? '&e2ee=1' : '');
    // A passcode is handed over within this origin only (never in a URL): such a join stays here.
    if (passcode) return router.push(href);
    void placedUrl(room.trim()).then((base) => (base ? window.location.assign(`${base}${href}`) : router.push(href)));
  }

  return (
    <form className="card lobby" onSubmit={submit} noValidate data-testid="lobby-form">
      <h1>Start or join a call</h1>
      <p className="muted">Same room, two topologies: see what a call costs your upload in mesh and in SFU mode.</p>

      <label className="field">
        <span>Room name</span>
        <div className="row">
          <input
            data-testid="lobby-room"
            value={room}
            onChange={(e) => setRoom(e.target.value)}
            placeholder="team-standup"
            autoComplete="off"
            aria-invalid={touched && !!errors.room}
          />
          <button type="button" className="btn ghost" onClick={() => setRoom(randomRoom())}>
            Random
          </button>
        </div>
        {touched && errors.room && <small className="field-error" data-testid="lobby-room-error">{errors.room}</small>}
      </label>

      <label className="field">
        <span>Your name</span>
        <input
          data-testid="lobby-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Ada"
          maxLength={40}
          autoComplete="nickname"
          aria-invalid={touched && !!errors.name}
        />
        {touched && errors.name && <small className="field-error" data-testid="lobby-name-error">{errors.name}</small>}
      </label>

      <label className="field">
        <span>Passcode (optional)</span>
        <input
          type="password"
          data-testid="lobby-passcode"
          value={passcode}
          onChange={(e) => setPasscode(e.target.value)}
          placeholder="Creating a room? Set one to keep others out"
          maxLength={64}
          autoComplete="off"
          aria-invalid={touched && !!errors.passcode}
        />
        <small className="muted">A new room asks everyone after you for it; an existing room needs its own.</small>
        {touched && errors.passcode && <small className="field-error" data-testid="lobby-passcode-error">{errors.passcode}</small>}
      </label>

      <fieldset className="field modes">
        <legend>Mode</legend>
        {ROOM_MODES.map((m) => (
          <ModeOption key={m} mode={m} selected={mode === m} onSelect={setMode} lobby={lobby} />
        ))}
        {mode === 'auto' && (
          <label className="lobby-threshold">
            <span>Move to the SFU above</span>
            <input type="number" min={1} max={statusOf(lobby, 'mesh')?.maxPeers ?? 64} value={sfuAbove} data-testid="lobby-sfu-above"
              onChange={(e) => setSfuAbove(Math.max(1, Math.round(Number(e.target.value)) || 1))} />
            <span>participants (for a new room; an existing room keeps its own)</span>
          </label>
        )}
        {lobby.state === 'error' && (
          <small className="muted">Could not ask the server which modes it offers ({lobby.message}).</small>
        )}
      </fieldset>

      {mode === 'sfu' && (
        <label className="lobby-check">
          <input type="checkbox" checked={e2ee} onChange={(e) => setE2ee(e.target.checked)} data-testid="lobby-e2ee" />
          <span>
            <strong>End-to-end encryption</strong>
            <small>Browsers encrypt every frame with keys the server never holds: the SFU forwards media it cannot read. For a new room; everyone joining must choose the same.</small>
          </span>
        </label>
      )}

      <label className="lobby-check">
        <input
          type="checkbox"
          checked={relayOnly}
          onChange={(e) => setRelayOnly(e.target.checked)}
          data-testid="lobby-relay"
        />
        <span>
          <strong>Relay only (force TURN)</strong>
          <small>Send all media through the TURN server, as if direct paths were blocked: shows what relaying costs.</small>
        </span>
      </label>
      {turn && !turn.available && (
        <small className="field-error" data-testid="lobby-turn-unavailable">
          TURN is unavailable on this server ({turn.reason ?? 'no reason given'}): calls work only where direct paths
          exist, and relay-only calls will fail.
        </small>
      )}

      <button type="submit" className="btn primary" data-testid="lobby-submit">
        Continue
      </button>

      <footer className="lobby-footer muted">
        <span>Trouble connecting?</span>
        <a href="/connectivity" data-testid="lobby-connectivity-link">
          Check your connection and TURN
        </a>
      </footer>
    </form>
  );
}

/**
 * What the server offers of a mode. Auto needs only mesh to start; without the SFU it stays on
 * mesh (and says so in the call), so it holds as many as the SFU would, or the mesh cap without one.
 */
function statusOf(lobby: LobbyState, mode: RoomMode): { available: boolean; reason: string | null; maxPeers: number } | null {
  if (lobby.state !== 'ready') return null;
  if (mode !== 'auto') return lobby.modes[mode];
  const { mesh, sfu } = lobby.modes;
  return { available: mesh.available, reason: mesh.reason, maxPeers: sfu.available ? sfu.maxPeers : mesh.maxPeers };
}

function ModeOption(props: { mode: RoomMode; selected: boolean; onSelect: (m: RoomMode) => void; lobby: LobbyState }) {
  const { mode, selected, onSelect, lobby } = props;
  const status = statusOf(lobby, mode);
  const unavailable = status ? !status.available : false;
  return (
    <label className={`mode-option${selected ? ' selected' : ''}${unavailable ? ' disabled' : ''}`}>
      <input
        type="radio"
        name="mode"
        value={mode}
        checked={selected}
        disabled={unavailable}
        onChange={() => onSelect(mode)}
        data-testid={`lobby-mode-${mode}`}
      />
      <span className="mode-text">
        <strong>{ROOM_MODE_INFO[mode].label}</strong>
        <span>{ROOM_MODE_INFO[mode].uploadCost}</span>
        {status && status.available && <small className="muted">Up to {status.maxPeers} people per room.</small>}
        {unavailable && (
          <small className="field-error" data-testid={`lobby-mode-${mode}-unavailable`}>
            Unavailable: {status?.reason ?? 'not offered by this server'}
          </small>
        )}
      </span>
    </label>
  );
}
