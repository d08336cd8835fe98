'use client';
// What a screen share costs, as its own line next to the cost meter: our share's upload and how many
// copies of it we encode (mesh: one per peer; SFU: one, the server forwards it), and the shares we
// receive. Read from the stats collector's latest sample; shown only while a share is on.
import type { Mode } from '../../../signaling/protocol';
import type { Sample } from '../../lib/stats/sample';
import { kbpsText } from '../stats/format';

export function ScreenShareCost({ sample, mode, sharing, receiving }: { sample: Sample | null; mode: Mode; sharing: boolean; receiving: number }) {
  const screen = sample?.screen;
  if ((!sharing && !receiving) || !screen) return null;
  const copies = screen.encoders;
  return (
    <div className="cost-meter" data-testid="screen-share-cost" data-encoders={copies} data-connections={screen.connections}
      title="Measured from the browser's WebRTC statistics: the screen's own outbound streams">
      {sharing && (
        <span>
          Your screen ↑ <strong>{kbpsText(screen.upKbps)}</strong> · {copies} {copies === 1 ? 'copy' : 'copies'}
          {mode === 'mesh' ? ' (one per peer)' : ' (the SFU forwards it)'}
        </span>
      )}
      {receiving > 0 && (
        <span>
          {receiving === 1 ? 'Shared screen' : `${receiving} shared screens`} ↓ <strong>{kbpsText(screen.downKbps)}</strong>
        </span>
      )}
    </div>
  );
}
