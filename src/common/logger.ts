/**
 * The service's logger: pino, one JSON object per line on stdout (or pretty-printed for a person
 * at a terminal, LOG_FORMAT=pretty), so that a log shipper reads fields rather than parsing text.
 *
 * Call sites pass a message and, optionally, fields (`logger.info('seeded 39 engagements')`,
 * `logger.info('operation', { operation: 'Dashboard', durationMs: 12 })`); `error()` takes the
 * error as its second argument and logs its stack under `err`, on the server only.
 *
 * Secrets never reach the log: API keys (`uscn_…`), `Bearer` tokens and passwords inside URLs
 * are masked wherever they appear — in messages, in error messages and stacks (a connection
 * error quoting DATABASE_URL) and in fields — and fields named like credentials (authorization,
 * cookie, password, token, key…) are replaced whole. __tests__/logging.test.ts checks it.
 */
import pino from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFormat = 'json' | 'pretty';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, error?: unknown, fields?: LogFields): void;
}

export interface LoggerOptions {
  /** `json` (the default): one object per line. `pretty`: coloured lines for a terminal (needs the dev dependency pino-pretty). */
  format?: LogFormat;
  /** stdout (the default) for the server; stderr for tools whose stdout carries data (export). */
  destination?: 'stdout' | 'stderr';
  /** Fields on every line (e.g. `{ service: 'uscn-engagements-api' }`). */
  base?: LogFields;
}

/** Where a secret can hide in free text, and what it becomes. */
const SECRET_PATTERNS: [RegExp, string][] = [
  // This service's API keys (modules/auth/api-key.service.ts): 'uscn_' and 43 base64url characters.
  [/uscn_[A-Za-z0-9_-]{8,}/g, 'uscn_[redacted]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  // postgresql://user:password@host, redis://:password@host and the like.
  [/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):[^@/?#\s]*@/gi, '$1:[redacted]@'],
  // password=… in a libpq-style connection string or a query string.
  [/\b(password|passwd|pwd)=[^\s&;]+/gi, '$1=[redacted]'],
];

/** Field names whose values are credentials, wherever they are nested. */
const SECRET_FIELD = /^(authorization|cookie|set-cookie|password|passwd|secret|token|api[-_]?key|key|connectionparams)$/i;

/** Masks every secret SECRET_PATTERNS recognises in a piece of text. */
export function scrubSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  const out: LogFields = {};
  for (const [name, item] of Object.entries(value as LogFields))
    out[name] = SECRET_FIELD.test(name) ? '[redacted]' : scrubValue(item, depth + 1);
  return out;
}

/** An error as a log field: type, message, code and stack, each scrubbed; its cause too. */
export function serializeError(error: unknown, depth = 0): LogFields {
  if (!(error instanceof Error)) return { message: scrubSecrets(String(error)) };
  const fields: LogFields = { type: error.constructor?.name ?? 'Error', message: scrubSecrets(error.message) };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') fields.code = code;
  if (error.stack) fields.stack = scrubSecrets(error.stack);
  if (error.cause !== undefined && depth < 3) fields.cause = serializeError(error.cause, depth + 1);
  return fields;
}

export function createLogger(level: LogLevel, options: LoggerOptions = {}): Logger {
  const fd = options.destination === 'stderr' ? 2 : 1;
  const instance = pino(
    {
      level,
      base: options.base ?? null,
      timestamp: pino.stdTimeFunctions.isoTime,
      // Level names ("info"), not numbers: what people and most log shippers expect.
      formatters: { level: (label) => ({ level: label }) },
    },
    destinationFor(options.format ?? 'json', fd),
  );
  const write = (at: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: LogFields) => {
    if (!instance.isLevelEnabled(at)) return;
    const msg = scrubSecrets(message);
    if (fields) instance[at](scrubValue(fields) as LogFields, msg);
    else instance[at](msg);
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, error, fields) => {
      // The error's own message goes into the line's text too, so that a person (or a grep)
      // reading only messages sees what failed; its stack is in `err`.
      const text = error === undefined ? message : `${message}: ${error instanceof Error ? error.message : String(error)}`;
      write('error', text, error === undefined ? fields : { ...fields, err: serializeError(error) });
    },
  };
}

/**
 * Synchronous writes: lines are out before `process.exit()` (index.ts exits right after
 * stopping), and tests reading the server's output see each line as it happens.
 */
function destinationFor(format: LogFormat, fd: 1 | 2): pino.DestinationStream {
  if (format === 'pretty') {
    try {
      // A development dependency: absent from the production image, where JSON is wanted anyway.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const pretty = require('pino-pretty') as (options: object) => pino.DestinationStream;
      return pretty({
        destination: fd,
        sync: true,
        colorize: process.stdout.isTTY,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname',
      });
    } catch {
      process.stderr.write('LOG_FORMAT=pretty needs the dev dependency pino-pretty; logging JSON instead\n');
    }
  }
  return pino.destination({ fd, sync: true });
}
