// N server nodes on one machine sharing one Redis: each node's environment (ports, id, shared
// secrets, origins), starting them all until ready, and stopping or killing each one.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { freePortRun, launchServer, parentDeathPrefix, portFree, sweepDeadProcessDirs, type ServerHandle } from '../server-process';

/** server/managed-turn.ts's private coturn folders (os.tmpdir()/<prefix>*, with coturn's pid file). */
const COTURN_DIR_PREFIX = 'mesh-vs-sfu-turn-';
const COTURN_PID_FILE = 'turnserver.pid';

/** What every node of one cluster run shares; random per run unless the environment sets them. */
export interface ClusterSecrets {
  /** RESUME_SECRET: a resume token issued by one node is verified by any other. */
  resumeSecret: string;
  /** OPERATOR_TOKEN: the failure drill's bearer token, the same on every node. */
  operatorToken: string;
  /** CLUSTER_SECRET: authenticates node-to-node calls (pipe transports, internal endpoints). */
  clusterSecret: string;
  /** TURN_SECRET: every node's coturn accepts credentials minted by any node. */
  turnSecret: string;
}

export interface NodesOptions {
  count: number;
  redisUrl: string;
  /** HTTP ports basePort .. basePort+count-1; consecutive free ports when unset. */
  basePort?: number;
  /** Each node runs its own coturn on turnBasePort+i; consecutive free ports when unset. */
  turnBasePort?: number;
  /** Node i's SFU uses rtcBasePort + i*rtcPortsPerNode onwards (default 40000, 1000 ports each). */
  rtcBasePort?: number;
  rtcPortsPerNode?: number;
  /** Secrets to use instead of the environment's or fresh random ones. */
  secrets?: Partial<ClusterSecrets>;
  /** Extra environment for every node; wins over everything computed here. */
  env?: Record<string, string>;
  /** Next build directory (default NEXT_DIST_DIR, else .next). */
  distDir?: string;
  /** Per node (default 60 s). */
  timeoutMs?: number;
  /** Each line a node prints, as it comes. */
  onLine?: (nodeId: string, line: string) => void;
}

export interface ClusterNode {
  /** NODE_ID: node-1, node-2, … */
  id: string;
  url: string;
  port: number;
  turnPort: number;
  rtcPorts: { min: number; max: number };
  pid: number;
  /** Resolves once the node's process has exited (stopped, killed or crashed). */
  exited: Promise<void>;
  /** Whether the node's process is still running. */
  alive(): boolean;
  /** Sends a signal (SIGKILL: a crash) and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Graceful stop (SIGTERM, SIGKILL after 8 s). */
  stop(): Promise<void>;
  /** The node's last 40 lines of output. */
  output(): string;
}

export interface Nodes {
  nodes: ClusterNode[];
  secrets: ClusterSecrets;
  /** Every node's page origin (PUBLIC_ORIGINS of each node). */
  origins: string[];
  /** Stops every node still running, in parallel. */
  stop(): Promise<void>;
}

/** The ports of one node, derived from the cluster's bases (pure: the README's port layout). */
export interface NodeLayout {
  id: string;
  port: number;
  turnPort: number;
  rtcPorts: { min: number; max: number };
}

export function nodeLayout(count: number, bases: { basePort: number; turnBasePort: number; rtcBasePort?: number; rtcPortsPerNode?: number }): NodeLayout[] {
  const rtcBase = bases.rtcBasePort ?? 40000;
  const span = bases.rtcPortsPerNode ?? 1000;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`node count must be a positive integer, got ${count}`);
  if (bases.basePort + count - 1 > 65535 || bases.turnBasePort + count - 1 > 65535 || rtcBase + count * span - 1 > 65535) {
    throw new RangeError('the port ranges of that many nodes go past 65535');
  }
  const http = [bases.basePort, bases.basePort + count - 1];
  const turn = [bases.turnBasePort, bases.turnBasePort + count - 1];
  if (http[0] <= turn[1] && turn[0] <= http[1]) throw new RangeError(`HTTP ports ${http.join('-')} and TURN ports ${turn.join('-')} overlap`);
  return Array.from({ length: count }, (_, i) => ({
    id: `node-${i + 1}`,
    port: bases.basePort + i,
    turnPort: bases.turnBasePort + i,
    rtcPorts: { min: rtcBase + i * span, max: rtcBase + (i + 1) * span - 1 },
  }));
}

/** Page origins of every node, as a browser sends them (127.0.0.1 and localhost both work). */
export function clusterOrigins(layout: readonly NodeLayout[]): string[] {
  return layout.flatMap((n) => [`http://127.0.0.1:${n.port}`, `http://localhost:${n.port}`]);
}

/** The secrets of a run: given ones, else the environment's, else fresh random ones. */
export function clusterSecrets(given: Partial<ClusterSecrets> = {}, env: Record<string, string | undefined> = process.env): ClusterSecrets {
  const random = (bytes: number) => randomBytes(bytes).toString('base64url');
  return {
    resumeSecret: given.resumeSecret ?? env.RESUME_SECRET ?? random(32),
    operatorToken: given.operatorToken ?? env.OPERATOR_TOKEN ?? random(24),
    clusterSecret: given.clusterSecret ?? env.CLUSTER_SECRET ?? random(32),
    turnSecret: given.turnSecret ?? env.TURN_SECRET ?? random(24),
  };
}

/**
 * One node's environment. TURN: every node runs its own managed coturn on its own TURN_PORT, so a
 * node that dies takes only its own relay with it (like one coturn per host in a deployment). The
 * coturns share the development config's relay range; that is safe because coturn binds each UDP
 * relay port without SO_REUSEADDR and moves on to another port when one is taken.
 */
export function nodeEnv(
  node: NodeLayout,
  ctx: { redisUrl: string; secrets: ClusterSecrets; origins: readonly string[]; workers: number },
  env: Record<string, string | undefined> = process.env,
): Record<string, string> {
  const extraOrigins = env.PUBLIC_ORIGINS ? [env.PUBLIC_ORIGINS] : [];
  return {
    PORT: String(node.port),
    NODE_ID: node.id,
    REDIS_URL: ctx.redisUrl,
    RESUME_SECRET: ctx.secrets.resumeSecret,
    OPERATOR_TOKEN: ctx.secrets.operatorToken,
    CLUSTER_SECRET: ctx.secrets.clusterSecret,
    // A page served by one node may open its socket on another (a room on the other node).
    PUBLIC_ORIGINS: [...ctx.origins, ...extraOrigins].join(','),
    TURN_MODE: env.TURN_MODE ?? 'managed',
    TURN_PORT: String(node.turnPort),
    TURN_SECRET: ctx.secrets.turnSecret,
    SFU_RTC_MIN_PORT: String(node.rtcPorts.min),
    SFU_RTC_MAX_PORT: String(node.rtcPorts.max),
    // N nodes on one machine share its cores: N × (one worker per core) would only queue.
    SFU_NUM_WORKERS: env.SFU_NUM_WORKERS ?? String(ctx.workers),
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
  };
}

/** Starts `count` nodes and resolves once every one answers /readyz; on any failure, none is left running. */
export async function startNodes(opts: NodesOptions): Promise<Nodes> {
  const distDir = opts.distDir ?? process.env.NEXT_DIST_DIR ?? '.next';
  if (!existsSync(join(distDir, 'BUILD_ID'))) {
    throw new Error(`no Next production build in ${distDir}: run scripts/setup.sh first (npm run cluster and scripts/test.sh do)`);
  }
  const basePort = opts.basePort ?? (await freePortRun(opts.count));
  const turnBasePort = opts.turnBasePort ?? (await freeRunAvoiding(opts.count, basePort));
  const layout = nodeLayout(opts.count, { basePort, turnBasePort, rtcBasePort: opts.rtcBasePort, rtcPortsPerNode: opts.rtcPortsPerNode });
  for (const n of layout) {
    if (!(await portFree(n.port))) throw new Error(`port ${n.port} (${n.id}'s HTTP) is in use on 127.0.0.1: pick another base port`);
    if (!(await portFree(n.turnPort))) throw new Error(`port ${n.turnPort} (${n.id}'s TURN) is in use on 127.0.0.1: pick another TURN base port`);
  }
  const secrets = clusterSecrets(opts.secrets);
  const origins = clusterOrigins(layout);
  const workers = Math.max(1, Math.floor(cpus().length / opts.count));
  // Together: each node spends its start-up mostly waiting (Next, mediasoup workers, coturn).
  const started = await Promise.allSettled(
    layout.map((n) =>
      launchServer({
        port: n.port,
        distDir,
        timeoutMs: opts.timeoutMs,
        prefix: parentDeathPrefix(),
        ownProcessGroup: true,
        onLine: opts.onLine ? (line) => opts.onLine!(n.id, line) : undefined,
        env: { ...nodeEnv(n, { redisUrl: opts.redisUrl, secrets, origins, workers }), ...opts.env },
      }),
    ),
  );
  const handles = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.flatMap((r, i) => (r.status === 'rejected' ? [`${layout[i].id}: ${(r.reason as Error).message}`] : []));
  if (failed.length) {
    await Promise.all(handles.map((h) => h.stop()));
    throw new Error(`${failed.length} of ${opts.count} nodes did not start:\n${failed.join('\n')}`);
  }
  const nodes = layout.map((n, i) => asNode(n, handles[i]));
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    // A node that was killed (a crash drill) could not remove its coturn's private folder; the
    // server sweeps those at its next start, but a cluster run that ends here must leave none.
    sweepDeadProcessDirs(COTURN_DIR_PREFIX, COTURN_PID_FILE);
  };
  return { nodes, secrets, origins, stop };
}

function asNode(n: NodeLayout, h: ServerHandle): ClusterNode {
  let alive = true;
  void h.exited.then(() => (alive = false));
  return { ...n, url: h.url, pid: h.pid, exited: h.exited, alive: () => alive, kill: h.kill, stop: h.stop, output: h.output };
}

/** A free run of ports that does not overlap [avoid, avoid+count). */
async function freeRunAvoiding(count: number, avoid: number): Promise<number> {
  for (let i = 0; i < 10; i++) {
    const start = await freePortRun(count);
    if (start + count <= avoid || start >= avoid + count) return start;
  }
  throw new Error('no free TURN ports apart from the HTTP ports');
}
