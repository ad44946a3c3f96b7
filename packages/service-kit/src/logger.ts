import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** A JSON logger named after the service; level from LOG_LEVEL (default info). */
export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  return pino({ name, level: process.env.LOG_LEVEL || 'info', ...options });
}
