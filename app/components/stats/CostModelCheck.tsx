'use client';
// The cost model next to the measurement: expected upload (mesh (N-1)·b, SFU one stream set) and,
// in SFU mode, expected server egress N·(N-1)·b against what mediasoup reports.
import type { Mode, ServerPeerRates } from '../../../signaling/protocol';
import { checkCost } from '../../lib/stats/cost-model';
import type { Sample } from '../../lib/stats/sample';
import { mean } from '../../lib/stats/share';
import { kbpsText, pctText } from './format';

export function CostModelCheck({ mode, selfId, sample, server }: { mode: Mode; selfId: string; sample: Sample | null; server: readonly ServerPeerRates[] }) {
  if (!sample) return null;
  const n = sample.peers.length + 1;
  const ours = server.find((s) => s.peerId === selfId);
  const egress = server.length ? server.reduce((sum, s) => sum + s.sendBitrate, 0) / 1000 : null;
  const check = checkCost({
    mode,
    participants: n,
    uploadKbps: sample.upload.totalKbps,
    receivedStreamKbps: mean(sample.peers.map((p) => p.kbps)),
    serverIngressKbps: ours ? ours.recvBitrate / 1000 : null,
    serverEgressKbps: egress,
  });
  return (
    <div className="cost-model" data-testid="cost-model">
      <p className="muted">
        N = {n}; b = {kbpsText(check.streamKbps)} (one stream as we receive it from each peer).{' '}
        {mode === 'mesh'
          ? 'Mesh: we send our own copy to each of the N-1 others, so upload ≈ (N-1)·b.'
          : 'SFU: we upload one stream set whatever N (expected = what the SFU receives from us); the SFU sends one layer of every stream to every other participant, N·(N-1)·b.'}
      </p>
      <table className="stats-table">
        <thead>
          <tr><th></th><th>Expected</th><th>Measured</th><th>Error</th></tr>
        </thead>
        <tbody>
          <tr data-testid="cost-upload">
            <td>Our upload {mode === 'mesh' ? '(N-1)·b' : '(one stream set)'}</td>
            <td>{kbpsText(check.expectedUploadKbps)}</td>
            <td>{kbpsText(check.measuredUploadKbps)}</td>
            <td>{pctText(check.uploadErrorPct)}</td>
          </tr>
          {mode === 'sfu' && (
            <tr data-testid="cost-egress">
              <td>SFU egress N·(N-1)·b</td>
              <td>{kbpsText(check.expectedEgressKbps)}</td>
              <td>{kbpsText(check.measuredEgressKbps)}</td>
              <td>{pctText(check.egressErrorPct)}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
