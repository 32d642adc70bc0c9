/** Minimal levelled logger: one line per event on stderr, so stdout stays free for CLI output. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export function createLogger(level: LogLevel): Logger {
  const emit = (at: LogLevel, message: string) => {
    if (RANK[at] >= RANK[level]) process.stderr.write(`${new Date().toISOString()} ${at.toUpperCase()} ${message}\n`);
  };
  return {
    debug: (m) => emit('debug', m),
    info: (m) => emit('info', m),
    warn: (m) => emit('warn', m),
    error: (m, error) => emit('error', error instanceof Error ? `${m}: ${error.stack ?? error.message}` : m),
  };
}
