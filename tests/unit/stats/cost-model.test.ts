// The cost model on recorded calls (Chromium getStats at 1 Hz and the stats:server answers the page
// got over the same seconds, scripts/dev/capture-cost-fixtures.ts): healthy calls land within
// ±15 % on every row, like with like; a comparison across levels, a layer the SFU never receives
// and a call that is still ramping are reported as such, not as a number.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RawConnectionStats } from '../../../app/lib/call/engine';
import { compare, costModel, INVESTIGATE_PCT, type CostReport } from '../../../app/lib/stats/cost-model';
import { browserSteady } from '../../../app/lib/stats/cost-rows';
import { normalize } from '../../../app/lib/stats/normalize';
import type { Sample } from '../../../app/lib/stats/sample';
import type { ReceivedRates, ServerAnswer } from '../../../app/lib/stats/sharing';
import { serverRatesSchema } from '../../../signaling/protocol';

interface CostFixture {
  mode: 'mesh' | 'sfu';
  selfId: string;
  roster: { id: string; name: string }[];
  samples: { now: number; raw: RawConnectionStats[] }[];
  server: ServerAnswer[];
  received?: Record<string, ReceivedRates[]>;
}

const load = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/stats/${name}.json`, import.meta.url), 'utf8')) as CostFixture;

function samplesOf(f: CostFixture): Sample[] {
  const out: Sample[] = [];
  for (const s of f.samples) out.push(normalize(s.raw, out.at(-1) ?? null, { mode: f.mode, now: s.now, roster: f.roster }));
  return out;
}

const report = (f: CostFixture, samples = samplesOf(f), server = f.server): CostReport =>
  costModel({ mode: f.mode, selfId: f.selfId, samples, server, received: f.received })!;

const row = (r: CostReport, id: string) => {
  const found = r.rows.find((x) => x.id === id);
  if (!found) throw new Error(`no row ${id} in ${r.rows.map((x) => x.id).join(', ')}`);
  return found;
};

describe.each(['cost-mesh-2', 'cost-mesh-3', 'cost-sfu-2', 'cost-sfu-3'])('a healthy recorded call: %s', (name) => {
  const f = load(name);
  const r = report(f);
  const n = f.roster.length + 1;

  it('is steady, and every row compares one level with itself within ±15 %', () => {
    expect(r.settling).toBeNull();
    expect(r.n).toBe(n);
    for (const x of r.rows) {
      expect(x.verdict, `${x.id}: ${x.expectedKbps} vs ${x.measuredKbps} (${x.errorPct} %)`).toMatch(/^(ok|off)$/);
      if (x.verdict === 'ok') expect(Math.abs(x.errorPct!)).toBeLessThanOrEqual(INVESTIGATE_PCT);
    }
  });

  it('shows one row per link and the protocol overhead on its own line', () => {
    expect(r.rows.filter((x) => x.group === 'links')).toHaveLength(n - 1);
    const up = r.overhead.find((o) => o.id === 'upload')!;
    const [payload, headers, transport] = up.steps.map((s) => s.kbps!);
    expect(payload).toBeGreaterThan(0);
    // Headers and the transport's own bytes are real and positive, and add up to the wire.
    expect(headers).toBeGreaterThan(0);
    expect(transport).toBeGreaterThan(0);
    expect(payload + headers + transport).toBeCloseTo(up.wireKbps!, 0);
  });

  it('server answers are in the protocol shape', () => {
    for (const a of f.server) expect(serverRatesSchema.safeParse(a.rates).success).toBe(true);
  });
});

describe('mesh', () => {
  const f = load('cost-mesh-3');

  it('b is one copy of ours, the upload (N-1)·b, and each link our copy against what that peer receives of it', () => {
    const r = report(f);
    const b = r.b[0].kbps!;
    expect(row(r, 'upload').expectedKbps).toBeCloseTo(2 * b, 0);
    const links = r.rows.filter((x) => x.id.startsWith('link-'));
    expect(links.map((x) => x.id).sort()).toEqual(f.roster.map((p) => `link-${p.id}`).sort());
    for (const x of links) expect(x).toMatchObject({ level: 'payload', verdict: 'ok' });
  });

  it('a link whose far end gets a third less than we send says "investigate"; without their summaries it is unknown', () => {
    const [peer] = f.roster;
    const received = { ...f.received, [peer.id]: f.received![peer.id].map((h) => ({ ...h, fromKbps: { [f.selfId]: h.fromKbps[f.selfId] * 0.66 } })) };
    const broken = costModel({ mode: 'mesh', selfId: f.selfId, samples: samplesOf(f), received })!;
    expect(row(broken, `link-${peer.id}`).verdict).toBe('investigate');
    expect(row(broken, `link-${f.roster[1].id}`).verdict).toBe('ok');
    const blind = costModel({ mode: 'mesh', selfId: f.selfId, samples: samplesOf(f) })!;
    expect(row(blind, `link-${peer.id}`)).toMatchObject({ measuredKbps: null, verdict: 'unknown' });
  });
});

describe('SFU', () => {
  // Two participants, both our layers flowing (in the 3-person recording the machine's load held us at the low one).
  const f = load('cost-sfu-2');
  const r = report(f);

  it('checks each of our layers as we send it against what the SFU receives of it, at the RTP level', () => {
    const layers = r.rows.filter((x) => x.id.startsWith('layer-'));
    expect(layers.map((x) => x.id)).toEqual(['layer-camera-r0', 'layer-camera-r1', 'layer-mic']);
    expect(layers.every((x) => x.verdict === 'ok')).toBe(true);
    for (const x of layers) expect(x.level).toBe('rtp');
    expect(row(r, 'upload-wire').level).toBe('wire');
    expect(row(r, 'egress').level).toBe('rtp');
  });

  it('b per layer is what we encode, whatever layer a receiver gets', () => {
    expect(r.b.map((l) => l.label).join(' ')).toMatch(/camera/);
    expect(r.b.every((l) => (l.kbps ?? 0) >= 0)).toBe(true);
  });

  it('the old comparison, browser payload against the SFU transport, is refused as a level mismatch', () => {
    const wire = row(r, 'upload-wire').measuredKbps;
    const payload = r.overhead[0].steps[0].kbps;
    const c = compare({ id: 'old', group: 'upload', label: 'payload vs wire', source: '' }, { level: 'payload', kbps: payload }, { level: 'wire', kbps: wire }, true);
    expect(c.verdict).toBe('mismatch');
    expect(c.errorPct).toBeNull();
    // Had it been computed, it would have looked like a modelling error of several percent.
    expect(Math.abs(((wire! - payload!) / payload!) * 100)).toBeGreaterThan(5);
  });

  it('a layer we send that the SFU does not receive is flagged "investigate"', () => {
    const top = r.rows.filter((x) => x.id.startsWith('layer-camera') && (x.expectedKbps ?? 0) > 0).at(-1)!;
    const rid = top.id.replace('layer-camera-', '');
    const server = f.server.map((a) => ({
      ...a,
      rates: a.rates.map((p) =>
        p.peerId !== f.selfId ? p : { ...p, producers: p.producers?.map((pr) => ({ ...pr, streams: pr.streams.map((s) => (s.rid === rid ? { ...s, byteCount: 0 } : s)) })) },
      ),
    }));
    const broken = report(f, samplesOf(f), server);
    expect(row(broken, top.id)).toMatchObject({ verdict: 'investigate', measuredKbps: 0, errorPct: -100 });
    // The transports still took the bytes in: the total says they arrived, the layer row says where they went missing.
    expect(row(broken, 'upload').verdict).toBe('ok');
  });

  it('a recorded collapse (the top layer stopping and starting under load) is settling, not judged', () => {
    const collapse = load('cost-sfu-3-collapse');
    const r3 = report(collapse);
    expect(r3.settling).toMatch(/encodings changed/);
    expect(r3.rows.some((x) => x.verdict === 'investigate' || x.verdict === 'ok')).toBe(false);
    // The wire still agrees: what moves is which layer flows, not the bytes the two ends count.
    expect(Math.abs(row(r3, 'download-wire').errorPct!)).toBeLessThan(INVESTIGATE_PCT);
  });

  it('without SFU measurements it waits instead of judging', () => {
    const r0 = report(f, samplesOf(f), []);
    expect(r0.settling).toMatch(/SFU/);
    expect(r0.rows.every((x) => x.verdict !== 'investigate' && x.verdict !== 'ok')).toBe(true);
  });
});

describe('steady state', () => {
  const f = load('cost-mesh-2');
  const samples = samplesOf(f);

  it('needs two full windows of samples', () => {
    expect(browserSteady(samples.slice(0, 6))).toMatch(/measuring/);
    expect(browserSteady(samples)).toBeNull();
  });

  it('a ramping upload is settling, and its errors are shown but not judged', () => {
    const ramp = samples.map((s, i) => ({ ...s, upload: { ...s.upload, totalKbps: (s.upload.totalKbps ?? 0) * (1 + i * 0.1) } }));
    expect(browserSteady(ramp)).toMatch(/moved/);
    const r = costModel({ mode: 'mesh', selfId: f.selfId, samples: ramp })!;
    expect(r.steady).toBe(false);
    expect(r.rows.some((x) => x.verdict === 'investigate')).toBe(false);
  });

  it('a copy that stops is a change of encodings, not steady', () => {
    const last = samples.at(-1)!;
    const stopped = [...samples.slice(0, -1), { ...last, layers: last.layers.map((l) => ({ ...l, kbps: 0 })) }];
    expect(browserSteady(stopped)).toMatch(/encodings changed/);
  });
});
