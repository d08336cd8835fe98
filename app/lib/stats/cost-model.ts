// The topology cost model, checked live against measurements: given N participants and the
// measured per-stream bitrate b, what each participant should upload and what the SFU should send.
import type { Mode } from '../../../signaling/protocol';

export interface CostCheck {
  /** b: mean bitrate of one stream as we receive it from each remote peer (kbps). */
  streamKbps: number | null;
  expectedUploadKbps: number | null;
  measuredUploadKbps: number | null;
  uploadErrorPct: number | null;
  /** SFU only: N·(N-1)·b expected egress vs what mediasoup reports sending (kbps). */
  expectedEgressKbps: number | null;
  measuredEgressKbps: number | null;
  egressErrorPct: number | null;
}

export const errorPct = (measured: number | null, expected: number | null): number | null =>
  measured === null || expected === null || expected <= 0 ? null : Math.round(((measured - expected) / expected) * 1000) / 10;

/**
 * Mesh: each remote peer sends us one copy of its stream at about b, and we send each of them one
 * copy of ours, so our upload should be (N-1)·b. SFU: we upload one stream set whatever N (its
 * expected size is what the SFU says it receives from us), and the SFU forwards one layer of
 * every stream to every other participant: N·(N-1)·b, with b the layer we receive.
 */
export function checkCost(input: {
  mode: Mode;
  participants: number;
  uploadKbps: number | null;
  receivedStreamKbps: number | null;
  /** SFU: what mediasoup receives from us (kbps). */
  serverIngressKbps?: number | null;
  /** SFU: sum of mediasoup's send bitrate over the room (kbps). */
  serverEgressKbps?: number | null;
}): CostCheck {
  const { mode, participants: n, uploadKbps: measured, receivedStreamKbps: b } = input;
  if (mode === 'mesh') {
    const expected = b === null ? null : (n - 1) * b;
    return {
      streamKbps: b,
      expectedUploadKbps: expected,
      measuredUploadKbps: measured,
      uploadErrorPct: errorPct(measured, expected),
      expectedEgressKbps: null,
      measuredEgressKbps: null,
      egressErrorPct: null,
    };
  }
  const expectedUpload = input.serverIngressKbps ?? null;
  const expectedEgress = b === null ? null : n * (n - 1) * b;
  const measuredEgress = input.serverEgressKbps ?? null;
  return {
    streamKbps: b,
    expectedUploadKbps: expectedUpload,
    measuredUploadKbps: measured,
    uploadErrorPct: errorPct(measured, expectedUpload),
    expectedEgressKbps: expectedEgress,
    measuredEgressKbps: measuredEgress,
    egressErrorPct: errorPct(measuredEgress, expectedEgress),
  };
}
