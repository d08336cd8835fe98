'use client';
// The room page's state machine: validate the link, pre-join (or autojoin), in call, left.
// It owns the engine's lifetime and the local stream; rendering is delegated to the screens.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ROOM_MODES, roomModeSchema, sfuAboveSchema, type RoomMode } from '../../../signaling/protocol';
import { createCall } from '../../lib/call/create-call';
import type { CallEngine } from '../../lib/call/engine';
import { pageNow, withMark, type JoinMarks } from '../../lib/call/join-marks';
import { dropPreconnected, preconnectSignaling } from '../../lib/call/preconnect';
import { useCallSnapshot } from '../../lib/hooks/use-call';
import { useQaHandle } from '../../lib/hooks/use-qa-handle';
import { stopStream } from '../../lib/media/devices';
import { releaseEarlyMedia, takeEarlyMedia } from '../../lib/media/early-media';
import { getLocalMedia, type DeviceChoice, type LocalMedia } from '../../lib/media/local-media';
import { roomHref } from '../../lib/mode-info';
import { handOverPasscode, receivePasscode } from '../../lib/passcode-handoff';
import { displayNameProblem, roomIdProblem } from '../../lib/validation';
import { CallView } from './CallView';
import { LeftScreen } from './LeftScreen';
import { PreJoin } from './PreJoin';

export interface RoomProps {
  roomId: string;
  mode: string | null;
  name: string | null;
  autojoin: boolean;
  /** `&relay=1`: every connection goes through TURN (iceTransportPolicy 'relay'). */
  relayOnly: boolean;
  /** `&e2ee=1` (SFU rooms): media encrypted end to end, so the SFU forwards what it cannot read. */
  e2ee: boolean;
  /** `&sfuAbove=N` (auto rooms): the creator's threshold for moving to the SFU. */
  sfuAbove: string | null;
}

// An autojoining page connects to signaling while React hydrates (preconnect.ts): this module runs
// before the first render, and the engine takes the socket when it joins.
if (typeof window !== 'undefined' && new URLSearchParams(window.location.search).get('autojoin') === '1') preconnectSignaling();

export function Room({ roomId, mode, name, autojoin, relayOnly, sfuAbove, e2ee }: RoomProps) {
  const roomProblem = roomIdProblem(roomId);
  if (roomProblem) return <BadLink title={`"${roomId}" is not a valid room name`} detail={roomProblem} />;
  // A link without a mode means mesh; a link with an unknown one is a mistake worth saying so.
  const parsedMode = roomModeSchema.safeParse(mode ?? 'mesh');
  if (!parsedMode.success) {
    return <BadLink title="Unknown call mode" detail={`"${mode}" is not a mode. Use one of: ${ROOM_MODES.join(', ')}.`} />;
  }
  const threshold = sfuAbove === null ? null : sfuAboveSchema.safeParse(Number(sfuAbove));
  if (threshold && (!threshold.success || !/^\d+$/.test(sfuAbove ?? ''))) {
    return <BadLink title={`"${sfuAbove}" is not a threshold`} detail="sfuAbove: a whole number of participants from 1 to 64 (above it, an auto room uses the SFU)." />;
  }
  if (e2ee && parsedMode.data !== 'sfu') {
    return <BadLink title="e2ee=1 is for SFU rooms" detail="A mesh call is already end-to-end encrypted: DTLS-SRTP runs between the browsers, so no server ever holds its keys. Auto rooms do not offer E2EE yet." />;
  }
  // A name the server would refuse is said so, not silently swapped for a guest name. An empty one
  // is treated as absent: pre-join asks, autojoin picks a guest name.
  const nameProblem = name?.trim() ? displayNameProblem(name) : null;
  if (nameProblem) {
    return (
      <BadLink title={`"${name}" cannot be used as a name`} detail={nameProblem}>
        <a className="btn ghost" href={roomHref(roomId, parsedMode.data)} data-testid="choose-name-link">
          Choose another name for this room
        </a>
      </BadLink>
    );
  }
  const initialName = name?.trim() ?? '';
  return (
    <RoomSession roomId={roomId} mode={parsedMode.data} initialName={initialName} autojoin={autojoin} relayOnly={relayOnly} e2ee={e2ee}
      sfuAbove={threshold?.success ? threshold.data : undefined} />
  );
}

function guestName(): string {
  return `guest-${Math.floor(1000 + Math.random() * 9000)}`;
}

function RoomSession(props: { roomId: string; mode: RoomMode; initialName: string; autojoin: boolean; relayOnly: boolean; e2ee: boolean; sfuAbove?: number }) {
  const { roomId, mode, initialName, autojoin, relayOnly, e2ee, sfuAbove } = props;
  const [engine, setEngine] = useState<CallEngine | null>(null);
  const [name, setName] = useState(initialName);
  const [busy, setBusy] = useState(autojoin);
  const choice = useRef<DeviceChoice>({});
  // Read in the browser only (see passcode-handoff.ts); every join of this session sends it.
  const passcode = useRef('');
  // The first join's waterfall starts at the page's navigation; the engine takes it from there.
  const pageMarks = useRef<JoinMarks>({ start: 0 });
  const snapshot = useCallSnapshot(engine);
  useQaHandle(engine, { roomMode: mode, roomId, name, joinMarks: () => pageMarks.current });

  // First of this component's effects: the page is hydrated and running.
  useEffect(() => {
    pageMarks.current = withMark(pageMarks.current, 'pageReady');
  }, []);

  const start = useCallback(
    (media: LocalMedia, displayName: string, joinMarks: JoinMarks) => {
      const next = createCall(mode, {
        joinMarks,
        roomId,
        name: displayName,
        localStream: media.stream,
        mediaNotice: media.notice,
        relayOnly,
        e2ee,
        passcode: passcode.current || undefined,
        sfuAbove,
      });
      setName(displayName);
      setEngine(next);
      setBusy(false);
      void next.join();
    },
    [mode, roomId, relayOnly, e2ee, sfuAbove],
  );

  // Autojoin: default devices, no clicks. A cancelled run (unmount, StrictMode) releases its camera.
  useEffect(() => {
    if (!autojoin) return;
    let cancelled = false;
    const displayName = initialName || guestName();
    passcode.current = receivePasscode(roomId);
    // The page's inline script may have asked for them already (early-media.ts).
    getLocalMedia({}, takeEarlyMedia()).then((media) => {
      if (cancelled) return stopStream(media.stream);
      pageMarks.current = withMark(pageMarks.current, 'media');
      start(media, displayName, pageMarks.current);
    });
    return () => {
      cancelled = true;
    };
  }, [autojoin, initialName, roomId, start]);

  // Whatever ends this engine's life (replacement or unmount) also ends its call and its camera.
  useEffect(() => {
    if (!engine) return;
    return () => {
      engine.leave();
      stopStream(engine.getSnapshot().localStream);
    };
  }, [engine]);

  const leave = useCallback(() => {
    if (!engine) return;
    engine.leave();
    stopStream(engine.getSnapshot().localStream);
  }, [engine]);

  const rejoin = useCallback(async (newPasscode?: string) => {
    if (newPasscode !== undefined) {
      passcode.current = newPasscode;
      handOverPasscode(roomId, newPasscode);
    }
    if (engine) stopStream(engine.getSnapshot().localStream);
    setBusy(true);
    // Asked again from the page: its waterfall starts now (the page is long ready).
    const began = pageNow();
    const media = await getLocalMedia(choice.current);
    start(media, name, { start: began, pageReady: began, media: pageNow() });
  }, [engine, name, roomId, start]);

  if (busy) {
    return (
      <section className="card center" data-testid="starting">
        <span className="call-status" data-testid="call-status" data-status={snapshot?.status ?? 'idle'}>
          <span className="dot" aria-hidden="true" />
          Starting camera and microphone…
        </span>
      </section>
    );
  }
  if (!engine || !snapshot) {
    return (
      <PreJoin
        mode={mode}
        roomId={roomId}
        initialName={initialName}
        onJoin={(media, displayName, picked, typedPasscode) => {
          choice.current = picked;
          passcode.current = typedPasscode;
          // After the preview the camera is open already: the waterfall starts at the click.
          const now = pageNow();
          start(media, displayName, { start: now, pageReady: now, media: now });
        }}
      />
    );
  }
  if (snapshot.status === 'left') return <LeftScreen roomId={roomId} onRejoin={() => void rejoin()} />;
  return <CallView engine={engine} snapshot={snapshot} onLeave={leave} onRetry={(typed) => void rejoin(typed)} />;
}

function BadLink({ title, detail, children }: { title: string; detail: string; children?: ReactNode }) {
  // This page will not join: what it opened early for a join goes now.
  useEffect(() => {
    releaseEarlyMedia();
    dropPreconnected();
  }, []);
  return (
    <section className="card" data-testid="bad-link">
      <div className="alert error" role="alert" data-testid="call-error" data-code="BAD_REQUEST">
        <strong>{title}</strong>
        <p>{detail}</p>
      </div>
      <div className="actions">
        {children}
        <a className="btn primary" href="/">
          Back to lobby
        </a>
      </div>
    </section>
  );
}
