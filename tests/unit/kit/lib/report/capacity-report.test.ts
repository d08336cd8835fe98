// Verdict and step-plan rules of the SFU capacity benchmark (scripts/kit/lib/report/capacity-report.ts).
import { describe, expect, it } from 'vitest';
import { consumerSteps, formatTable, verdict, type StepResult } from '../../../../../scripts/kit/lib/report/capacity-report';

const limits = { lossThresholdPct: 2, cpuLimitPct: 90 };

function step(consumers: number, lossPct: number, workerCpuPct: number): StepResult {
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
    workerCpuUsPerPacket: consumers > 0 ? 10 : null,
    harnessCpuPct: 20,
    silentConsumers: 0,
    kernelUdpRcvbufErrors: 0,
    keyFrameRequests: 0,
  };
}

describe('verdict', () => {
  it('takes the last step before the first loss failure', () => {
    const v = verdict([step(0, 0, 1), step(100, 0, 21), step(200, 0.5, 41), step(300, 3, 61)], limits);
    expect(v.consumersPerWorker).toBe(200);
    expect(v.saturated).toBe(true);
    expect(v.extrapolatedConsumersAtCpuLimit).toBe(445); // cpu = 0.2·n + 1 → (90 − 1) / 0.2
    expect(v.firstFailure).toEqual({ consumers: 300, limitedBy: 'loss' });
  });

  it('blames the sinks when their kernel drops explain at least half the loss', () => {
    const failing = { ...step(300, 3, 61), kernelUdpRcvbufErrors: 1125 }; // lost 2250
    expect(verdict([step(0, 0, 1), failing], limits).firstFailure).toEqual({ consumers: 300, limitedBy: 'loss-at-sinks' });
    const fewDrops = { ...failing, kernelUdpRcvbufErrors: 1124 };
    expect(verdict([step(0, 0, 1), fewDrops], limits).firstFailure?.limitedBy).toBe('loss');
  });

  it('treats reaching the CPU limit as a failure even without loss', () => {
    const v = verdict([step(0, 0, 1), step(400, 0, 80), step(500, 0, 90)], limits);
    expect(v.consumersPerWorker).toBe(400);
    expect(v.saturated).toBe(true);
    expect(v.firstFailure).toEqual({ consumers: 500, limitedBy: 'cpu' });
  });

  it('says not saturated when every step passed', () => {
    const v = verdict([step(0, 0, 1), step(5, 0, 2), step(10, 0, 3)], limits);
    expect(v).toEqual({
      consumersPerWorker: 10,
      saturated: false,
      extrapolatedConsumersAtCpuLimit: 445,
      firstFailure: null,
    });
  });

  it('gives null when nothing passed or nothing ran', () => {
    expect(verdict([step(0, 5, 1)], limits).consumersPerWorker).toBeNull();
    expect(verdict([], limits)).toEqual({
      consumersPerWorker: null,
      saturated: false,
      extrapolatedConsumersAtCpuLimit: null,
      firstFailure: null,
    });
  });
});

describe('consumerSteps', () => {
  it('starts with 0 and half a step, then multiples, ending on max', () => {
    expect(consumerSteps(500, 100)).toEqual([0, 50, 100, 200, 300, 400, 500]);
    expect(consumerSteps(10, 5)).toEqual([0, 5, 10]);
    expect(consumerSteps(250, 100)).toEqual([0, 50, 100, 200, 250]);
    expect(consumerSteps(0, 100)).toEqual([0]);
  });

  it('rejects a zero or fractional step', () => {
    expect(() => consumerSteps(100, 0)).toThrow(RangeError);
    expect(() => consumerSteps(100, 2.5)).toThrow(RangeError);
  });
});

describe('formatTable', () => {
  it('prints a header, a rule and one aligned row per step', () => {
    const lines = formatTable([step(0, 0, 1), step(100, 0.25, 21)]).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^consumers\s+fwd pkt\/s/);
    expect(lines[3]).toMatch(/^\s+100\s+5000\s+50\.0\s+25000\s+24938\s+0\.25\s+21\.0\s+10\.00\s+20\.0\s+0\s+0$/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });
});
