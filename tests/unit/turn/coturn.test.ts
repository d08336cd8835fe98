// Real coturn, started the way the app starts it (managed, loopback), checked with coturn's own
// turnutils_uclient: the server's credentials allocate and relay; expired and forged ones are refused.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../server/config';
import { createLogger } from '../../../server/logger';
import { startTurn, type TurnRuntime } from '../../../server/managed-turn';
import { iceServersFor, mintTurnCredential } from '../../../server/turn-credentials';

const run = promisify(execFile);
// Below Linux's ephemeral range (32768+), so no outgoing connection's local port can hold it.
const TURN_PORT = 24_000 + (process.pid % 1000);
let turn: TurnRuntime;

beforeAll(async () => {
  turn = await startTurn(parseConfig({ TURN_MODE: 'managed', TURN_PORT: String(TURN_PORT) }), createLogger('silent'));
  expect(turn.problem).toBeNull();
});
afterAll(async () => turn?.stop());

/** Allocates a relay with the credential and sends a few packets through it; true if that worked. */
async function relayWorks(username: string, password: string): Promise<boolean> {
  try {
    // -y: the client is its own peer (loopback relay); -n/-m/-l: 3 messages of 100 bytes, 1 client.
    const args = ['-p', String(TURN_PORT), '-u', username, '-w', password, '-y', '-n', '3', '-m', '1', '-l', '100', '127.0.0.1'];
    const { stdout } = await run('turnutils_uclient', args, { timeout: 20_000 });
    return /Total lost packets 0 /.test(stdout);
  } catch {
    return false;
  }
}

describe('managed coturn with short-lived credentials', () => {
  it('hands browsers loopback TURN and STUN URLs and a minted credential', () => {
    const [stun, turnServer] = iceServersFor(turn.ice, 'peer-a');
    expect(stun.urls).toEqual([`stun:127.0.0.1:${TURN_PORT}`]);
    expect(turnServer.urls).toContain(`turn:127.0.0.1:${TURN_PORT}?transport=udp`);
    expect(turnServer.username).toMatch(/^\d+:peer-a$/);
  });

  it('accepts a credential the server minted', async () => {
    const [, turnServer] = iceServersFor(turn.ice, 'peer-a');
    expect(await relayWorks(turnServer.username!, turnServer.credential!)).toBe(true);
  });

  it('refuses an expired credential', async () => {
    const hourAgo = Date.now() - 2 * 3600_000;
    const expired = mintTurnCredential(turn.ice.turnSecret!, 'peer-a', 3600, hourAgo);
    expect(await relayWorks(expired.username, expired.credential)).toBe(false);
  });

  it('refuses a forged credential', async () => {
    const forged = mintTurnCredential('not-the-secret', 'peer-a', 600);
    expect(await relayWorks(forged.username, forged.credential)).toBe(false);
  });
});
