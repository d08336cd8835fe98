// The secret that signs resume tokens must outlive the process: a restarted server that still
// knows it can verify the tokens its predecessor issued and rebuild mesh seats from them, so mesh
// calls come through a restart with their peer connections. Set RESUME_SECRET (several servers,
// containers); otherwise one is generated once and kept in a private file (mode 600).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Logger } from './logger';

export const DEFAULT_RESUME_SECRET_FILE = join(homedir(), '.local', 'state', 'mesh-vs-sfu', 'resume-secret');

/** The configured secret, else the one kept in the file (created when missing), else a per-process one. */
export function resolveResumeSecret(configured: string | undefined, file: string, logger: Logger): string {
  if (configured) return configured;
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 16) return kept;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn({ file, err: String(err) }, 'could not read the resume secret file');
  }
  const secret = randomBytes(32).toString('base64url');
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  } catch (err) {
    // Calls still work; only a restart will ask mesh participants to rejoin with new ids.
    logger.warn({ file, err: String(err) }, 'could not keep the resume secret; a restart will not restore mesh seats');
  }
  return secret;
}
