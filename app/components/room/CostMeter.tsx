'use client';
// A live one-line readout of what this call costs, read from the stats collector's latest sample.
import type { Sample } from '../../lib/stats/sample';
import { kbpsText } from '../stats/format';

export function CostMeter({ sample }: { sample: Sample | null }) {
  if (!sample) return <div className="cost-meter muted">Measuring upload…</div>;
  const uploading = sample.connectionStats.filter((c) => (c.upKbps ?? 0) > 0).length;
  return (
    <div className="cost-meter" data-testid="cost-meter" title="Measured from the browser's WebRTC statistics">
      <span>
        ↑ <strong>{kbpsText(sample.upload.totalKbps)}</strong>
      </span>
      <span>
        ↓ <strong>{kbpsText(sample.download.totalKbps)}</strong>
      </span>
      <span>
        {uploading} of {sample.connections} connection{sample.connections === 1 ? '' : 's'} uploading
      </span>
    </div>
  );
}
