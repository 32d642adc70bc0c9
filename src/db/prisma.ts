import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client';

export interface PrismaOptions {
  poolSize?: number;
  /** Sees every SQL statement sent; tests use it to count statements per request. */
  onQuery?: (sql: string) => void;
  onPoolError?: (error: Error) => void;
}

export function createPrisma(databaseUrl: string, options: PrismaOptions = {}): PrismaClient {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
  // An idle client whose server goes away emits 'error'; unhandled, it would kill the process.
  pool.on('error', options.onPoolError ?? (() => undefined));
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const prisma = new PrismaClient({
    adapter,
    log: options.onQuery ? [{ emit: 'event', level: 'query' }] : [],
  });
  if (options.onQuery) {
    const onQuery = options.onQuery;
    (prisma as unknown as { $on(event: 'query', cb: (e: { query: string }) => void): void }).$on('query', (event) =>
      onQuery(event.query),
    );
  }
  return prisma;
}
