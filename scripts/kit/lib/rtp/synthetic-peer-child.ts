// The process of one synthetic participant (forked by synthetic-peer.ts): paces its streams, frame by
// frame, to each output's loopback port from a socket per output, answers PLI/FIR with a key frame,
// and counts the RTP its sink socket receives. Exits when its parent disconnects.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { hasKeyFrameRequest, isRtcp } from './rtp';
import { RtpStream } from './rtp-streams';
import type { FromChild, OutputSpec, PeerSnapshot, ToChild } from './synthetic-peer';

const TICK_MS = 5;
/** Each stream's RTCP sender report, as browsers send about once a second. */
const REPORT_MS = 1000;
/** Further behind than this, frames are dropped instead of burst out (and counted as skipped). */
const MAX_BACKLOG_MS = 250;
const RECV_BUFFER_BYTES = 4 * 1024 * 1024;

interface Output {
  port: number;
  socket: Socket;
  /** RTCP bytes sent (sender reports). */
  rtcpBytes: number;
  streams: { stream: RtpStream; skipped: number }[];
}

const send = (m: FromChild) => process.send?.(m);

let outputs: Output[] = [];
let timer: NodeJS.Timeout | null = null;
let reportTimer: NodeJS.Timeout | null = null;
let startedAt = 0;
const counters = { lateMsSum: 0, lateFrames: 0, received: { packets: 0, bytes: 0 }, keyFrameRequests: 0, sendErrors: 0 };

const sink = createSocket({ type: 'udp4', recvBufferSize: RECV_BUFFER_BYTES });
sink.on('message', (msg) => {
  if (isRtcp(msg) || msg.length < 12) return;
  counters.received.packets += 1;
  counters.received.bytes += msg.length;
});
sink.on('error', () => undefined);

function tick(): void {
  const now = performance.now();
  const elapsed = now - startedAt;
  for (const out of outputs) {
    for (const s of out.streams) {
      const period = 1000 / s.stream.spec.fps;
      const due = Math.floor(elapsed / period) + 1;
      const maxBacklog = Math.ceil(MAX_BACKLOG_MS / period);
      const behind = due - (s.stream.frames + s.skipped);
      if (behind > maxBacklog) s.skipped += behind - maxBacklog;
      while (s.stream.frames + s.skipped < due) {
        counters.lateMsSum += Math.max(0, elapsed - (s.stream.frames + s.skipped) * period);
        counters.lateFrames += 1;
        for (const packet of s.stream.nextFrame()) {
          out.socket.send(packet, (err) => {
            if (err) counters.sendErrors += 1;
          });
        }
      }
    }
  }
}

function sendReports(): void {
  const elapsed = performance.now() - startedAt;
  for (const out of outputs) {
    for (const { stream } of out.streams) {
      const report = stream.senderReport(elapsed, Date.now());
      out.rtcpBytes += report.length;
      out.socket.send(report, (err) => {
        if (err) counters.sendErrors += 1;
      });
    }
  }
}

function stopTimers(): void {
  if (timer) clearInterval(timer);
  if (reportTimer) clearInterval(reportTimer);
  timer = null;
  reportTimer = null;
}

async function openOutput(spec: OutputSpec): Promise<Output> {
  const socket = createSocket('udp4');
  const out: Output = { port: spec.port, socket, rtcpBytes: 0, streams: spec.streams.map((s) => ({ stream: new RtpStream(s), skipped: 0 })) };
  socket.on('message', (msg) => {
    if (!hasKeyFrameRequest(msg)) return;
    counters.keyFrameRequests += 1;
    for (const s of out.streams) if (s.stream.spec.kind === 'video') s.stream.requestKeyFrame();
  });
  socket.on('error', () => {
    counters.sendErrors += 1;
  });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  socket.connect(spec.port, '127.0.0.1');
  await once(socket, 'connect');
  return out;
}

function closeOutputs(): void {
  stopTimers();
  for (const out of outputs) {
    try {
      out.socket.close();
    } catch {
      // already closed
    }
  }
  outputs = [];
}

function snapshot(): PeerSnapshot {
  const cpu = process.cpuUsage();
  // Frames the pacer has accounted for (sent or skipped): counted alike at both ends of a window.
  let framesDue = 0;
  let framesSkipped = 0;
  for (const out of outputs) {
    for (const s of out.streams) {
      framesDue += s.stream.frames + s.skipped;
      framesSkipped += s.skipped;
    }
  }
  return {
    t: Date.now(),
    cpuMs: (cpu.user + cpu.system) / 1000,
    outputs: outputs.map((o) => ({
      port: o.port,
      rtcpBytes: o.rtcpBytes,
      streams: o.streams.map(({ stream }) => ({ label: stream.spec.label, kind: stream.spec.kind, packets: stream.packets, bytes: stream.bytes, frames: stream.frames })),
    })),
    framesDue,
    framesSkipped,
    lateMsSum: counters.lateMsSum,
    lateFrames: counters.lateFrames,
    received: { ...counters.received },
    keyFrameRequests: counters.keyFrameRequests,
    sendErrors: counters.sendErrors,
  };
}

async function handle(m: ToChild): Promise<FromChild> {
  switch (m.type) {
    case 'start': {
      closeOutputs();
      Object.assign(counters, { lateMsSum: 0, lateFrames: 0, received: { packets: 0, bytes: 0 }, keyFrameRequests: 0, sendErrors: 0 });
      outputs = await Promise.all(m.outputs.map(openOutput));
      startedAt = performance.now();
      timer = setInterval(tick, TICK_MS);
      reportTimer = setInterval(sendReports, REPORT_MS);
      tick();
      return { id: m.id, type: 'done' };
    }
    case 'snapshot':
      return { id: m.id, type: 'done', snapshot: snapshot() };
    case 'pause':
      stopTimers();
      return { id: m.id, type: 'done', snapshot: snapshot() };
    case 'stop':
      closeOutputs();
      return { id: m.id, type: 'done' };
  }
}

process.on('message', (m: ToChild) => {
  handle(m).then(send, (err: unknown) => send({ id: m.id, type: 'error', message: err instanceof Error ? err.message : String(err) }));
});
process.on('disconnect', () => {
  closeOutputs();
  sink.close();
  process.exit(0);
});

sink.bind(0, '127.0.0.1', () => send({ type: 'ready', sinkPort: sink.address().port }));
