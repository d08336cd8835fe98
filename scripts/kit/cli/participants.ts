// Participants on demand: N headless Chromium participants, each with its own recognisable fake
// video, join one room for a bounded time, then leave and print what each received and sent.
// Run: npx tsx scripts/kit/cli/participants.ts --room demo --mode sfu --count 3 --duration 30 [--help]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { displayNameSchema } from '../../../signaling/protocol';
import { BrowserSlot, QaParticipant } from '../lib/browser/participant';
import { framesByName } from '../lib/browser/probe';
import { checkRoomId, MODES, roomUrl, type Mode } from '../lib/browser/room-url';
import { DEFAULT_Y4M, parseVideoSpec, writeParticipantVideos } from '../lib/browser/y4m';
import { asUsage, EXIT, loopbackUrl, numberArg, oneOf, startCli, UsageError, type CliContext, type CliSpec } from '../lib/cli';
import type { CallError } from '../lib/hooks';
import { windowMetrics, type ParticipantWindow } from '../lib/measure/window-metrics';
import { formatParticipant } from '../lib/report/participant-summary';

const USAGE = `Usage: npx tsx scripts/kit/cli/participants.ts [options]
  --url URL         server (default http://127.0.0.1:3000; loopback only)
  --room NAME       room id: 1-64 letters, digits, "-" or "_" (default qa-<random>)
  --mode mesh|sfu   topology (default mesh); must match the room's if it already has people
  --count N         participants, 1..16 (default 2)
  --duration S      seconds in the call after joining, 1..600 (default 30)
  --relay           force TURN (iceTransportPolicy relay, &relay=1)
  --name-prefix P   display names P1..PN (default bot)
  --video WxH@FPS   fake video (default 640x360@15)
  --json FILE       also write the summary as JSON
Ctrl-C leaves the call cleanly and still prints the summary.
Exit codes: 0 ok, 1 failed, 2 bad arguments, 3 a participant could not join (its error code is printed), 130 interrupted.`;

/** Per participant: the page must join and decode its peers within this time. */
const JOIN_TIMEOUT_MS = 45_000;

interface Config {
  url: string;
  room: string;
  mode: Mode;
  count: number;
  duration: number;
  relay: boolean;
  namePrefix: string;
  videoSpec: string;
  video: ReturnType<typeof parseVideoSpec> & { seconds: number };
  json: string | null;
}

export interface ParticipantReport {
  name: string;
  status: string;
  error: CallError | null;
  joinMs: number | null;
  allPeersMs: number | null;
  window: ParticipantWindow | null;
  framesFrom: Record<string, number>;
  /** The app's latest sample (getSample()), as the page reported it. */
  appSample: unknown;
}

const options = {
  url: { type: 'string', default: 'http://127.0.0.1:3000' },
  room: { type: 'string' },
  mode: { type: 'string', default: 'mesh' },
  count: { type: 'string', default: '2' },
  duration: { type: 'string', default: '30' },
  relay: { type: 'boolean', default: false },
  'name-prefix': { type: 'string', default: 'bot' },
  video: { type: 'string', default: `${DEFAULT_Y4M.width}x${DEFAULT_Y4M.height}@${DEFAULT_Y4M.fps}` },
  json: { type: 'string' },
} as const;

const spec: CliSpec<typeof options, Config> = {
  name: 'participants',
  usage: USAGE,
  options,
  configure(v) {
    const count = numberArg('count', v.count, 1, 16);
    const namePrefix = v['name-prefix'];
    // The longest name must pass the server's own check, or that participant would be refused.
    const longest = displayNameSchema.safeParse(`${namePrefix}${count}`);
    if (!longest.success) throw new UsageError(`--name-prefix: "${namePrefix}${count}": ${longest.error.issues[0]?.message}`);
    return {
      url: loopbackUrl('url', v.url),
      room: asUsage('room', () => checkRoomId(v.room ?? `qa-${Math.random().toString(36).slice(2, 8)}`)),
      mode: oneOf('mode', v.mode, MODES),
      count,
      duration: numberArg('duration', v.duration, 1, 600),
      relay: v.relay,
      namePrefix,
      videoSpec: v.video,
      video: { ...asUsage('video', () => parseVideoSpec(v.video)), seconds: 4 },
      json: v.json ?? null,
    };
  },
  run,
};

async function run(cfg: Config, { signal, log }: CliContext): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'qa-participants-'));
  const slots: BrowserSlot[] = [];
  const people: QaParticipant[] = [];
  try {
    const files = writeParticipantVideos(dir, cfg.count, cfg.video);
    log(`${cfg.count} ${cfg.mode} participants → ${cfg.url} room "${cfg.room}" for ${cfg.duration}s (video ${cfg.videoSpec}${cfg.relay ? ', relay only' : ''})`);
    // One at a time, each joined before the next starts: a refused join stops the run early.
    for (let i = 0; i < cfg.count && !signal.aborted; i++) {
      const slot = await BrowserSlot.launch(files[i]);
      slots.push(slot);
      const p = await QaParticipant.open(slot, `${cfg.namePrefix}${i + 1}`);
      people.push(p);
      const url = roomUrl(cfg.url, cfg.room, { mode: cfg.mode, name: p.name, autojoin: true, relay: cfg.relay });
      await p.navigate(url, { expectedPeers: cfg.count - 1, timeoutMs: JOIN_TIMEOUT_MS, signal });
      const joined = await p.joined();
      if (!joined.ok) {
        if (signal.aborted) break;
        log(`  ${p.name} could not join: ${joined.error.code}: ${joined.error.message}`);
        await finish(cfg, people, new Map(), signal, log);
        return EXIT.joinFailed;
      }
      log(`  ${p.name} joined`);
    }
    const decoding = await Promise.all(people.map((p) => p.decodingAll()));
    people.forEach((p, i) => {
      if (!decoding[i] && !signal.aborted) log(`  ${p.name}: not decoding every peer yet (status ${p.last?.status ?? 'no page hooks'})`);
    });
    const baseline = new Map<QaParticipant, Baseline>();
    for (const p of people) baseline.set(p, { since: (await p.read())?.sample?.timestamp ?? null, cpu: p.slot.cpuSeconds(), t: performance.now() });
    const start = performance.now();
    const end = start + cfg.duration * 1000;
    while (performance.now() < end && !signal.aborted) {
      await sleep(Math.min(5_000, end - performance.now()), undefined, { signal }).catch(() => undefined);
      if (signal.aborted) break;
      const line = await Promise.all(
        people.map(async (p) => {
          const r = (await p.read()) ?? p.last;
          return `${p.name} ${JSON.stringify(r ? framesByName(r) : {})}`;
        }),
      );
      log(`  t+${Math.round((performance.now() - start) / 1000)}s frames: ${line.join('  ')}`);
    }
    const reports = await finish(cfg, people, baseline, signal, log);
    const failed = reports.filter((r) => r.status === 'failed');
    for (const r of failed) log(`${r.name} failed during the call: ${r.error?.code ?? '?'}: ${r.error?.message ?? ''}`);
    return failed.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    await Promise.all(slots.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Baseline {
  /** Timestamp of the app's latest sample at the window's start (page clock). */
  since: number | null;
  cpu: number | null;
  t: number;
}

/** Reads every participant's window, leaves, prints the summary and writes the JSON. */
async function finish(cfg: Config, people: QaParticipant[], baseline: Map<QaParticipant, Baseline>, signal: AbortSignal, log: (l: string) => void): Promise<ParticipantReport[]> {
  const reports: ParticipantReport[] = [];
  for (const p of people) {
    const r = (await p.read()) ?? p.last;
    const base = baseline.get(p);
    const samples = base ? await p.samplesSince(base.since) : [];
    const cpu = base ? { a: base.cpu, b: p.slot.cpuSeconds(), seconds: (performance.now() - base.t) / 1000 } : undefined;
    reports.push({
      name: p.name,
      status: r?.status ?? 'unknown',
      error: r?.error ?? p.joinError,
      joinMs: p.firstFrameMs,
      allPeersMs: p.allPeersMs,
      window: windowMetrics(samples, cpu),
      framesFrom: r ? framesByName(r) : {},
      appSample: r?.sample ?? null,
    });
  }
  await Promise.all(people.map((p) => p.leave()));
  log(`\nSummary (${cfg.mode}, room "${cfg.room}"):`);
  for (const r of reports) {
    if (r.window) log(formatParticipant(r.name, r.window, r.joinMs));
    else log(`${r.name}: no stats (status ${r.status}${r.error ? `, ${r.error.code}: ${r.error.message}` : ''})`);
  }
  if (cfg.json) {
    const out = resolve(cfg.json);
    mkdirSync(dirname(out), { recursive: true });
    const body = {
      tool: 'qa-participants',
      schemaVersion: 1,
      url: cfg.url,
      room: cfg.room,
      mode: cfg.mode,
      count: cfg.count,
      durationS: cfg.duration,
      relay: cfg.relay,
      video: cfg.video,
      interrupted: signal.aborted,
      participants: reports,
    };
    writeFileSync(out, `${JSON.stringify(body, null, 2)}\n`);
    log(`JSON: ${out}`);
  }
  return reports;
}

startCli(spec);
