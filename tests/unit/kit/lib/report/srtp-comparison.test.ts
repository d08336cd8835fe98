// The --compare-srtp summary of the SFU capacity benchmark (scripts/kit/lib/report/capacity-report.ts):
// consumers at 0% loss, the common consumer count where µs/pkt are compared, ratios, "or more".
import { describe, expect, it } from 'vitest';
import {
  commonConsumers,
  compareSeries,
  consumersAtZeroLoss,
  formatComparison,
  formatSideBySide,
  marginalUsPerPacket,
  type SeriesSummary,
  type StepResult,
} from '../../../../../scripts/kit/lib/report/capacity-report';

const limits = { lossThresholdPct: 2, cpuLimitPct: 90 };

function step(consumers: number, lossPct: number, workerCpuPct: number, us: number): StepResult {
  return {
    consumers,
    seconds: 5,
    sentPackets: 1000,
    expectedPackets: consumers * 250,
    receivedPackets: Math.round(consumers * 250 * (1 - lossPct / 100)),
    lossPct,
    forwardedPacketsPerSec: consumers * 50,
    forwardedMbps: consumers * 0.5,
    workerCpuPct,
    workerCpuUsPerPacket: consumers > 0 ? us : null,
    harnessCpuPct: 20,
    silentConsumers: 0,
    kernelUdpRcvbufErrors: 0,
    keyFrameRequests: 0,
  };
}

const series = (label: string, steps: StepResult[]): SeriesSummary => ({ label, short: label, steps, stopReason: 'max-reached' });

/** A step whose worker CPU is an idle 0.5% plus `us` µs per forwarded packet (50 pkt/s per consumer). */
const linear = (consumers: number, lossPct: number, us: number) => step(consumers, lossPct, 0.5 + (us * consumers * 50) / 1e4, us);

const plain = series('plain', [linear(0, 0, 7), linear(100, 0.1, 7), linear(200, 0, 7), linear(400, 0, 7)]);
const nss = series('nss', [linear(0, 0, 25), linear(100, 0, 25), linear(200, 0, 25), linear(400, 5, 25)]);
const ossl = series('openssl', [linear(0, 0, 10), linear(100, 0, 10), linear(200, 0.01, 10), linear(400, 0, 10)]);

describe('consumersAtZeroLoss', () => {
  it('is the largest step showing 0.00% loss before the first failing step', () => {
    expect(consumersAtZeroLoss(plain.steps, limits)).toBe(400);
    expect(consumersAtZeroLoss(nss.steps, limits)).toBe(200);
    expect(consumersAtZeroLoss(ossl.steps, limits)).toBe(400);
    expect(consumersAtZeroLoss([step(0, 0, 1, 0), step(100, 0.01, 5, 7)], limits)).toBe(0);
    expect(consumersAtZeroLoss([], limits)).toBeNull();
  });
});

describe('marginalUsPerPacket', () => {
  it('is the slope of worker CPU over forwarded packets in the passing steps, idle CPU left out', () => {
    expect(marginalUsPerPacket(plain.steps, limits)).toBeCloseTo(7, 9);
    expect(marginalUsPerPacket(nss.steps, limits)).toBeCloseTo(25, 9);
    expect(marginalUsPerPacket([linear(0, 0, 7)], limits)).toBeNull();
  });
});

describe('compareSeries', () => {
  it('compares marginal µs/pkt, and µs/pkt at the largest consumer count every series passed', () => {
    expect(commonConsumers([plain, nss, ossl], limits)).toBe(200);
    const { commonConsumers: n, rows } = compareSeries([plain, nss, ossl], limits);
    expect(n).toBe(200);
    expect(rows.map((r) => [r.label, r.usPerPacket])).toEqual([
      ['plain', 7],
      ['nss', 25],
      ['openssl', 10],
    ]);
    expect(rows[0].ratioToFirst).toBeCloseTo(1, 9);
    expect(rows[1].ratioToFirst).toBeCloseTo(25 / 7, 9);
    expect(rows[2].ratioToFirst).toBeCloseTo(10 / 7, 9);
    expect(rows.map((r) => [r.consumersAtZeroLoss, r.consumersPerWorker, r.saturated])).toEqual([
      [400, 400, false],
      [200, 200, true],
      [400, 400, false],
    ]);
  });

  it('has no common count when a series passed nothing', () => {
    const dead = series('dead', [linear(0, 0, 30), step(100, 50, 95, 30)]);
    expect(compareSeries([plain, dead], limits).commonConsumers).toBeNull();
    expect(compareSeries([plain, dead], limits).rows[1].usPerPacket).toBeNull();
  });
});

describe('formatting', () => {
  it('prints the summary with "or more" for series that never failed', () => {
    const text = formatComparison([plain, nss, ossl], limits, 500);
    expect(text).toContain('µs/pkt at 200');
    const lines = text.split('\n');
    expect(lines.find((l) => l.startsWith('plain'))).toMatch(/7\.00\s+1\.00\s+7\.00\s+400 or more\s+400 or more\s+-$/);
    expect(lines.find((l) => l.startsWith('nss'))).toMatch(
      /25\.00\s+3\.57\s+25\.00\s+200\s+200\s+400: loss 5\.0%, CPU 51% \(worker behind\)$/,
    );
    expect(lines.find((l) => l.startsWith('openssl'))).toMatch(/10\.00\s+1\.43\s+10\.00\s+400 or more\s+400 or more\s+-$/);
  });

  it('puts every consumer count on one row, blank where a series stopped earlier', () => {
    const short = series('short', [linear(0, 0, 9), linear(100, 0, 9)]);
    const rows = formatSideBySide([plain, short]).split('\n');
    expect(rows[0]).toMatch(/^consumers\s+plain µs\/pkt\s+loss %\s+CPU %\s+short µs\/pkt\s+loss %\s+CPU %$/);
    expect(rows).toHaveLength(2 + 4);
    expect(rows[rows.length - 1]).toMatch(/^400\s+7\.00\s+0\.00\s+14\.5$/);
  });
});
