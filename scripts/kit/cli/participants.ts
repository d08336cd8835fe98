// Participants on demand: N headless Chromium participants, each with its own recognisable fake
// video, join one room for a bounded time, then leave and print what each received and sent.
// Run: npx tsx scripts/kit/cli/participants.ts --room demo --mode sfu --count 3 --duration 30 [--help]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { BrowserSlot, qaUrl, QaParticipant, type Mode } from '../lib/browser/participant';
import { framesByName, type ProbeSample } from '../lib/browser/probe';
import { formatParticipant, windowMetrics, type ParticipantWindow } from '../lib/measure/window-metrics';
import { DEFAULT_Y4M, parseVideoSpec, writeParticipantVideos } from '../lib/browser/y4m';

const HELP = `Usage: npx tsx scripts/kit/cli/participants.ts [options]
  --url URL         server (default http://127.0.0.1:3000; loopback only)
  --room NAME       room id (default qa-<random>)
  --mode mesh|sfu   topology (default mesh)
  --count N         participants, 1..16 (default 2)
  --duration S      seconds in the call after joining, 1..600 (default 30)
  --relay           force TURN (iceTransportPolicy relay, &relay=1)
  --name-prefix P   display names P1..PN (default bot)
  --video WxH@FPS   fake video (default 640x360@15)
  --json FILE       also write the summary as JSON
Ctrl-C leaves the call cleanly and still prints the summary.`;

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    room: { type: 'string' },
    mode: { type: 'string', default: 'mesh' },
    count: { type: 'string', default: '2' },
    duration: { type: 'string', default: '30' },
    relay: { type: 'boolean', default: false },
    'name-prefix': { type: 'string', default: 'bot' },
    video: { type: 'string', default: `${DEFAULT_Y4M.width}x${DEFAULT_Y4M.height}@${DEFAULT_Y4M.fps}` },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

function int(name: string, raw: string, min: number, max: number): number {
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`--${name} must be an integer in ${min}..${max}, got ${raw}`);
  return v;
}

function checkUrl(raw: string): string {
  const host = new URL(raw).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host) && !host.startsWith('127.')) {
    throw new RangeError(`--url must be a loopback address (traffic stays on this machine), got ${raw}`);
  }
  return raw;
}

export interface ParticipantReport {
  name: string;
  status: string;
  error: { code: string; message: string } | null;
  joinMs: number | null;
  allPeersMs: number | null;
  window: ParticipantWindow | null;
  framesFrom: Record<string, number>;
  appSample: unknown;
}

async function main(): Promise<number> {
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  const mode = args.mode as Mode;
  if (mode !== 'mesh' && mode !== 'sfu') throw new RangeError(`--mode must be mesh or sfu, got ${args.mode}`);
  const url = checkUrl(args.url);
  const count = int('count', args.count, 1, 16);
  const duration = int('duration', args.duration, 1, 600);
  const room = args.room ?? `qa-${Math.random().toString(36).slice(2, 8)}`;
  const video = { ...parseVideoSpec(args.video), seconds: 4 };

  const ac = new AbortController();
  const onSignal = () => {
    if (!ac.signal.aborted) console.log('\ninterrupted: leaving the call…');
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const dir = mkdtempSync(join(tmpdir(), 'qa-participants-'));
  const slots: BrowserSlot[] = [];
  const people: QaParticipant[] = [];
  const baseline = new Map<QaParticipant, { s: ProbeSample; cpu: number | null }>();
  try {
    const files = writeParticipantVideos(dir, count, video);
    console.log(`${count} ${mode} participants → ${url} room "${room}" for ${duration}s (video ${args.video}${args.relay ? ', relay only' : ''})`);
    for (let i = 0; i < count && !ac.signal.aborted; i++) {
      const slot = await BrowserSlot.launch(files[i]);
      slots.push(slot);
      const p = await QaParticipant.open(slot, `${args['name-prefix']}${i + 1}`);
      people.push(p);
      await p.navigate(qaUrl(url, room, mode, p.name, args.relay));
    }
    const deadline = performance.now() + 45_000;
    const ok = await Promise.all(people.map((p) => p.waitForVideo(count - 1, deadline, ac.signal)));
    people.forEach((p, i) => {
      if (!ok[i] && !ac.signal.aborted) console.log(`  ${p.name}: not decoding every peer yet (status ${p.last?.status ?? 'no page hooks'})`);
    });
    for (const p of people) {
      const s = await p.sample();
      if (s) baseline.set(p, { s, cpu: p.slot.cpuSeconds() });
    }
    const end = performance.now() + duration * 1000;
    while (performance.now() < end && !ac.signal.aborted) {
      await sleep(Math.min(5_000, end - performance.now()), undefined, { signal: ac.signal }).catch(() => undefined);
      if (ac.signal.aborted) break;
      const line = await Promise.all(
        people.map(async (p) => {
          const s = (await p.sample()) ?? p.last;
          return `${p.name} ${JSON.stringify(s ? framesByName(s) : {})}`;
        }),
      );
      console.log(`  t+${Math.round((performance.now() - (end - duration * 1000)) / 1000)}s frames: ${line.join('  ')}`);
    }
    const reports: ParticipantReport[] = [];
    for (const p of people) {
      const s = (await p.sample()) ?? p.last;
      const base = baseline.get(p);
      reports.push({
        name: p.name,
        status: s?.status ?? 'unknown',
        error: s?.error ?? null,
        joinMs: p.firstFrameMs,
        allPeersMs: p.allPeersMs,
        window: s && base ? windowMetrics(base.s, s, { a: base.cpu, b: p.slot.cpuSeconds() }) : null,
        framesFrom: s ? framesByName(s) : {},
        appSample: s?.appSample ?? null,
      });
    }
    await Promise.all(people.map((p) => p.leave()));
    await Promise.all(slots.map((s) => s.close()));
    console.log(`\nSummary (${mode}, room "${room}"):`);
    for (const r of reports) {
      if (r.window) console.log(formatParticipant(r.name, r.window, r.joinMs));
      else console.log(`${r.name}: no stats (status ${r.status}${r.error ? `, ${r.error.code}` : ''})`);
    }
    if (args.json) {
      const out = resolve(args.json);
      mkdirSync(dirname(out), { recursive: true });
      const body = { tool: 'qa-participants', schemaVersion: 1, url, room, mode, count, durationS: duration, relay: args.relay, video, interrupted: ac.signal.aborted, participants: reports };
      writeFileSync(out, `${JSON.stringify(body, null, 2)}\n`);
      console.log(`JSON: ${out}`);
    }
    return ac.signal.aborted ? 130 : 0;
  } finally {
    await Promise.all(slots.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error('participants failed:', err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
