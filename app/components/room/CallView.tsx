'use client';
// The in-call screen: header (badge, room, status), notices, the video grid, the controls and the
// live stats panel (its collector runs for the whole call, so QA and export work with it closed).
import { useState } from 'react';
import type { CallEngine, CallSnapshot } from '../../lib/call/engine';
import { unlockAll, useSoundBlocked } from '../../lib/media/autoplay';
import { SpeakerIcon } from '../Icons';
import { useCallStats } from '../../lib/hooks/use-stats';
import { ModeBadge } from '../ModeBadge';
import { StatsPanel } from '../stats/StatsPanel';
import { tileNumbers } from '../stats/tile-numbers';
import { CallErrorBox, CallNotice, CallStatusLine } from './CallNotices';
import { Controls } from './Controls';
import { CostMeter } from './CostMeter';
import { VideoTile } from './VideoTile';

export interface CallViewProps {
  engine: CallEngine;
  snapshot: CallSnapshot;
  onLeave(): void;
  onRetry(): void;
}

export function CallView({ engine, snapshot, onLeave, onRetry }: CallViewProps) {
  const { status, peers, localStream, localMedia } = snapshot;
  const tiles = peers.length + 1;
  const soundBlocked = useSoundBlocked();
  const [statsOpen, setStatsOpen] = useState(false);
  const { collector, state } = useCallStats(engine, status === 'joined');
  const sample = statsOpen ? (state.samples.at(-1) ?? null) : null;
  return (
    <section className="call">
      <header className="call-header">
        <ModeBadge mode={snapshot.mode} />
        <h1 className="room-name">{snapshot.roomId}</h1>
        <CallStatusLine status={status} peerCount={peers.length} />
        {status === 'joined' && <CostMeter sample={state.samples.at(-1) ?? null} />}
        {status === 'joined' && (
          <button type="button" className="btn ghost" data-testid="stats-toggle" aria-expanded={statsOpen}
            onClick={() => setStatsOpen((open) => !open)}>
            {statsOpen ? 'Hide stats' : 'Stats'}
          </button>
        )}
      </header>

      {snapshot.error && (
        <CallErrorBox error={snapshot.error} mode={snapshot.mode} roomId={snapshot.roomId} name={snapshot.name} />
      )}
      {snapshot.notice && <CallNotice notice={snapshot.notice} />}
      {soundBlocked && status === 'joined' && (
        <button type="button" className="alert notice sound-banner" data-testid="enable-sound" onClick={unlockAll}>
          <SpeakerIcon /> The browser muted the call until you interact with the page. Click anywhere to hear the others.
        </button>
      )}

      {status === 'failed' ? (
        <div className="actions">
          <button type="button" className="btn primary" onClick={onRetry} data-testid="retry-button">
            Try again
          </button>
          <a className="btn ghost" href="/" data-testid="back-to-lobby">
            Back to lobby
          </a>
        </div>
      ) : (
        <>
          <div className="grid" data-count={Math.min(tiles, 9)}>
            <VideoTile stream={localStream} name={snapshot.name} media={localMedia} local overlay={tileNumbers(sample, null)} />
            {peers.map((p) => (
              <VideoTile
                key={p.id}
                peerId={p.id}
                stream={p.stream}
                name={p.name}
                media={p.media}
                connectionState={p.connectionState}
                overlay={tileNumbers(sample, p.id)}
              />
            ))}
          </div>
          <Controls
            media={localMedia}
            hasAudio={!!localStream?.getAudioTracks().length}
            hasVideo={!!localStream?.getVideoTracks().length}
            onMic={(on) => engine.setMicEnabled(on)}
            onCamera={(on) => engine.setCameraEnabled(on)}
            onLeave={onLeave}
          />
          {statsOpen && status === 'joined' && <StatsPanel snapshot={snapshot} collector={collector} state={state} />}
        </>
      )}
    </section>
  );
}
