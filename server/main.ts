// The one process: config, logging, the SFU, Next.js pages and signaling on one port; graceful exit.
import next from 'next';
import { parseConfig } from './config';
import { createCallServer } from './call-server';
import { createLogger } from './logger';
import { startTurn } from './managed-turn';
import { DEFAULT_RESUME_SECRET_FILE, resolveResumeSecret } from './resume-secret';
import { startSfu } from './start-sfu';

const parsed = parseConfig();
const logger = createLogger(parsed.logLevel);
const { resume } = parsed;
const config = { ...parsed, resume: { ...resume, secret: resolveResumeSecret(resume.configuredSecret, resume.secretFile ?? DEFAULT_RESUME_SECRET_FILE, logger) } };

async function main(): Promise<void> {
  const turn = await startTurn(config, logger);
  const sfu = config.sfu.enabled ? await startSfu(config, logger) : null;
  const server = createCallServer({ ...config, ice: turn.ice }, logger, sfu, { turnProblem: turn.problem });
  const port = await server.listen(config.port, config.host);

  const app = next({ dev: config.dev, dir: process.cwd(), hostname: config.host, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  server.setPageHandler((req, res) => handle(req, res));

  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  logger.info({ url, sfu: sfu?.unavailableReason() ?? (sfu ? 'ready' : 'disabled'), turn: turn.problem ?? 'ready' }, 'ready');
  console.log(`\n  Open ${url} in a browser (mesh${sfu && !sfu.unavailableReason() ? ' and SFU' : ''} modes).\n`);
  // Printed once on the console for the teacher, never logged: the drill token is an operator secret.
  if (config.operatorTokenGenerated) {
    console.log(`  Failure drill (README "Failure drill"): curl -X POST -H 'Authorization: Bearer ${config.operatorToken}' ${url}/drill/signaling-outage?seconds=15\n`);
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 5_000);
    force.unref();
    await server.close();
    await sfu?.close();
    await turn.stop();
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
