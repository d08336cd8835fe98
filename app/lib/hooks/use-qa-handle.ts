// The QA contract: window.__call exposes a JSON-safe snapshot and the engine's stats to tests.
import { useEffect, useRef } from 'react';
import type { MediaState, Mode, RoomMode } from '../../../signaling/protocol';
import type { AutoState, CallEngine, CallSnapshot, CallStatus, RawConnectionStats, SimulcastState } from '../call/engine';
import type { E2eeState } from '../call/e2ee/session';
import type { CallFailure } from '../call/errors';
import type { JoinMarks } from '../call/join-marks';
import { speakerTrackerOf, type ActiveSpeakerState } from '../media/speaker-tracker';
import { toCallStats, type CallStats } from '../stats/call-stats';
import { collectorOf, sampleEngine, withoutCounters } from '../stats/collector';
import { costModel, type CostReport } from '../stats/cost-model';
import { sharingOf, type ReceivedRates, type ServerAnswer } from '../stats/sharing';
import { joinWaterfall, type JoinWaterfall } from '../stats/join-waterfall';
import { normalize } from '../stats/normalize';
import type { Sample } from '../stats/sample';
import { timelineOf, type TimelineEvent } from '../stats/timeline';

export interface PlainSnapshot {
  /** Where media flows now (an auto room's current topology). */
  mode: Mode;
  /** mesh | sfu | auto */
  roomMode: RoomMode;
  /** Auto rooms: the threshold, the switch under way and every decision so far; null otherwise. */
  auto: AutoState | null;
  /** End-to-end encrypted SFU rooms: safety code, keyed peers, key id, frame counts; null otherwise. */
  e2ee: E2eeState | null;
  status: CallStatus;
  roomId: string;
  selfId: string | null;
  name: string;
  localMedia: MediaState;
  /** We share a screen now. */
  sharing: boolean;
  /** A server wire code, or one of the browser's own (CLIENT_ERROR_CODES). */
  error: CallFailure | null;
  notice: string | null;
  /** connected | reconnecting | resuming | rejoining | failed */
  signaling: string;
  /** We are the room's host; the host locked the room. */
  host: boolean;
  locked: boolean;
  /** hasScreen: this peer's screen share reaches us. */
  /** node: the server node its signaling goes through, when several share the rooms (else null). */
  peers: { id: string; name: string; media: MediaState; connectionState: string; hasStream: boolean; hasScreen: boolean; reconnecting: boolean; host: boolean; node: string | null }[];
  /** The server node our signaling (and SFU media) goes through when several share the rooms; else null. */
  node: string | null;
  /** This join's steps from navigation (or from a join asked again) to the first decoded remote frame. */
  joinWaterfall: JoinWaterfall;
  /** SFU path: the layer asked for each peer's camera by its tile's size, and ours the server says to encode; null in mesh. */
  simulcast: SimulcastState | null;
}

export interface CallQaHandle {
  getSnapshot(): PlainSnapshot;
  getStats(): Promise<CallStats>;
  /** Every connection's raw getStats() output as plain objects (fixtures, debugging). */
  getRawStats(): Promise<RawConnectionStats[]>;
  /** The latest normalized stats sample (1 Hz collector), or null before the first one. */
  getSample(): Omit<Sample, 'counters'> | null;
  /** Every sample in the collector's ring buffer, oldest first. */
  exportSamples(): Omit<Sample, 'counters'>[];
  /** What happened to the call (the page's timeline), oldest first; [] before joining. */
  timeline(): TimelineEvent[];
  /** The live cost model (what the stats panel shows) and the SFU answers it read; null before samples. */
  getCostModel(): { report: CostReport; server: ServerAnswer[]; received: Record<string, ReceivedRates[]> } | null;
  /** Who is speaking now (our own id when it is us) and what decided it; nobody before joining. */
  getActiveSpeaker(): ActiveSpeakerState;
}

declare global {
  interface Window {
    __call?: CallQaHandle;
  }
}

function toPlainSnapshot(s: CallSnapshot): PlainSnapshot {
  return {
    mode: s.mode,
    roomMode: s.roomMode,
    auto: s.auto ? { ...s.auto, history: s.auto.history.map((e) => ({ ...e })) } : null,
    e2ee: s.e2ee ? structuredClone(s.e2ee) : null,
    status: s.status,
    roomId: s.roomId,
    selfId: s.selfId,
    name: s.name,
    localMedia: { ...s.localMedia },
    sharing: !!s.localScreen,
    error: s.error ? { ...s.error } : null,
    notice: s.notice,
    signaling: s.signaling,
    host: s.host,
    locked: s.locked,
    peers: s.peers.map((p) => ({
      id: p.id,
      name: p.name,
      media: { ...p.media },
      connectionState: p.connectionState,
      hasStream: !!p.stream,
      hasScreen: !!p.screen,
      reconnecting: !!p.reconnecting,
      host: !!p.host,
      node: p.node ?? null,
    })),
    node: s.node,
    joinWaterfall: joinWaterfall(s.joinMarks),
    simulcast: s.simulcast ? structuredClone(s.simulcast) : null,
  };
}

/** Before an engine exists (pre-join), what the page reports. */
export interface IdleInfo {
  roomMode: RoomMode;
  roomId: string;
  name: string;
  /** The marks the page took so far (before an engine exists: page ready, camera and mic). */
  joinMarks?: () => JoinMarks;
}

/** An auto room starts as a mesh call. */
function idleMode({ roomMode }: IdleInfo): Mode {
  return roomMode === 'auto' ? 'mesh' : roomMode;
}

/** Installs window.__call once per mounted room page; it always reads the current engine. */
export function useQaHandle(engine: CallEngine | null, idle: IdleInfo): void {
  const current = useRef({ engine, idle });
  useEffect(() => {
    current.current = { engine, idle };
  });
  useEffect(() => {
    const handle: CallQaHandle = {
      getSnapshot() {
        const { engine, idle } = current.current;
        if (engine) return toPlainSnapshot(engine.getSnapshot());
        const none = { audio: false, video: false };
        const joinMarks = idle.joinMarks?.() ?? { start: 0 };
        return { roomMode: idle.roomMode, roomId: idle.roomId, name: idle.name, joinWaterfall: joinWaterfall(joinMarks), mode: idleMode(idle), auto: null, e2ee: null, status: 'idle', selfId: null, localMedia: none, sharing: false, error: null, notice: null, signaling: 'connected', host: false, locked: false, peers: [], node: null, simulcast: null };
      },
      async getStats() {
        const { engine, idle } = current.current;
        if (engine) return toCallStats(await sampleEngine(engine));
        // No engine yet: the same shape, read off an empty normalization (no second definition of it).
        return toCallStats(normalize([], null, { mode: idleMode(idle), now: Date.now(), roster: [] }));
      },
      getRawStats() {
        return current.current.engine?.collectRawStats() ?? Promise.resolve([]);
      },
      getSample() {
        const latest = collectorOf(current.current.engine)?.latest();
        return latest ? withoutCounters(latest) : null;
      },
      exportSamples() {
        return (collectorOf(current.current.engine)?.getState().samples ?? []).map(withoutCounters);
      },
      timeline() {
        return (timelineOf(current.current.engine)?.getEvents() ?? []).map((e) => ({ ...e }));
      },
      getCostModel() {
        const { engine } = current.current;
        const samples = collectorOf(engine)?.getState().samples ?? [];
        const shared = sharingOf(engine?.room)?.getState();
        const server = [...(shared?.serverHistory ?? [])];
        const received = Object.fromEntries(Object.entries(shared?.receivedHistory ?? {}).map(([id, h]) => [id, [...h]]));
        const snapshot = engine?.getSnapshot();
        const report = snapshot ? costModel({ mode: snapshot.mode, selfId: snapshot.selfId ?? 'self', samples, server, received }) : null;
        return report ? structuredClone({ report, server, received }) : null;
      },
      getActiveSpeaker() {
        return { ...(speakerTrackerOf(current.current.engine)?.getState() ?? { peerId: null, source: null }) };
      },
    };
    window.__call = handle;
    return () => {
      if (window.__call === handle) delete window.__call;
    };
  }, []);
}
