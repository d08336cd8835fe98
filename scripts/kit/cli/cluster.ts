// `npm run cluster`: Redis and N server nodes on this machine, as one command. Runs the setup first
// (like scripts/start.sh: the production build, redis-server), prints each node's URL, and on
// Ctrl-C stops the nodes, then Redis, leaving no process and no temporary folder behind.
// Run: npm run cluster -- [--nodes N] [--port P] [--turn-port T] [--redis-port R] [--skip-setup]
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asUsage, EXIT, numberArg, startCli, UsageError, type CliContext, type CliSpec, type CliValues } from '../lib/cli';
import { nodeLayout, startNodes, type Nodes } from '../lib/cluster/nodes';
import { startRedis, type RedisHandle } from '../lib/cluster/redis-server';

const USAGE = `Usage: npm run cluster -- [options]
  --nodes N        server nodes (default 2, at most 8)
  --port P         node i listens on P+i-1 (default 3000)
  --turn-port T    node i runs its own coturn on T+i-1 (default 3478)
  --redis-port R   Redis's port (default: a free one)
  --skip-setup     do not run scripts/setup.sh first (it must have run once: the production build)
Starts Debian's redis-server on 127.0.0.1 (its own temporary data folder, nothing saved), then N
nodes (node --import tsx server/main.ts) sharing it through REDIS_URL, with one random
RESUME_SECRET, OPERATOR_TOKEN and CLUSTER_SECRET for the run, and SFU ports 40000+1000*(i-1)
onwards per node. Everything listens on loopback. Ctrl-C stops it all.
Exit codes: 130 after Ctrl-C (the normal end), 1 failed (a node or Redis did not start, or every
node died), 2 bad arguments.`;

const options = {
  nodes: { type: 'string', default: '2' },
  port: { type: 'string', default: '3000' },
  'turn-port': { type: 'string', default: '3478' },
  'redis-port': { type: 'string' },
  'skip-setup': { type: 'boolean', default: false },
} as const;

const MAX_NODES = 8;

function configure(v: CliValues<typeof options>) {
  // Nodes here serve plain HTTP on loopback; a LAN class with several hosts follows the README.
  if (process.env.PUBLIC_HOST) throw new UsageError('PUBLIC_HOST is set: npm run cluster runs every node on this machine\'s loopback (README "Several nodes" explains a deployment on several hosts)');
  const nodes = numberArg('nodes', v.nodes, 1, MAX_NODES);
  const port = numberArg('port', v.port, 1024, 65535);
  const turnPort = numberArg('turn-port', v['turn-port'], 1024, 65535);
  const redisPort = v['redis-port'] === undefined ? undefined : numberArg('redis-port', v['redis-port'], 1024, 65535);
  asUsage('port', () => nodeLayout(nodes, { basePort: port, turnBasePort: turnPort }));
  if (redisPort !== undefined && ((redisPort >= port && redisPort < port + nodes) || (redisPort >= turnPort && redisPort < turnPort + nodes))) {
    throw new UsageError(`--redis-port ${redisPort} is one of the nodes' ports`);
  }
  return { nodes, port, turnPort, redisPort, setup: !v['skip-setup'] };
}
type Config = ReturnType<typeof configure>;

const spec: CliSpec<typeof options, Config> = { name: 'cluster', usage: USAGE, options, configure, run };

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** scripts/setup.sh, as scripts/start.sh runs it: its output on this terminal; true when it succeeded. */
function runSetup(signal: AbortSignal): Promise<boolean> {
  return new Promise((done) => {
    const child = spawn('bash', [resolve(ROOT, 'scripts/setup.sh')], { cwd: ROOT, stdio: 'inherit' });
    // Ctrl-C reaches setup.sh from the terminal; a SIGTERM sent to this CLI alone is passed on.
    const onAbort = () => child.kill('SIGTERM');
    signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', () => done(false));
    child.once('exit', (code) => {
      signal.removeEventListener('abort', onAbort);
      done(code === 0);
    });
  });
}

async function run(cfg: Config, { signal, log, error }: CliContext): Promise<number> {
  if (cfg.setup) {
    log('cluster: running scripts/setup.sh (as scripts/start.sh does)…');
    if (!(await runSetup(signal))) {
      if (signal.aborted) return EXIT.interrupted;
      error('cluster: scripts/setup.sh failed (see above)');
      return EXIT.failed;
    }
  }
  if (signal.aborted) return EXIT.interrupted;
  process.chdir(ROOT);
  let redis: RedisHandle | null = null;
  let nodes: Nodes | null = null;
  try {
    redis = await startRedis({ port: cfg.redisPort });
    log(`\ncluster: Redis ${redis.url} (pid ${redis.pid}, data folder ${redis.dir})`);
    if (signal.aborted) return EXIT.interrupted;
    nodes = await startNodes({
      count: cfg.nodes,
      redisUrl: redis.url,
      basePort: cfg.port,
      turnBasePort: cfg.turnPort,
      onLine: (id, line) => log(`[${id}] ${line}`),
    });
    if (signal.aborted) return EXIT.interrupted;
    printSummary(nodes, log);
    return await watch(nodes, redis, signal, log, error);
  } finally {
    // Nodes first: they would log Redis going away while still shutting down.
    await nodes?.stop();
    await redis?.stop();
    if (nodes || redis) log('cluster: stopped every node and Redis.');
  }
}

function printSummary(nodes: Nodes, log: (line: string) => void): void {
  log(`\ncluster: ${nodes.nodes.length} node${nodes.nodes.length === 1 ? '' : 's'} ready:`);
  for (const n of nodes.nodes) {
    log(`  ${n.id}  ${n.url}   pid ${n.pid}, TURN 127.0.0.1:${n.turnPort}, SFU ports ${n.rtcPorts.min}-${n.rtcPorts.max}`);
  }
  // Printed once for the teacher, never logged, as a single server does when it made the token.
  if (!process.env.OPERATOR_TOKEN) {
    log(`\n  Failure drill on any node (README "Failure drill"): curl -X POST -H 'Authorization: Bearer ${nodes.secrets.operatorToken}' ${nodes.nodes[0].url}/drill/signaling-outage?seconds=15`);
  }
  log(`  To see a node die: kill -9 <its pid>. Ctrl-C stops everything.\n`);
}

/** Until Ctrl-C (ok) or every node has died (failed); says when a node or Redis exits on its own. */
function watch(nodes: Nodes, redis: RedisHandle, signal: AbortSignal, log: (line: string) => void, error: (line: string) => void): Promise<number> {
  return new Promise((done) => {
    if (signal.aborted) return done(EXIT.ok);
    signal.addEventListener('abort', () => done(EXIT.ok), { once: true });
    for (const n of nodes.nodes) {
      void n.exited.then(() => {
        if (signal.aborted) return;
        const left = nodes.nodes.filter((m) => m.alive()).length;
        error(`cluster: ${n.id} (pid ${n.pid}) exited; ${left} node${left === 1 ? '' : 's'} still running.${left ? '' : ' Stopping.'}`);
        if (!left) done(EXIT.failed);
      });
    }
    void redis.exited.then(() => {
      if (!signal.aborted) error('cluster: redis-server exited; the nodes lose their shared state until it is back. Ctrl-C to stop.');
    });
  });
}

startCli(spec);
