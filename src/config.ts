/**
 * The environment, parsed and validated once at start-up: a bad value stops the process with a
 * message naming the variable, instead of surfacing later as an obscure failure.
 * Every variable is documented in .env.example.
 */
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from './paths';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  DATA_DIR: z.string().min(1).default(path.join(PROJECT_ROOT, '.data')),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SEED_ON_EMPTY: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  MAX_COST: z.coerce.number().int().positive().default(25_000),
  MAX_DEPTH: z.coerce.number().int().positive().default(12),
  MAX_ALIASES: z.coerce.number().int().nonnegative().default(30),
  MAX_BATCH: z.coerce.number().int().positive().default(10),
  CACHE_MAX_AGE: z.coerce.number().int().nonnegative().default(60),
  RESPONSE_CACHE_MB: z.coerce.number().nonnegative().default(64),
  READS_REQUIRE_KEY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** Unset: run the embedded PostgreSQL under dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize: number;
  seedOnEmpty: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Stack traces and Sandbox belong to development only. */
  isDevelopment: boolean;
  limits: { maxCost: number; maxDepth: number; maxAliases: number; maxBatch: number };
  /** Seconds public reads may be cached (Cache-Control max-age); 0 turns caching off. */
  cacheMaxAge: number;
  /** Memory for the server-side response cache, in bytes; 0 turns it off. */
  responseCacheBytes: number;
  /** Reads are public unless this is set; then every operation needs a key (any role). */
  readsRequireKey: boolean;
}

export const DEFAULT_LIMITS = { maxCost: 25_000, maxDepth: 12, maxAliases: 30, maxBatch: 10 };

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
    seedOnEmpty: e.SEED_ON_EMPTY,
    logLevel: e.LOG_LEVEL,
    isDevelopment: e.NODE_ENV === 'development',
    limits: { maxCost: e.MAX_COST, maxDepth: e.MAX_DEPTH, maxAliases: e.MAX_ALIASES, maxBatch: e.MAX_BATCH },
    cacheMaxAge: e.CACHE_MAX_AGE,
    responseCacheBytes: Math.round(e.RESPONSE_CACHE_MB * 1024 * 1024),
    readsRequireKey: e.READS_REQUIRE_KEY,
  };
}
