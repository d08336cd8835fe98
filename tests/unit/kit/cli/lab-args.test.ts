// The lab CLIs refuse bad arguments before any namespace, server or browser exists (exit 2).
import { describe, expect, it } from 'vitest';
import { refusesArguments, runKitCli } from './run-kit-cli';

const matrix = (args: string[]) => runKitCli('scripts/kit/cli/lab-matrix.ts', args);

describe('lab:matrix CLI arguments', () => {
  refusesArguments('scripts/kit/cli/lab-matrix.ts', [
    [['--nats', 'public,cgnat'], /--nats must be one of public, full-cone, port-restricted, symmetric, udp-blocked, got "cgnat"/],
    [['--columns', 'sfu-turn'], /--columns must be one of mesh-stun, mesh-turn, sfu-stun, got "sfu-turn"/],
    [['--timeout', '2'], /--timeout must be an integer in 5\.\.300/],
  ]);

  it('--help says it needs root and lists the columns', { timeout: 35_000 }, async () => {
    const r = await matrix(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('as root');
    for (const c of ['mesh-stun', 'mesh-turn', 'sfu-stun']) expect(r.stdout).toContain(c);
  });
});

describe('lab CLI arguments', () => {
  refusesArguments('scripts/kit/cli/lab.ts', [
    [['--hosts', 'symmetric,cgnat'], /--hosts must be one of public, full-cone, port-restricted, symmetric, udp-blocked, got "cgnat"/],
    [['--hosts', Array(13).fill('public').join(',')], /at most 12 participants/],
    [['--ice', 'turns'], /--ice must be one of none, stun, turn, turn-wrong-secret/],
    [['--mode', 'p2p'], /--mode must be one of mesh, sfu/],
    [['--room', 'no spaces'], /room id "no spaces" is not valid/],
    [['--hosts', 'public,symmetric', '--firefox', 'h3'], /--firefox: no participant host h3 \(there are h1\.\.h2\)/],
  ]);
});

describe('bench:lab-costs CLI arguments', () => {
  refusesArguments('scripts/kit/cli/lab-costs.ts', [
    [['--trials', '0'], /--trials must be an integer in 1\.\.50/],
    [['--host-delay', '5000'], /--host-delay must be an integer in 0\.\.1000/],
    [['--server-delay', 'far'], /--server-delay must be an integer in 0\.\.1000, got "far"/],
  ]);
});
