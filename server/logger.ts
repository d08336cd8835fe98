// The process-wide pino logger (object first, message second).
import { pino, type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'mesh-vs-sfu' } });
}
export type { Logger };
