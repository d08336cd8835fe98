// The SFU ramp benchmark refuses bad arguments before a server, a browser or a busy loop starts
// (exit 2, a message naming the option).
import { describe } from 'vitest';
import { refusesArguments } from './run-kit-cli';

describe('sfu-ramp benchmark CLI arguments', () => {
  refusesArguments('scripts/kit/cli/sfu-ramp.ts', [
    [['--peers', '1'], /--peers must be an integer in 2\.\.6, got "1"/],
    [['--runs', '0'], /--runs must be an integer in 1\.\.20/],
    [['--modes', 'mesh,auto'], /--modes must be one of mesh, sfu, got "auto"/],
    [['--load', 'heavy'], /--load must be one of idle, loaded, both, got "heavy"/],
    [['--window', '4'], /--window must be an integer in 5\.\.300/],
    [['--window', '10', '--steady', '10'], /--steady \(10\) must be shorter than --window \(10\)/],
    [['--url', 'http://192.0.2.1:3000'], /--url must be an http\(s\) loopback address/],
    [['--content', 'static'], /--content: video content must be one of pattern, noise, got "static"/],
    [['--bogus'], /bogus/],
  ]);
});
