// The auto-switch benchmark refuses bad arguments before any server or browser starts (exit 2, a
// message naming the option).
import { describe } from 'vitest';
import { refusesArguments } from './run-kit-cli';

describe('auto-switch CLI arguments', () => {
  refusesArguments('scripts/kit/cli/auto-switch.ts', [
    [['--switches', '0'], /--switches must be an integer in 1\.\.50, got "0"/],
    [['--settle', '61'], /--settle must be a number in 0\.\.60/],
    [['--bogus'], /bogus/],
  ]);
});
