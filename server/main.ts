// The one process: config, logging, the SFU, Next.js pages and signaling on one port; graceful exit,
// and the restart drill (every service stopped and started anew, in this process).
import next from 'next';
import { setTimeout as sleep } from 'node:timers/promises';
import { lookup } from 'node:dns/promises';
import { renderUnicodeCompact } from 'uqr';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { parseConfig, withLanAddress, withLocalSfuAddresses } from './config';
import { DEFAULT_TLS_DIR, ensureTls } from './tls';
import { createCallServer, type CallServer } from './call-server';
import { ClusterSfu } from './cluster/cluster-sfu';
import { connectCluster, redactUrl, type ClusterLink } from './cluster/link';
import { RedisProducerDirectory } from './cluster/producer-directory';
import { createLogger } from './logger';
import { startTurn, type TurnRuntime } from './managed-turn';
import { DEFAULT_RESUME_SECRET_FILE, resolveResumeSecret } from './resume-secret';
import { startSfu } from './start-sfu';
import type { MediasoupSfu } from './sfu/mediasoup-sfu';
import type { ServerSfu } from './sfu/types';

const parsed = parseConfig();
const logger = createLogger(parsed.logLevel);
const { resume } = parsed;
const base = { ...parsed, resume: { ...resume, secret: resolveResumeSecret(resume.configuredSecret, resume.secretFile ?? DEFAULT_RESUME_SECRET_FILE, logger) } };
const lanHost = base.lan?.publicHost;
const config = withLocalSfuAddresses(lanHost ? withLanAddress(base, isIP(lanHost) ? lanHost : (await lookup(lanHost, { family: 4 })).address) : base, networkInterfaces());

/** On the LAN (PUBLIC_HOST): the operator's certificate, or one signed by the kept local CA. */
function lanTls() {
  if (!config.lan) return null;
  return ensureTls({ host: config.lan.publicHost, dir: config.lan.tlsDir ?? DEFAULT_TLS_DIR, cert: config.lan.tlsCert, key: config.lan.tlsKey });
}

function clusterSfu(local: MediasoupSfu, cluster: ClusterLink): ClusterSfu {
  return new ClusterSfu({
    local,
    nodeId: cluster.nodeId,
    directory: new RedisProducerDirectory(cluster.redis),
    cascade: {
      secret: cluster.settings.secret,
      resolveNode: (id) => cluster.registry.urlOf(id),
      listenIp: config.sfu.listenIp,
      announcedAddress: config.sfu.announcedAddress,
    },
    logger,
  });
}

/** Everything that holds call state; the restart drill throws it all away and starts it again. */
interface Services {
  turn: TurnRuntime;
  sfu: ServerSfu | null;
  server: CallServer;
  port: number;
}

async function main(): Promise<void> {
  const tls = lanTls();
  const app = next({ dev: config.dev, dir: process.cwd(), hostname: config.host, port: config.port });
  const preparing = app.prepare();
  let services: Services | null = null;
  let closing = false;
  // Several nodes share rooms through Redis when REDIS_URL is set; it outlives restart drills.
  const cluster = config.cluster ? await connectCluster(config.cluster, logger) : null;
  if (cluster) logger.info({ node: cluster.nodeId, redis: redactUrl(cluster.settings.redisUrl) }, 'cluster node: rooms are shared through Redis');

  const start = async (port: number): Promise<Services> => {
    const turn = await startTurn(config, logger);
    const local = config.sfu.enabled ? await startSfu(config, logger) : null;
    // In a cluster, SFU rooms spanning nodes are cascaded: remote producers are piped in on demand.
    const sfu = local && cluster ? clusterSfu(local, cluster) : local;
    const server = createCallServer({ ...config, ice: turn.ice }, logger, sfu, {
      turnProblem: turn.problem,
      tls: tls ?? undefined,
      cluster: cluster ?? undefined,
      restart: (s) => void restart(s).catch(restartFailed),
      restartTurn:
        config.ice.turnMode === 'managed' && !turn.problem
          ? () => void restartTurn().catch((err: unknown) => logger.error({ err }, 'restart drill: coturn did not come back'))
          : undefined,
    });
    const bound = await server.listen(port, config.host);
    await preparing;
    const handle = app.getRequestHandler();
    server.setPageHandler((req, res) => handle(req, res));
    logger.info({ port: bound, sfu: sfu?.unavailableReason() ?? (sfu ? 'ready' : 'disabled'), turn: turn.problem ?? 'ready' }, 'ready');
    return { turn, sfu, server, port: bound };
  };
  const stop = async (s: Services) => {
    await s.server.close();
    await s.sfu?.close();
    await s.turn.stop();
  };
  // What a crashed and restarted server looks like to its users: the port closes, every seat, SFU
  // router and TURN allocation is gone, and the new services know only the resume secret.
  const restart = async (seconds: number) => {
    if (!services || closing) return;
    const old = services;
    services = null;
    await stop(old);
    logger.warn({ seconds }, 'restart drill: server down');
    await sleep(seconds * 1000);
    if (closing) return;
    services = await start(old.port);
    logger.warn('restart drill: server back');
  };

  // The TURN drill: a new coturn on the same port with the same secret, so credentials already
  // handed out stay valid, but every allocation (every relayed path) is gone.
  const restartTurn = async () => {
    if (!services || closing) return;
    const current = services;
    await current.turn.stop();
    current.turn = await startTurn({ ...config, ice: { ...config.ice, turnSecret: current.turn.ice.turnSecret } }, logger);
    logger.warn({ turn: current.turn.problem ?? 'ready' }, 'restart drill: coturn back');
  };
  const restartFailed = (err: unknown) => {
    logger.fatal({ err }, 'restart drill: the server could not start again');
    process.exit(1);
  };

  services = await start(config.port);
  const url = config.lan ? config.lan.publicOrigin.replace(/:\d+$/, `:${services.port}`) : `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${services.port}`;
  console.log(`\n  Open ${url} in a browser (mesh${services.sfu && !services.sfu.unavailableReason() ? ' and SFU' : ''} modes).\n`);
  if (config.lan) {
    console.log(`  Other devices on the LAN join at ${url} (the lobby shows this QR code too):\n`);
    console.log(renderUnicodeCompact(`${url}/`, { border: 2 }));
    if (tls?.caPath) console.log(`\n  The certificate is signed by a local CA: install ${tls.caPath} on the devices to avoid the browser's warning (README "A class on the LAN").\n`);
  }
  // Printed once on the console for the teacher, never logged: the drill token is an operator secret.
  if (config.operatorTokenGenerated) {
    console.log(`  Failure drill (README "Failure drill"): curl -X POST -H 'Authorization: Bearer ${config.operatorToken}' ${url}/drill/signaling-outage?seconds=15\n`);
  }

  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 5_000);
    force.unref();
    if (services) await stop(services);
    await cluster?.close();
    await app.close?.();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  logger.fatal({ err }, 'failed to start');
  process.exit(1);
});
