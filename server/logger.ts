// The process-wide pino logger (object first, message second). Room passcodes never reach a log:
// handlers do not log them, and as a second line of defence any `passcode` field is censored and
// a `passcode=` query parameter in a logged URL (a QA room link) is blanked.
import { pino, type Logger } from 'pino';

const PASSCODE_IN_URL = /([?&]passcode=)[^&#]*/gi;

function censor(value: unknown, path: string[]): unknown {
  if (path.at(-1) !== 'url') return '[redacted]';
  return typeof value === 'string' ? value.replace(PASSCODE_IN_URL, '$1[redacted]') : value;
}

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'mesh-vs-sfu' },
    redact: { paths: ['passcode', '*.passcode', 'url', '*.url'], censor },
  });
}
export type { Logger };
