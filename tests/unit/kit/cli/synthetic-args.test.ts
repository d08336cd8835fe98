// The SYNTHETIC benchmark refuses bad arguments before any participant process or mediasoup worker
// starts (exit 2, a message naming the option) and says in --help what it does not measure.
import { describe, expect, it } from 'vitest';
import { refusesArguments, runKitCli } from './run-kit-cli';

const script = 'scripts/kit/cli/synthetic.ts';

describe('synthetic CLI arguments', () => {
  refusesArguments(script, [
    [['--min', '1'], /--min must be an integer in 2\.\.16, got "1"/],
    [['--min', '5', '--max', '4'], /--max must be an integer in 5\.\.16, got "4"/],
    [['--max', '17'], /--max must be an integer in 2\.\.16, got "17"/],
    [['--runs', '0'], /--runs must be an integer in 1\.\.20, got "0"/],
    [['--seconds', '0.5'], /--seconds must be a number in 1\.\.120, got "0\.5"/],
    [['--kbps', 'lots'], /--kbps must be a number in 50\.\.5000, got "lots"/],
    [['--fps', '2.5'], /--fps must be an integer in 1\.\.60, got "2\.5"/],
    [['--modes', 'mesh,p2p'], /--modes must be one of mesh, sfu, got "p2p"/],
    [['--bogus'], /Unknown option '--bogus'/],
  ]);

  it('--help labels it SYNTHETIC and lists the options', { timeout: 35_000 }, async () => {
    const r = await runKitCli(script, ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SYNTHETIC');
    expect(r.stdout).toContain('no encoding');
    for (const o of ['--min', '--max', '--runs', '--seconds', '--kbps', '--low-kbps', '--audio-kbps', '--modes', '--out']) expect(r.stdout).toContain(o);
  });
});
