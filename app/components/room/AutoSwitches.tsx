'use client';
// An auto room's topology decisions as this participant lived them: when, why (the rule and its
// numbers), how long our switch took, and what it changed (upload and RTT, read a few seconds
// after the switch). Newest first; shown open, since the switches are the lesson of this mode.
import type { AutoState, TopologySwitch } from '../../lib/call/engine';
import { MODE_INFO } from '../../lib/mode-info';
import type { Sample } from '../../lib/stats/sample';
import { switchEffect } from '../../lib/stats/switch-effect';
import { clockText } from '../../lib/stats/timeline';
import { kbpsText, msText } from '../stats/format';
import './timeline.css';

const OUTCOME_TEXT: Record<TopologySwitch['outcome'], string> = {
  switching: 'switching…',
  done: 'done',
  failed: 'failed',
  superseded: 'taken back',
  stayed: 'no move',
};

export function AutoSwitches({ auto, samples }: { auto: AutoState; samples: readonly Sample[] }) {
  return (
    <section className="auto-switches" data-testid="auto-switches" data-threshold={auto.threshold} data-switching={auto.switching ?? ''}>
      <h2>
        Auto: SFU above {auto.threshold} participant{auto.threshold === 1 ? '' : 's'}
        {auto.switching && <span className="muted"> · moving to {MODE_INFO[auto.switching].label}…</span>}
      </h2>
      <ol>
        {[...auto.history].reverse().map((entry, i) => (
          <SwitchLine key={auto.history.length - i} entry={entry} samples={samples} />
        ))}
      </ol>
    </section>
  );
}

function SwitchLine({ entry, samples }: { entry: TopologySwitch; samples: readonly Sample[] }) {
  const what = entry.from === null ? (entry.outcome === 'stayed' ? `stays on ${MODE_INFO[entry.to].label}` : `joined on ${MODE_INFO[entry.to].label}`)
    : `${MODE_INFO[entry.from].label} → ${MODE_INFO[entry.to].label}`;
  const took = entry.from !== null && entry.doneAt !== null ? ` in ${((entry.doneAt - entry.startedAt) / 1000).toFixed(1)} s` : '';
  const effect = switchEffect(entry, samples);
  return (
    <li data-testid="auto-switch" data-outcome={entry.outcome} data-from={entry.from ?? ''} data-to={entry.to} data-epoch={entry.epoch}>
      <time dateTime={new Date(entry.startedAt).toISOString()}>{clockText(entry.startedAt)}</time> <strong>{what}</strong>: {entry.reason}
      {entry.from !== null && <span className={`switch-outcome ${entry.outcome}`}> · {OUTCOME_TEXT[entry.outcome]}{took}</span>}
      {entry.detail && <span className="muted"> ({entry.detail})</span>}
      {effect && (
        <span className="switch-effect" data-testid="auto-switch-effect" data-settled={effect.settled}>
          {' '}· your upload {kbpsText(effect.uploadKbps.before)} → {effect.settled ? kbpsText(effect.uploadKbps.after) : 'measuring…'},
          RTT {msText(effect.rttMs.before)} → {effect.settled ? msText(effect.rttMs.after) : '…'}
        </span>
      )}
    </li>
  );
}
