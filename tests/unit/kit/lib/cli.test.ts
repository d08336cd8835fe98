// The CLI skeleton every kit tool uses: usage errors (clear message, exit 2, run() never called),
// --help, exit codes from run(), thrown errors, and Ctrl-C turning into a clean interruption.
import { describe, expect, it } from 'vitest';
import {
  EXIT,
  listOf,
  loopbackUrl,
  numberArg,
  oneOf,
  runCli,
  UsageError,
  type CliContext,
  type CliSpec,
} from '../../../../scripts/kit/lib/cli';

const options = {
  count: { type: 'string', default: '2' },
  mode: { type: 'string', default: 'mesh' },
  loud: { type: 'boolean', default: false },
} as const;

interface Config {
  count: number;
  mode: 'mesh' | 'sfu';
}

function harness(run: (c: Config, ctx: CliContext) => Promise<number> = async () => EXIT.ok) {
  const calls: Config[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const spec: CliSpec<typeof options, Config> = {
    name: 'demo',
    usage: 'Usage: demo [--count N]',
    options,
    configure: (v) => ({ count: numberArg('count', v.count, 1, 16), mode: oneOf('mode', v.mode, ['mesh', 'sfu'] as const) }),
    run: (c, ctx) => {
      calls.push(c);
      return run(c, ctx);
    },
  };
  const exec = (...argv: string[]) => runCli(spec, { argv, log: (l) => out.push(l), error: (l) => err.push(l) });
  return { exec, calls, out, err };
}

describe('runCli', () => {
  it('runs with the configured values and returns run()’s exit code', async () => {
    const h = harness(async () => EXIT.joinFailed);
    expect(await h.exec('--count', '3', '--mode', 'sfu')).toBe(EXIT.joinFailed);
    expect(h.calls).toEqual([{ count: 3, mode: 'sfu' }]);
  });

  it('prints the usage for --help and exits 0 without running', async () => {
    const h = harness();
    expect(await h.exec('--help')).toBe(0);
    expect(h.out).toEqual(['Usage: demo [--count N]']);
    expect(h.calls).toEqual([]);
  });

  it.each([
    [['--count', '0'], /demo: --count must be an integer in 1\.\.16, got "0"/],
    [['--count', 'many'], /--count must be an integer/],
    [['--mode', 'p2p'], /--mode must be one of mesh, sfu, got "p2p"/],
    [['--colour', 'red'], /demo: Unknown option '--colour'/],
    [['stray'], /demo: .*positional/i],
    [['--count'], /--count/],
  ])('refuses %j with a clear message and exit code 2, before running', async (argv, message) => {
    const h = harness();
    expect(await h.exec(...argv)).toBe(EXIT.usage);
    expect(h.calls).toEqual([]);
    expect(h.err.join('\n')).toMatch(message);
    expect(h.err.join('\n')).toContain('Run with --help');
  });

  it('reports an error thrown by run() and exits 1', async () => {
    const h = harness(async () => {
      throw new Error('server said no');
    });
    expect(await h.exec()).toBe(EXIT.failed);
    expect(h.err).toEqual(['demo failed: server said no']);
  });

  it('turns SIGINT into an aborted signal, and a clean return after it into exit code 130', async () => {
    const listeners = process.listenerCount('SIGINT');
    const h = harness(async (_c, { signal }) => {
      process.emit('SIGINT');
      // A second Ctrl-C while cleaning up (npx relays signals) must not print or throw again.
      process.emit('SIGINT');
      expect(signal.aborted).toBe(true);
      return EXIT.ok;
    });
    expect(await h.exec()).toBe(EXIT.interrupted);
    expect(h.err.filter((l) => l.includes('interrupted'))).toHaveLength(1);
    expect(process.listenerCount('SIGINT')).toBe(listeners);
  });

  it('keeps a failure code chosen by run() even after an interruption', async () => {
    const h = harness(async () => {
      process.emit('SIGTERM');
      return EXIT.joinFailed;
    });
    expect(await h.exec()).toBe(EXIT.joinFailed);
  });
});

describe('argument checks', () => {
  it('numberArg: integers by default, numbers on request, bounds inclusive', () => {
    expect(numberArg('n', '16', 1, 16)).toBe(16);
    expect(numberArg('s', '0.5', 0.2, Infinity, false)).toBe(0.5);
    expect(() => numberArg('n', '1.5', 1, 16)).toThrow(UsageError);
    expect(() => numberArg('n', '', 0)).toThrow(/--n must be an integer >= 0, got ""/);
  });

  it('listOf: comma lists of known words', () => {
    expect(listOf('modes', 'mesh, sfu', ['mesh', 'sfu'] as const)).toEqual(['mesh', 'sfu']);
    expect(() => listOf('modes', ',', ['mesh', 'sfu'] as const)).toThrow(/at least one/);
    expect(() => listOf('modes', 'mesh,auto', ['mesh', 'sfu'] as const)).toThrow(/got "auto"/);
  });

  it('loopbackUrl: only this machine, without a trailing slash', () => {
    expect(loopbackUrl('url', 'http://127.0.0.1:3000/')).toBe('http://127.0.0.1:3000');
    expect(loopbackUrl('url', 'http://localhost:3000')).toBe('http://localhost:3000');
    expect(loopbackUrl('url', 'http://[::1]:3000')).toBe('http://[::1]:3000');
    expect(() => loopbackUrl('url', 'http://192.0.2.10:3000')).toThrow(/loopback/);
    expect(() => loopbackUrl('url', 'ftp://127.0.0.1')).toThrow(/loopback/);
    expect(() => loopbackUrl('url', 'not a url')).toThrow(/must be a URL/);
  });
});
