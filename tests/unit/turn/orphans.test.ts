// What a server killed with SIGKILL leaves behind: its coturn must die with it (else the next start
// finds the TURN port taken), and its coturn's private config directory (holding a dead secret)
// is removed by the next start. Real coturn, real processes.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../server/config';
import { createLogger } from '../../../server/logger';
import { startTurn } from '../../../server/managed-turn';

// Below Linux's ephemeral range (32768+), so no outgoing connection's local port can hold it.
const TURN_PORT = 21_000 + (process.pid % 1000) * 2;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const until = async (check: () => boolean, what: string, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('managed coturn after its server is killed', () => {
  it('dies with a SIGKILLed server (parent-death signal)', async () => {
    // A stand-in server process: starts the managed coturn, prints its config dir, then waits.
    const script = `
      const { startTurn } = await import('./server/managed-turn.ts');
      const { parseConfig } = await import('./server/config.ts');
      const { createLogger } = await import('./server/logger.ts');
      const turn = await startTurn(parseConfig({ TURN_MODE: 'managed', TURN_PORT: '${TURN_PORT}' }), createLogger('silent'));
      console.log(JSON.stringify({ problem: turn.problem }));
      setInterval(() => {}, 1000);`;
    const server = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve) => server.stdout!.once('data', (d: Buffer) => resolve(d.toString())));
    expect(JSON.parse(line).problem).toBeNull();
    const coturnPid = Number(spawnSync('pgrep', ['-P', String(server.pid), 'turnserver'], { encoding: 'utf8' }).stdout.trim().split('\n')[0]);
    expect(coturnPid).toBeGreaterThan(0);
    server.kill('SIGKILL');
    await until(() => !alive(coturnPid) || readStat(coturnPid) === 'Z', 'coturn to die with its server');
  });

  it('the next start removes the config directories of dead coturns and keeps those of live ones', async () => {
    const dead = mkdtempSync(join(tmpdir(), 'mesh-vs-sfu-turn-'));
    const exited = spawnSync('true').pid!; // a pid that has certainly exited
    writeFileSync(join(dead, 'turnserver.pid'), `${exited}\n`);
    const live = mkdtempSync(join(tmpdir(), 'mesh-vs-sfu-turn-'));
    writeFileSync(join(live, 'turnserver.pid'), `${process.pid}\n`);
    const starting = mkdtempSync(join(tmpdir(), 'mesh-vs-sfu-turn-')); // no pid file yet

    const turn = await startTurn(parseConfig({ TURN_MODE: 'managed', TURN_PORT: String(TURN_PORT + 1) }), createLogger('silent'));
    try {
      expect(turn.problem).toBeNull();
      expect(existsSync(dead)).toBe(false);
      expect(existsSync(live)).toBe(true);
      expect(existsSync(starting)).toBe(true);
    } finally {
      await turn.stop();
      spawnSync('rm', ['-rf', live, starting]);
    }
  });
});

/** The process state letter from /proc (Z: a zombie, dead but not yet reaped). */
function readStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] ?? '';
  } catch {
    return '';
  }
}
