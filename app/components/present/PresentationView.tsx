'use client';
// What a class sees on the projector: upload per participant against N for every session (live call
// tabs of this browser and recorded exports), each mode's expected line, and one timeline per
// session with its joins and leaves. Large type; nothing here measures, it only plots points.
import { useEffect, useState } from 'react';
import { MODE_INFO } from '../../lib/mode-info';
import { subscribeLive } from '../../lib/present/live-channel';
import { sessionFromExport, type Session } from '../../lib/present/session';
import { kbpsText } from '../stats/format';
import { SessionTimeline } from './SessionTimeline';
import { SESSION_COLORS } from './svg-axes';
import { UploadVsN } from './UploadVsN';
import './present.css';

/** Ten minutes at 1 Hz per live session: a lesson's worth, bounded. */
const LIVE_POINTS = 600;

const participantsOf = (s: Session) => Math.max(1, new Set(s.points.map((p) => p.who)).size);

export function PresentationView() {
  const [sessions, setSessions] = useState<Session[]>([]);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(
    () =>
      subscribeLive(({ source, label, mode, point }) => {
        setSessions((all) => {
          const existing = all.find((s) => s.id === source);
          const next: Session = existing
            ? { ...existing, points: [...existing.points, point].slice(-LIVE_POINTS * participantsOf(existing)) }
            : { id: source, label: `live: ${label}`, mode, points: [point] };
          return existing ? all.map((s) => (s.id === source ? next : s)) : [...all, next];
        });
      }),
    [],
  );

  async function load(files: FileList | null): Promise<void> {
    setProblem(null);
    for (const file of [...(files ?? [])]) {
      try {
        const session = sessionFromExport(await file.text(), file.name);
        setSessions((all) => [...all.filter((s) => s.id !== session.id), session]);
      } catch (err) {
        setProblem(err instanceof Error ? err.message : String(err));
      }
    }
  }

  return (
    <section className="present" data-testid="presentation" data-sessions={sessions.length}>
      <header className="present-head">
        <h1>What each participant uploads</h1>
        <label className="btn ghost">
          Replay recorded exports…
          <input type="file" accept="application/json,.json" multiple hidden data-testid="present-load"
            onChange={(e) => void load(e.target.files)} />
        </label>
      </header>
      {problem && (
        <p className="alert error" role="alert" data-testid="present-error">
          {problem}
        </p>
      )}
      {sessions.length === 0 ? (
        <p className="present-empty">
          Join a call in another tab of this browser (mesh in one, SFU in another to compare), or replay the JSON files
          exported from the stats panel. Each call appears here as it runs.
        </p>
      ) : (
        <>
          <UploadVsN sessions={sessions} />
          <div className="present-sessions">
            {sessions.map((s, i) => {
              const last = s.points.at(-1);
              const color = SESSION_COLORS[i % SESSION_COLORS.length];
              return (
                <article key={s.id} className={`present-session mode-${s.mode}`} data-testid="present-session" data-mode={s.mode}>
                  <h2>
                    <i className="swatch" style={{ background: color }} /> {MODE_INFO[s.mode].label} <span className="muted">{s.label}</span>
                  </h2>
                  <p className="present-big">
                    N = {last?.n ?? '—'} · each uploads <strong>{kbpsText(last?.uploadKbps)}</strong>
                  </p>
                  <SessionTimeline session={s} color={color} />
                </article>
              );
            })}
          </div>
        </>
      )}
    </section>
  );
}
