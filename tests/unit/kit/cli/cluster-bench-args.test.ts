// The cluster benchmark refuses bad arguments before Redis, a node or a browser starts (exit 2, a
// message naming the option).
import { describe } from 'vitest';
import { refusesArguments } from './run-kit-cli';

describe('cluster benchmark CLI arguments', () => {
  refusesArguments('scripts/kit/cli/cluster-bench.ts', [
    [['--participants', '1'], /--participants must be an integer in 2\.\.8, got "1"/],
    [['--seconds', '2'], /--seconds must be an integer in 3\.\.600/],
    [['--failure-mode', 'all'], /failure-mode/],
    [['--settle-max', '0'], /--settle-max must be an integer in 3\.\.300/],
    [['--trials', '-1'], /--trials/],
    [['--bogus'], /bogus/],
  ]);
});
