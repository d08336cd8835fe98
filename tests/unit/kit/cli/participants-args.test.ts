// The participants CLI refuses bad arguments before any browser starts: a clear message naming the
// option and exit code 2. CHROMIUM_PATH points nowhere, so a CLI that tried to launch would fail
// differently (exit 1), and no server is needed.
import { describe, expect, it } from 'vitest';
import { refusesArguments, runKitCli } from './run-kit-cli';

const participants = (args: string[]) => runKitCli('scripts/kit/cli/participants.ts', args);

describe('participants CLI arguments', () => {
  refusesArguments('scripts/kit/cli/participants.ts', [
    [['--room', 'bad room!'], /--room: room id "bad room!" is not valid: 1-64 letters, digits/],
    [['--mode', 'p2p'], /--mode must be one of mesh, sfu, got "p2p"/],
    [['--count', '0'], /--count must be an integer in 1\.\.16, got "0"/],
    [['--count', '17'], /--count must be an integer in 1\.\.16, got "17"/],
    [['--name-prefix', 'x'.repeat(40)], /--name-prefix: .*at most 40 characters/],
    [['--url', 'http://192.0.2.1:3000'], /--url must be an http\(s\) loopback address/],
    [['--duration', '1000'], /--duration must be an integer in 1\.\.600/],
  ]);

  it('--help prints the options and the exit codes', { timeout: 35_000 }, async () => {
    const r = await participants(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--mode mesh|sfu');
    expect(r.stdout).toContain('3 a participant could not join');
  });
});
