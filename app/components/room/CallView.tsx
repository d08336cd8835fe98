'use client';
// The in-call screen: header (badge, room, status, what limits the call), notices, the video grid,
// the controls, the live stats panel and the presentation view (the stats collector runs for the
// whole call, so QA, tile numbers and export work with the panel closed).
import { useEffect, useMemo, useState } from 'react';
import type { CallEngine, CallSnapshot } from '../../lib/call/engine';
import { isRetryable } from '../../lib/call/errors';
import { useActiveSpeaker } from '../../lib/hooks/use-active-speaker';
import { useCallDevices } from '../../lib/hooks/use-devices';
import { useHostActions } from '../../lib/hooks/use-host-actions';
import { useCallStats } from '../../lib/hooks/use-stats';
import { useCallTimeline } from '../../lib/hooks/use-timeline';
import { useTurnCheck } from '../../lib/hooks/use-turn-check';
import { activeDeviceId } from '../../lib/media/devices';
import { unlockAll, useSoundBlocked } from '../../lib/media/autoplay';
import { machineLimits } from '../../lib/stats/limits';
import { SpeakerIcon } from '../Icons';
import { MODE_INFO } from '../../lib/mode-info';
import { ModeBadge } from '../ModeBadge';
import { StatsPanel } from '../stats/StatsPanel';
import { tileNumbers } from '../stats/tile-numbers';
import { LockControl, PasscodeRetry } from './AccessControls';
import { CallErrorBox, CallNotice, CallStatusLine } from './CallNotices';
import { AutoSwitches } from './AutoSwitches';
import { CallTimeline } from './CallTimeline';
import { E2eeBadge } from './E2eeBadge';
import { Controls } from './Controls';
import { CostMeter } from './CostMeter';
import { ScreenShareCost } from './ScreenShareCost';
import { MachineLimitChip, RelayChip } from './HeaderChips';
import { TurnNotice } from './TurnNotice';
import { VideoTile } from './VideoTile';

export interface CallViewProps {
  engine: CallEngine;
  snapshot: CallSnapshot;
  onLeave(): void;
  /** Join again; with a passcode when the person typed a new one after a refusal. */
  onRetry(passcode?: string): void;
}

export function CallView({ engine, snapshot, onLeave, onRetry }: CallViewProps) {
  const { status, peers, localStream, localMedia } = snapshot;
  const tiles = peers.length + 1;
  const soundBlocked = useSoundBlocked();
  const [statsOpen, setStatsOpen] = useState(false);
  const { collector, state } = useCallStats(engine, status === 'joined');
  const sample = state.samples.at(-1) ?? null;
  const timeline = useCallTimeline(engine, collector);
  const speaker = useActiveSpeaker(engine, collector);
  // Screen shares get tiles of their own: the others' first, then ours (the sharer sees it too).
  const screens = [
    ...peers.filter((p) => p.screen).map((p) => ({ key: `screen:${p.id}`, peerId: p.id, name: p.name, stream: p.screen, local: false })),
    ...(snapshot.localScreen ? [{ key: 'screen:local', peerId: undefined, name: snapshot.name, stream: snapshot.localScreen, local: true }] : []),
  ];
  // One tile may be pinned large ('local' for ours); a pinned peer that left unpins itself. Without
  // a pin a shared screen takes the large place; 'none' is an unpin that keeps it small.
  const [pin, setPin] = useState<string | null>(null);
  const pinnable = pin === 'local' || peers.some((p) => p.id === pin) || screens.some((s) => s.key === pin);
  const pinned = pinnable ? pin : pin === 'none' ? null : (screens[0]?.key ?? null);
  const togglePin = (id: string) => setPin(() => (pinned !== id ? id : id.startsWith('screen:') ? 'none' : null));
  // A new share takes the large place again, whatever was unpinned before.
  const firstScreen = screens[0]?.key ?? null;
  useEffect(() => {
    if (firstScreen) setPin((current) => (current === 'none' ? null : current));
  }, [firstScreen]);
  const [shareError, setShareError] = useState<string | null>(null);
  const canShare = typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getDisplayMedia;
  const toggleShare = (on: boolean) => {
    setShareError(null);
    if (!on) return engine.stopScreenShare();
    engine.startScreenShare().catch((err: unknown) => {
      // Closing the browser's picker is a choice, not an error.
      if (err instanceof DOMException && err.name === 'NotAllowedError') return;
      setShareError(`Could not share the screen: ${err instanceof Error ? err.message : String(err)}`);
    });
  };
  const names = useMemo(() => Object.fromEntries(peers.map((p) => [p.id, p.name])), [peers]);
  const sourceFps = localStream?.getVideoTracks()[0]?.getSettings().frameRate ?? null;
  const limits = useMemo(
    () => machineLimits(state.samples, state.room, names, sourceFps),
    [state.samples, state.room, names, sourceFps],
  );
  const connections = sample?.connectionStats ?? [];
  const { devices, notice: deviceNotice, switchTo } = useCallDevices(engine, localStream);
  const turnProblem = useTurnCheck(status === 'joined', engine);
  const hostActions = useHostActions(engine);
  return (
    <section className="call">
      <header className="call-header">
        <ModeBadge roomMode={snapshot.roomMode} mode={snapshot.mode} />
        <h1 className="room-name">{snapshot.roomId}</h1>
        <CallStatusLine status={status} peerCount={peers.length} />
        {snapshot.e2ee && <E2eeBadge e2ee={snapshot.e2ee} peers={peers.length} />}
        <RelayChip forced={snapshot.relayOnly} relayed={connections.filter((c) => c.relayed).length} total={connections.length} />
        {status === 'joined' && <LockControl host={snapshot.host} locked={snapshot.locked} onToggle={hostActions.setLocked} />}
        {status === 'joined' && <CostMeter sample={sample} />}
        {status === 'joined' && (
          <ScreenShareCost sample={sample} mode={snapshot.mode} sharing={!!snapshot.localScreen} receiving={peers.filter((p) => p.screen).length} />
        )}
        {status === 'joined' && (
          <a className="btn ghost" data-testid="present-link" href={`/present?room=${encodeURIComponent(snapshot.roomId)}`}
            target="_blank" rel="noreferrer" title="A large-type view for a projector; it can also replay a recorded export">
            Present
          </a>
        )}
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
      {shareError && status === 'joined' && (
        <div className="alert error" role="alert">
          {shareError}
        </div>
      )}
      {hostActions.error && status === 'joined' && (
        <div className="alert error" role="alert" data-testid="host-action-error">
          {hostActions.error}
        </div>
      )}
      {turnProblem && status !== 'left' && <TurnNotice problem={turnProblem} />}
      {status === 'joined' && snapshot.signaling !== 'connected' && (
        <div className="alert notice" role="status" data-testid="signaling-state" data-phase={snapshot.signaling}>
          {snapshot.signaling === 'rejoining' ? 'The server no longer held our seat: joining the room again…' : MODE_INFO[snapshot.mode].signalingLost}
        </div>
      )}
      <CallTimeline events={timeline} />
      {snapshot.auto && status === 'joined' && <AutoSwitches auto={snapshot.auto} samples={state.samples} />}
      {status === 'joined' && <MachineLimitChip limits={limits} />}
      {deviceNotice && status === 'joined' && (
        <div className="alert notice" role="status" data-testid="device-notice">
          {deviceNotice}
        </div>
      )}
      {soundBlocked && status === 'joined' && (
        <button type="button" className="alert notice sound-banner" data-testid="enable-sound" onClick={unlockAll}>
          <SpeakerIcon /> The browser muted the call until you interact with the page. Click anywhere to hear the others.
        </button>
      )}

      {status === 'failed' ? (
        <div className="actions">
          {/* A full room or the wrong mode fails the same way again: offer only what can help. */}
          {snapshot.error?.code === 'BAD_PASSCODE' || snapshot.error?.code === 'TOO_MANY_ATTEMPTS' ? (
            <PasscodeRetry onRetry={onRetry} />
          ) : (!snapshot.error || isRetryable(snapshot.error)) && (
            <button type="button" className="btn primary" onClick={() => onRetry()} data-testid="retry-button">
              Try again
            </button>
          )}
          <a className="btn ghost" href="/" data-testid="back-to-lobby">
            Back to lobby
          </a>
        </div>
      ) : (
        <>
          <div className="grid" data-count={Math.min(tiles + screens.length, 9)} data-pinned={pinned ? 'true' : undefined}>
            {screens.map((s) => (
              <VideoTile key={s.key} screen local={s.local} peerId={s.peerId} stream={s.stream} name={s.name}
                media={{ audio: false, video: true }} pinned={pinned === s.key} onPin={() => togglePin(s.key)} />
            ))}
            <VideoTile stream={localStream} name={snapshot.name} media={localMedia} local host={snapshot.host} overlay={tileNumbers(sample, null, snapshot.simulcast)}
              speaking={!!speaker.peerId && speaker.peerId === snapshot.selfId} pinned={pinned === 'local'} onPin={() => togglePin('local')} />
            {peers.map((p) => (
              <VideoTile
                key={p.id}
                peerId={p.id}
                stream={p.stream}
                name={p.name}
                media={p.media}
                connectionState={p.reconnecting ? 'reconnecting' : p.connectionState}
                overlay={tileNumbers(sample, p.id, snapshot.simulcast)}
                onViewSize={(size) => engine.setViewSize(p.id, 'camera', size)}
                host={p.host}
                onRemove={snapshot.host ? () => hostActions.remove(p.id) : undefined}
                speaking={speaker.peerId === p.id}
                pinned={pinned === p.id}
                onPin={() => togglePin(p.id)}
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
            devices={devices}
            current={{ audio: activeDeviceId(localStream, 'audio'), video: activeDeviceId(localStream, 'video') }}
            onSwitch={(kind, id) => void switchTo(kind, id)}
            sharing={!!snapshot.localScreen}
            canShare={canShare}
            onShare={toggleShare}
          />
          {statsOpen && status === 'joined' && <StatsPanel snapshot={snapshot} collector={collector} state={state} />}
        </>
      )}
    </section>
  );
}
