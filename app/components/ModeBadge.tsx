// The visible mode badge with its explanation as a tooltip (hover or keyboard focus).
import type { Mode } from '../../signaling/protocol';
import { MODE_INFO } from '../lib/mode-info';

export function ModeBadge({ mode }: { mode: Mode }) {
  const info = MODE_INFO[mode];
  return (
    <span className="mode-badge-wrap">
      <span className="mode-badge" data-mode={mode} data-testid="mode-badge" tabIndex={0} aria-describedby="mode-tip">
        {info.label}
      </span>
      <span className="tooltip" role="tooltip" id="mode-tip">
        {info.explanation}
      </span>
    </span>
  );
}
