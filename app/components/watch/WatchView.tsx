'use client';
// Watches a room from outside the call: asks the server's operator view (GET /operator/room, with
// the operator token the server printed at startup) every 2 s and shows the topology and the room table, whose Path
// column says how each participant's media crosses the network. The token stays in this page's
// memory: never in the URL, never stored.
import { useEffect, useState, type FormEvent } from 'react';
import { OPERATOR_PATHS, type OperatorRoomView } from '../../../signaling/http';
import type { PeerStatsShare } from '../../../signaling/protocol';
import { MODE_INFO } from '../../lib/mode-info';
import { RoomTable } from '../stats/RoomTable';
import { Topology } from '../stats/Topology';
import '../stats/stats.css';
import './watch.css';

type Reading = { view: OperatorRoomView; at: number } | { error: { code: string; message: string } };

async function readRoom(room: string, token: string, signal: AbortSignal): Promise<Reading> {
  try {
    const res = await fetch(`${OPERATOR_PATHS.room}?room=${encodeURIComponent(room)}`, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store', signal });
    const body = (await res.json()) as OperatorRoomView | { error: { code: string; message: string } };
    return 'error' in body ? { error: body.error } : { view: body, at: Date.now() };
  } catch (err) {
    return { error: { code: 'UNREACHABLE', message: `the server did not answer: ${err instanceof Error ? err.message : String(err)}` } };
  }
}

export function WatchView() {
  const [room, setRoom] = useState('');
  const [token, setToken] = useState('');
  const [watching, setWatching] = useState<{ room: string; token: string } | null>(null);
  const [reading, setReading] = useState<Reading | null>(null);

  useEffect(() => {
    setRoom(new URLSearchParams(window.location.search).get('room') ?? '');
  }, []);

  useEffect(() => {
    if (!watching) return;
    const abort = new AbortController();
    const poll = async () => {
      const r = await readRoom(watching.room, watching.token, abort.signal);
      if (!abort.signal.aborted) setReading(r);
    };
    void poll();
    const timer = setInterval(poll, 2_000);
    return () => {
      abort.abort();
      clearInterval(timer);
    };
  }, [watching]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setReading(null);
    setWatching({ room: room.trim(), token: token.trim() });
  };
  const shares: Record<string, PeerStatsShare> = {};
  if (reading && 'view' in reading) for (const p of reading.view.peers) if (p.share) shares[p.id] = p.share;
  const peers = reading && 'view' in reading ? reading.view.peers.map((p) => ({ id: p.id, name: p.reconnecting ? `${p.name} (reconnecting)` : p.name })) : [];

  return (
    <main className="page watch" data-testid="watch">
      <h1>Watch a room</h1>
      <p>
        For a screen outside the call: who is in the room and how each participant&apos;s media crosses the network, from the
        summaries they share. It needs the server&apos;s operator token (printed when the server starts, or its{' '}
        <code>OPERATOR_TOKEN</code>).
      </p>
      <form className="watch-form" onSubmit={submit}>
        <label>
          Room <input data-testid="watch-room" value={room} onChange={(e) => setRoom(e.target.value)} required />
        </label>
        <label>
          Operator token <input data-testid="watch-token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required />
        </label>
        <button type="submit" className="btn primary" data-testid="watch-start">
          Watch
        </button>
      </form>
      {reading && 'error' in reading && (
        <div className="alert error" role="alert" data-testid="watch-error" data-code={reading.error.code}>
          {reading.error.message} <code>{reading.error.code}</code>
        </div>
      )}
      {reading && 'view' in reading && (
        <section data-testid="watch-room-view" data-mode={reading.view.mode}>
          <h2>
            {reading.view.id} · {MODE_INFO[reading.view.mode].label} · {reading.view.peers.length} in the room
          </h2>
          <div className="watch-room">
            <Topology mode={reading.view.mode} peers={peers} room={shares} server={[]} />
            <RoomTable peers={peers} room={shares} server={[]} />
          </div>
        </section>
      )}
    </main>
  );
}
