/**
 * The environment, parsed and validated once at start-up: a bad value stops the process with a
 * message naming the variable, instead of surfacing later as an obscure failure.
 * Every variable is documented in .env.example and in the README's Configuration table.
 */
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from './paths';

const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((value) => value === 'true');
const count = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback);

const envSchema = z.object({
  // Production unless said otherwise: development adds error details (stacks, messages of
  // unexpected errors) to responses, which must never happen by accident.
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  EXPOSE_ERROR_DETAILS: z.enum(['true', 'false']).optional(),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  DATA_DIR: z.string().min(1).default(path.join(PROJECT_ROOT, '.data')),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: count(5_000, 100),
  SEED_ON_EMPTY: flag('true'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  METRICS: flag('true'),
  MAX_COST: count(50_000),
  MAX_DEPTH: count(12),
  MAX_ALIASES: count(30, 0),
  MAX_BATCH: count(10),
  MAX_BODY_BYTES: count(1024 * 1024, 1024),
  MAX_DOCUMENT_BYTES: count(100_000, 100),
  MAX_TOKENS: count(10_000, 100),
  MAX_FIELDS: count(2_000, 10),
  MAX_DIRECTIVES: count(50, 0),
  MAX_RESPONSE_BYTES: count(16 * 1024 * 1024, 1024),
  REQUEST_TIMEOUT_MS: count(10_000, 100),
  RATE_LIMIT_PER_SECOND: count(100, 0),
  AUTH_FAILURES_PER_MINUTE: count(20, 0),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { message: 'must be a redis:// or rediss:// URL' })
    .optional(),
  TRUST_PROXY: z.string().default('false'),
  CACHE_MAX_AGE: z.coerce.number().int().nonnegative().default(60),
  RESPONSE_CACHE_MB: z.coerce.number().nonnegative().default(64),
  READS_REQUIRE_KEY: flag('false'),
  INTROSPECTION: flag('true'),
  SUGGESTIONS: flag('true'),
  EXPLORER: flag('true'),
  TRUSTED_DOCUMENTS: z.string().min(1).optional(),
  PLANNER: flag('true'),
  CORS_ORIGINS: z
    .string()
    .default('*')
    .transform((value, ctx) => parseOrigins(value, ctx)),
  SUBSCRIPTIONS: flag('true'),
  WS_MAX_SUBSCRIPTIONS: count(20),
  WS_MAX_MESSAGE_BYTES: count(256 * 1024, 1024),
  WS_CONNECTIONS_PER_MINUTE: count(60, 0),
  WS_MAX_CONNECTIONS: count(2_000),
});

/**
 * `*` (any origin), `none`, or a comma-separated list of origins such as
 * `https://dash.example.org,http://localhost:3000` (scheme, host and port; no path).
 */
function parseOrigins(value: string, ctx: z.RefinementCtx): '*' | string[] {
  const trimmed = value.trim();
  if (trimmed === '*') return '*';
  if (trimmed === 'none') return [];
  const origins = trimmed
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin.replace(/\/$/, '')) {
      ctx.addIssue({
        code: 'custom',
        message: `"${origin}" is not an origin (scheme://host[:port], e.g. http://localhost:3000), "*" or "none"`,
      });
    }
  }
  return origins.map((origin) => origin.replace(/\/$/, ''));
}

export interface Limits {
  /** Highest computed cost of an operation, and of all operations of one HTTP request together. */
  maxCost: number;
  maxDepth: number;
  /** Aliases in one operation, `__typename` aliases included. */
  maxAliases: number;
  /** Operations in one batched HTTP request. */
  maxBatch: number;
  /** Request bodies larger than this are refused before parsing (413). */
  maxBodyBytes: number;
  maxDocumentBytes: number;
  maxTokens: number;
  /** Fields of one operation with its fragments expanded (fragment fan-out). */
  maxFields: number;
  maxDirectives: number;
  maxResponseBytes: number;
  /** Per-request deadline; SQL statements are cancelled when it passes. */
  requestTimeoutMs: number;
}

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** Unset: run the embedded PostgreSQL under dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize: number;
  /** Waiting for a pooled connection, and opening one, gives up after this. */
  connectTimeoutMs: number;
  seedOnEmpty: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** JSON lines, or pretty lines for a person; unset: pretty in development or at a terminal (index.ts). */
  logFormat: 'json' | 'pretty' | undefined;
  /** Prometheus metrics at GET /metrics. */
  metrics: boolean;
  /** Messages and stack traces of unexpected errors go to clients (development only, by default). */
  exposeErrorDetails: boolean;
  limits: Limits;
  rateLimit: {
    /** Requests per second per API key, else per client address; 0 turns it off. */
    perSecond: number;
    /** Requests with an unknown or revoked key per minute per address before it is refused; 0 turns it off. */
    authFailuresPerMinute: number;
    /** Shares the counters between instances. */
    redisUrl: string | undefined;
  };
  /** Express's `trust proxy`: false, true, a hop count or a list of addresses/subnets. */
  trustProxy: boolean | number | string;
  /** Seconds reads may be cached (Cache-Control max-age); 0 turns caching off. */
  cacheMaxAge: number;
  /** Memory for the server-side response cache, in bytes; 0 turns it off. */
  responseCacheBytes: number;
  /** Reads are public unless this is set; then every operation needs a key (any role). */
  readsRequireKey: boolean;
  introspection: boolean;
  /** "Did you mean …?" in validation errors. */
  suggestions: boolean;
  /** The explorer (landing page) at GET /graphql. */
  explorer: boolean;
  /** A trusted-documents manifest: only the operations it lists may run. */
  trustedDocuments: string | undefined;
  /** Queries the read planner covers are answered from one SQL statement, without execution. */
  planner: boolean;
  /** Browser origins allowed to call the API (CORS) and to open subscriptions: `*`, or a list (empty: none). */
  corsOrigins: '*' | string[];
  subscriptions: {
    /** GraphQL subscriptions over WebSocket (graphql-ws) at /graphql. */
    enabled: boolean;
    /** Subscriptions one connection may hold at once. */
    maxPerConnection: number;
    /** Largest WebSocket message a client may send. */
    maxMessageBytes: number;
    /** New connections per minute per client address; 0 turns it off. */
    connectionsPerMinute: number;
    /** Open connections per server instance. */
    maxConnections: number;
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    poolSize: e.DATABASE_POOL_SIZE,
    connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    seedOnEmpty: e.SEED_ON_EMPTY,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    metrics: e.METRICS,
    exposeErrorDetails: e.EXPOSE_ERROR_DETAILS === undefined ? e.NODE_ENV === 'development' : e.EXPOSE_ERROR_DETAILS === 'true',
    limits: {
      maxCost: e.MAX_COST,
      maxDepth: e.MAX_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxBatch: e.MAX_BATCH,
      maxBodyBytes: e.MAX_BODY_BYTES,
      maxDocumentBytes: e.MAX_DOCUMENT_BYTES,
      maxTokens: e.MAX_TOKENS,
      maxFields: e.MAX_FIELDS,
      maxDirectives: e.MAX_DIRECTIVES,
      maxResponseBytes: e.MAX_RESPONSE_BYTES,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    },
    rateLimit: { perSecond: e.RATE_LIMIT_PER_SECOND, authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE, redisUrl: e.REDIS_URL },
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    cacheMaxAge: e.CACHE_MAX_AGE,
    responseCacheBytes: Math.round(e.RESPONSE_CACHE_MB * 1024 * 1024),
    readsRequireKey: e.READS_REQUIRE_KEY,
    introspection: e.INTROSPECTION,
    suggestions: e.SUGGESTIONS,
    explorer: e.EXPLORER,
    trustedDocuments: e.TRUSTED_DOCUMENTS,
    planner: e.PLANNER,
    corsOrigins: e.CORS_ORIGINS,
    subscriptions: {
      enabled: e.SUBSCRIPTIONS,
      maxPerConnection: e.WS_MAX_SUBSCRIPTIONS,
      maxMessageBytes: e.WS_MAX_MESSAGE_BYTES,
      connectionsPerMinute: e.WS_CONNECTIONS_PER_MINUTE,
      maxConnections: e.WS_MAX_CONNECTIONS,
    },
  };
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** Every default, as an unset environment gives them: what tests and tools start from. */
export const DEFAULT_CONFIG: Config = loadConfig({});
