'use client';
// The three live charts of the stats panel: upload, download and peer-to-peer ping RTT (1 Hz).
import { useMemo } from 'react';
import type { Sample } from '../../lib/stats/sample';
import { kbpsText, msText } from './format';
import { chartColor, LiveChart } from './LiveChart';

/** Two minutes on screen; the collector keeps ten for export. */
const WINDOW = 120;

export function StatsCharts({ samples, names }: { samples: readonly Sample[]; names: Record<string, string> }) {
  const data = useMemo(() => {
    const shown = samples.slice(-WINDOW);
    const times = shown.map((s) => s.timestamp / 1000);
    const peerIds = [...new Set(shown.flatMap((s) => Object.keys(s.pingRtt)))];
    return {
      times,
      upload: [
        { label: 'video', color: chartColor(0), values: shown.map((s) => s.upload.videoKbps) },
        { label: 'audio', color: chartColor(1), values: shown.map((s) => s.upload.audioKbps) },
      ],
      download: [
        { label: 'video', color: chartColor(0), values: shown.map((s) => s.download.videoKbps) },
        { label: 'audio', color: chartColor(1), values: shown.map((s) => s.download.audioKbps) },
      ],
      ping: peerIds.map((id, i) => ({
        label: names[id] ?? id.slice(0, 6),
        color: chartColor(i + 2),
        values: shown.map((s) => s.pingRtt[id] ?? null),
      })),
    };
  }, [samples, names]);
  return (
    <div className="stats-charts">
      <LiveChart title="Upload" unit="kbps" times={data.times} series={data.upload} testId="chart-upload" format={kbpsText} />
      <LiveChart title="Download" unit="kbps" times={data.times} series={data.download} testId="chart-download" format={kbpsText} />
      <LiveChart title="Ping RTT to each peer" unit="ms" times={data.times} series={data.ping} testId="chart-ping" format={msText} />
    </div>
  );
}
