import { createHash } from 'node:crypto';
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
  const adapter = new PrismaPg(pool, { disposeExternalPool: true, statementNameGenerator: preparedStatementNames() });
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

/** Most distinct statements a process keeps prepared; beyond it, new ones are sent unnamed. */
export const MAX_PREPARED_STATEMENTS = 300;

/**
 * Names for prepared statements, so that each pooled connection parses a statement once and
 * PostgreSQL can keep its plan: planning a page of meetings with its parts takes longer than
 * running it. The name is a hash of the SQL text, so the same text always gets the same name
 * and different texts never share one (pg refuses a name reused for another text).
 *
 * Texts differ only by the shape of a query (filters, parts selected), never by values, which
 * are parameters; still, prepared statements live as long as their connection and cost server
 * memory, so only the first MAX_PREPARED_STATEMENTS distinct texts are named.
 */
function preparedStatementNames(): (query: { sql: string }) => string {
  const names = new Map<string, string>();
  return ({ sql }) => {
    let name = names.get(sql);
    if (name === undefined) {
      // No name: pg sends it as an unnamed statement, parsed and planned each time.
      if (names.size >= MAX_PREPARED_STATEMENTS) return undefined as unknown as string;
      name = `q${createHash('sha1').update(sql).digest('base64url')}`;
      names.set(sql, name);
    }
    return name;
  };
}
