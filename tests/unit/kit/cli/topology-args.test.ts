// The topology benchmark refuses bad arguments before any server or browser starts (exit 2, a
// message naming the option) and documents its settle rule and repetitions in --help.
import { describe, expect, it } from 'vitest';
import { refusesArguments, runKitCli } from './run-kit-cli';

const script = 'scripts/kit/cli/topology.ts';

describe('topology CLI arguments', () => {
  refusesArguments(script, [
    [['--runs', '0'], /--runs must be an integer in 1\.\.20, got "0"/],
    [['--runs', '2.5'], /--runs must be an integer in 1\.\.20, got "2\.5"/],
    [['--min', '1'], /--min must be an integer in 2\.\.16, got "1"/],
    [['--min', '4', '--max', '3'], /--max must be an integer in 4\.\.16, got "3"/],
    [['--settle-samples', '1'], /--settle-samples must be an integer in 2\.\.30, got "1"/],
    [['--settle-tolerance', '0'], /--settle-tolerance must be a number in 1\.\.50, got "0"/],
    [['--settle-max', '2'], /--settle-max must be a number in 5\.\.600, got "2"/],
    [['--url', 'http://192.0.2.1:3000'], /--url must be an http\(s\) loopback address/],
    [['--modes', 'mesh,p2p'], /--modes must be one of mesh, sfu, got "p2p"/],
    [['--content', 'static'], /--content: video content must be one of pattern, noise, got "static"/],
  ]);

  it('--help documents the runs and the settle rule', { timeout: 35_000 }, async () => {
    const r = await runKitCli(script, ['--help']);
    expect(r.code).toBe(0);
    for (const o of ['--runs', '--settle-samples', '--settle-tolerance', '--settle-max', '--min', '--max']) expect(r.stdout).toContain(o);
  });
});
