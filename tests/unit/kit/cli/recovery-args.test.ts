// The recovery benchmark refuses bad arguments before any server or browser starts (exit 2, a
// message naming the option) and documents itself in --help. CHROMIUM_PATH points nowhere, so a
// CLI that went on to launch would fail differently.
import { describe, expect, it } from 'vitest';
import { refusesArguments, runKitCli } from './run-kit-cli';

const recovery = (args: string[]) => runKitCli('scripts/kit/cli/recovery.ts', args);

describe('recovery CLI arguments', () => {
  refusesArguments('scripts/kit/cli/recovery.ts', [
    [['--trials', '0'], /--trials must be an integer in 1\.\.50, got "0"/],
    [['--scenarios', 'mesh-outage,cable-cut'], /--scenarios must be one of mesh-outage, mesh-restart, sfu-worker-kill, sfu-restart, mesh-relay-cut, sfu-relay-cut, mesh-net-cut, sfu-net-cut, got "cable-cut"/],
    [['--outage-seconds', '500'], /--outage-seconds must be an integer in 1\.\.120/],
    [['--recover-timeout', '1'], /--recover-timeout must be an integer in 5\.\.600/],
  ]);

  it('--help lists the scenarios and says which need the network lab', { timeout: 35_000 }, async () => {
    const r = await recovery(['--help']);
    expect(r.code).toBe(0);
    for (const s of ['mesh-outage', 'mesh-restart', 'sfu-worker-kill', 'sfu-restart', 'mesh-relay-cut', 'sfu-relay-cut', 'mesh-net-cut', 'sfu-net-cut']) expect(r.stdout).toContain(s);
    expect(r.stdout).toContain('network lab');
  });
});
