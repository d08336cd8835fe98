// Records real calls for the cost model's tests: N tabs in a mesh or SFU room, and from the first
// tab, once the call has settled, 16 s of raw getStats() at 1 Hz plus the stats:server answers the
// page received over the same seconds (the QA hook's getCostModel), ending when the cost model
// replayed on them says steady (or after STEADY_TIMEOUT_MS). Run against a running server:
//   BASE_URL=http://127.0.0.1:3951 node --import tsx scripts/dev/capture-cost-fixtures.ts sfu 3
import { mkdir, writeFile } from 'node:fs/promises';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../kit/lib/browser/chromium';
import { roomUrl, type Mode } from '../kit/lib/browser/room-url';
import { costModel, type CostReport } from '../../app/lib/stats/cost-model';
import { normalize } from '../../app/lib/stats/normalize';
import type { Sample } from '../../app/lib/stats/sample';
import type { ReceivedRates, ServerAnswer } from '../../app/lib/stats/sharing';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const mode = (process.argv[2] ?? 'sfu') as Mode;
const tabs = Number(process.argv[3] ?? 3);
const settleMs = Number(process.env.SETTLE_MS ?? 25_000);
const out = 'tests/fixtures/stats';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// What the cost model and the normalizer read; codecs, certificates and the like only weigh.
const KEEP = new Set(['outbound-rtp', 'inbound-rtp', 'transport', 'candidate-pair', 'local-candidate', 'remote-candidate', 'media-source']);

async function rawSample(page: Page) {
  const { now, raw } = await page.evaluate(async () => ({ now: Date.now(), raw: await window.__call!.getRawStats() }));
  for (const conn of raw) {
    conn.stats = conn.stats.filter((s) => KEEP.has(String(s.type)) && (s.type !== 'candidate-pair' || s.nominated === true));
  }
  return { now, raw };
}

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
try {
  await mkdir(out, { recursive: true });
  const room = `cost-${mode}-${tabs}-${Date.now()}`;
  const pages: Page[] = [];
  for (let i = 1; i <= tabs; i++) {
    const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
    const page = await context.newPage();
    await page.goto(roomUrl(base, room, { mode, name: `p${i}`, autojoin: true }));
    await page.waitForFunction(() => window.__call?.getSnapshot().status === 'joined', null, { timeout: 30_000 });
    pages.push(page);
  }
  const first = pages[0];
  await first.waitForFunction(async (others) => (await window.__call!.getStats()).peers.filter((p) => p.framesDecoded > 30).length === others, tabs - 1, {
    timeout: 60_000,
    polling: 1000,
  });
  await sleep(settleMs);
  const snapshot = await first.evaluate(() => window.__call!.getSnapshot());
  const roster = snapshot.peers.map((p) => ({ id: p.id, name: p.name }));
  // Sample until the model, replayed here on the last 17 samples, calls the call steady (or 2 minutes):
  // the page keeps only its last 8 server answers, so they are gathered as they come.
  const samples: Awaited<ReturnType<typeof rawSample>>[] = [];
  const answers = new Map<number, ServerAnswer>();
  const received = new Map<string, { id: string; r: ReceivedRates }>();
  const receivedSince = (from: number) => {
    const out: Record<string, ReceivedRates[]> = {};
    for (const { id, r } of received.values()) if (r.receivedAt >= from) (out[id] ??= []).push(r);
    for (const h of Object.values(out)) h.sort((a, b) => a.receivedAt - b.receivedAt);
    return out;
  };
  const deadline = Date.now() + Number(process.env.STEADY_TIMEOUT_MS ?? 120_000);
  let report: CostReport | null = null;
  for (;;) {
    samples.push(await rawSample(first));
    const model = await first.evaluate(() => window.__call!.getCostModel());
    for (const a of model?.server ?? []) answers.set(a.receivedAt, a);
    for (const [id, h] of Object.entries(model?.received ?? {})) for (const r of h) received.set(`${id}|${r.receivedAt}`, { id, r });
    const recent = samples.slice(-17);
    if (recent.length === 17) {
      const normalized: Sample[] = [];
      for (const s of recent) normalized.push(normalize(s.raw, normalized.at(-1) ?? null, { mode, now: s.now, roster }));
      report = costModel({
        mode,
        selfId: snapshot.selfId!,
        samples: normalized,
        server: [...answers.values()].filter((a) => a.receivedAt >= recent[0].now - 4000),
        received: receivedSince(recent[0].now - 4000),
      });
      if (report?.steady || Date.now() > deadline) break;
    }
    await sleep(Math.max(0, 1000 - (Date.now() - samples.at(-1)!.now)));
  }
  const kept = samples.slice(-17);
  const from = kept[0].now - 4000;
  const fixture = {
    mode,
    selfId: snapshot.selfId,
    roster,
    userAgent: await first.evaluate(() => navigator.userAgent),
    samples: kept,
    server: [...answers.values()].filter((a) => a.receivedAt >= from).sort((a, b) => a.receivedAt - b.receivedAt),
    received: receivedSince(from),
  };
  const file = `${out}/cost-${mode}-${tabs}.json`;
  await writeFile(file, JSON.stringify(fixture) + '\n');
  console.log(`${file}: ${kept.length} samples, ${fixture.server.length} server answers, ${report?.steady ? 'steady' : `not steady: ${report?.settling}`}`);
  for (const r of report?.rows ?? []) console.log(r.id, r.level, r.expectedKbps, r.measuredKbps, r.errorPct, r.verdict);
} finally {
  await browser.close();
}
