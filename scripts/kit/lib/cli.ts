// The skeleton every kit CLI shares: argument parsing that refuses bad input before anything
// starts, Ctrl-C as an abort signal (the CLI leaves cleanly and still reports), and the exit codes.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The kit's exit codes (scripts/kit/README.md, "Exit codes"). */
export const EXIT = {
  ok: 0,
  /** The run failed: an unexpected error, or a measurement that did not come out. */
  failed: 1,
  /** Bad arguments, refused before any browser, server or worker started. */
  usage: 2,
  /** A participant could not join the call; the server's (or browser's) error code is printed. */
  joinFailed: 3,
  /** Ctrl-C or SIGTERM: the CLI left cleanly and reported what it had. */
  interrupted: 130,
} as const;

/** Thrown by argument checks: printed as one line with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
type WithHelp<O extends OptionsConfig> = O & { help: { type: 'boolean'; default: false } };
export type CliValues<O extends OptionsConfig> = ReturnType<typeof parseArgs<{ options: WithHelp<O>; strict: true }>>['values'];

export interface CliContext {
  /** Aborted on the first SIGINT/SIGTERM; long waits take it so the CLI can leave at once. */
  signal: AbortSignal;
  log(line: string): void;
  error(line: string): void;
}

export interface CliSpec<O extends OptionsConfig, C> {
  /** Short name used in messages ("participants: --count must be …"). */
  name: string;
  /** The --help text. */
  usage: string;
  options: O;
  /** Parsed values → the run's configuration. Whatever it throws is a usage error (exit 2). */
  configure(values: CliValues<O>): C;
  /** The work; returns an exit code. Returning EXIT.ok after an interruption becomes EXIT.interrupted. */
  run(config: C, ctx: CliContext): Promise<number>;
}

export interface CliIo {
  argv: string[];
  log(line: string): void;
  error(line: string): void;
}

const processIo = (): CliIo => ({
  argv: process.argv.slice(2),
  log: (line) => console.log(line),
  error: (line) => console.error(line),
});

/** Parses, configures and runs one CLI; resolves to its exit code (never rejects). */
export async function runCli<O extends OptionsConfig, C>(spec: CliSpec<O, C>, io: CliIo = processIo()): Promise<number> {
  const options = { ...spec.options, help: { type: 'boolean', default: false } } as WithHelp<O>;
  let config: C;
  try {
    const { values } = parseArgs({ args: io.argv, options, strict: true, allowPositionals: false });
    if ((values as { help?: boolean }).help) {
      io.log(spec.usage);
      return EXIT.ok;
    }
    config = spec.configure(values as CliValues<O>);
  } catch (err) {
    io.error(`${spec.name}: ${message(err)}\nRun with --help for the options.`);
    return EXIT.usage;
  }

  const ac = new AbortController();
  const onSignal = () => {
    if (!ac.signal.aborted) io.error(`\n${spec.name}: interrupted, leaving cleanly…`);
    ac.abort();
  };
  // Kept until run() returns: npx and tsx relay Ctrl-C, so a second signal can arrive mid-cleanup
  // and must not kill the process with browsers still open.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const code = await spec.run(config, { signal: ac.signal, log: io.log, error: io.error });
    return ac.signal.aborted && code === EXIT.ok ? EXIT.interrupted : code;
  } catch (err) {
    io.error(`${spec.name} failed: ${message(err)}`);
    return ac.signal.aborted ? EXIT.interrupted : EXIT.failed;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Entry point of a CLI file: runs it and sets the process's exit code. */
export function startCli<O extends OptionsConfig, C>(spec: CliSpec<O, C>): void {
  void runCli(spec).then((code) => {
    process.exitCode = code;
  });
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// ---- argument checks (each throws UsageError naming the option) ---------------------------------

/** A number within min..max given as text; integer unless `integer: false`. */
export function numberArg(name: string, raw: string, min: number, max = Infinity, integer = true): number {
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    const range = max === Infinity ? `>= ${min}` : `in ${min}..${max}`;
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} ${range}, got "${raw}"`);
  }
  return v;
}

export function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(raw)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

/** A comma-separated, non-empty list of allowed words. */
export function listOf<T extends string>(name: string, raw: string, allowed: readonly T[]): T[] {
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`--${name} must list at least one of ${allowed.join(', ')}`);
  return items.map((item) => oneOf(name, item, allowed));
}

/** An http(s) URL on this machine: load and failure runs send traffic only to loopback. */
export function loopbackUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--${name} must be a URL like http://127.0.0.1:3000, got "${raw}"`);
  }
  const host = url.hostname;
  const loopback = host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  if (!/^https?:$/.test(url.protocol) || !loopback) {
    throw new UsageError(`--${name} must be an http(s) loopback address (traffic stays on this machine), got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

/** Runs a check that throws plain errors (RangeError from a parser) and turns them into usage errors. */
export function asUsage<T>(name: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    throw err instanceof UsageError ? err : new UsageError(`--${name}: ${message(err)}`);
  }
}
