'use client';
// A live one-line readout of what this call costs: upload/download rate and connection counts.
import { useEffect, useState } from 'react';
import type { CallEngine } from '../../lib/call/engine';

interface Rates {
  upKbps: number;
  downKbps: number;
  connections: number;
  uploadConnections: number;
}

const INTERVAL_MS = 2000;

function kbps(bytes: number, ms: number): number {
  return Math.max(0, Math.round((bytes * 8) / ms));
}

function formatRate(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(1)} Mbps` : `${value} kbps`;
}

export function CostMeter({ engine }: { engine: CallEngine }) {
  const [rates, setRates] = useState<Rates | null>(null);
  useEffect(() => {
    let previous: { at: number; sent: number; received: number } | null = null;
    let stopped = false;
    const tick = async () => {
      const stats = await engine.getStats().catch(() => null);
      if (!stats || stopped) return;
      const now = performance.now();
      if (previous) {
        const ms = now - previous.at;
        setRates({
          upKbps: kbps(stats.bytesSent - previous.sent, ms),
          downKbps: kbps(stats.bytesReceived - previous.received, ms),
          connections: stats.connections,
          uploadConnections: stats.uploadConnections,
        });
      }
      previous = { at: now, sent: stats.bytesSent, received: stats.bytesReceived };
    };
    void tick();
    const timer = setInterval(tick, INTERVAL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [engine]);

  if (!rates) return <div className="cost-meter muted">Measuring upload…</div>;
  return (
    <div className="cost-meter" data-testid="cost-meter" title="Measured from the browser's WebRTC statistics">
      <span>
        ↑ <strong>{formatRate(rates.upKbps)}</strong>
      </span>
      <span>
        ↓ <strong>{formatRate(rates.downKbps)}</strong>
      </span>
      <span>
        {rates.uploadConnections} of {rates.connections} connection{rates.connections === 1 ? '' : 's'} uploading
      </span>
    </div>
  );
}
