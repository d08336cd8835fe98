// Runs one kit CLI as its own process and gives back its exit code and output. CHROMIUM_PATH points
// nowhere, so a CLI that went on to launch a browser after refusing its arguments would fail
// differently (exit 1): argument tests see exactly what was refused before anything started.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);

export async function runKitCli(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: process.cwd(),
      timeout: 30_000,
      env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/**
 * One test per case: the CLI refuses these arguments before starting anything (exit 2, nothing on
 * stdout), with a message matching the case's pattern and a pointer to --help.
 */
export function refusesArguments(script: string, cases: [string[], RegExp][]): void {
  it.each(cases)('%j: exit 2 with a message, nothing started', { timeout: 35_000 }, async (args, message) => {
    const r = await runKitCli(script, args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('Run with --help');
    expect(r.stdout).toBe('');
  });
}
