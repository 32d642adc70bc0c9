import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { currentRequestScope, RequestAbortedError, type RequestScope } from '../common/request-scope';

export interface PrismaOptions {
  poolSize?: number;
  /** Sees every SQL statement sent; tests use it to count statements per request. */
  onQuery?: (sql: string) => void;
  onPoolError?: (error: Error) => void;
  /**
   * The server's limits. PostgreSQL stops any statement after `statementTimeoutMs` (so work
   * outlives no request deadline), the client gives up on an answer a little later (a database
   * that stops answering, packets dropped), and waiting for or opening a connection gives up
   * after `connectTimeoutMs`. Unset for scripts (import, export, seeding a large file).
   */
  timeouts?: { statementTimeoutMs: number; connectTimeoutMs: number };
}

export function createPrisma(databaseUrl: string, options: PrismaOptions = {}): PrismaClient {
  const timeouts = options.timeouts;
  const pool = new ScopedPool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    // A dead peer (a cable pulled, a VM frozen) is noticed by TCP rather than never.
    keepAlive: true,
    ...(timeouts && {
      statement_timeout: timeouts.statementTimeoutMs,
      query_timeout: timeouts.statementTimeoutMs + 2_000,
      connectionTimeoutMillis: timeouts.connectTimeoutMs,
    }),
  });
  // An idle client whose server goes away emits 'error'; unhandled, it would kill the process.
  pool.on('error', options.onPoolError ?? (() => undefined));
  const names = preparedStatementNames();
  const adapter = new PrismaPg(pool, { disposeExternalPool: true, statementNameGenerator: names });
  const prisma = new PrismaClient({
    adapter,
    log: options.onQuery ? [{ emit: 'event', level: 'query' }] : [],
  });
  if (options.onQuery) {
    const onQuery = options.onQuery;
    (prisma as unknown as { $on(event: 'query', cb: (e: { query: string }) => void): void }).$on('query', (event) => onQuery(event.query));
  }
  direct.set(prisma, { pool, names, onQuery: options.onQuery });
  return prisma;
}

/** The pool under each client, for statements that skip Prisma (queryJson). */
const direct = new WeakMap<PrismaClient, { pool: pg.Pool; names: (query: { sql: string }) => string; onQuery?: (sql: string) => void }>();

/**
 * Runs one statement on the client's pool directly, bypassing Prisma's result handling: for the
 * read planner, whose statements return a single JSON value built by PostgreSQL. Prisma's own
 * processing of a raw result (typing every column of every row) cost more than the statement.
 * Same pool, request scope, prepared-statement names and statement counting as Prisma's queries.
 */
export async function queryRows<R>(prisma: PrismaClient, text: string, values: unknown[]): Promise<R[]> {
  const own = direct.get(prisma);
  if (!own) throw new Error('queryRows: this client was not made by createPrisma');
  own.onQuery?.(text);
  const result = await own.pool.query({ name: own.names({ sql: text }), text, values });
  return result.rows as R[];
}

/** The pool under a client made by createPrisma, as /metrics reports it; undefined for any other client. */
export function poolStats(prisma: PrismaClient): { total: number; idle: number; waiting: number; max: number } | undefined {
  const pool = direct.get(prisma)?.pool;
  if (!pool) return undefined;
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 };
}

const SCOPE = Symbol('request scope');

type QueryConfig = Record<string | symbol, unknown>;
type Callback = (error: Error | null, result?: unknown) => void;

/**
 * A pg client that knows which request each statement serves (common/request-scope.ts): a
 * statement asked for after its request was given up is refused at once, and one running when
 * that happens is cancelled in PostgreSQL (a CancelRequest, as psql's Ctrl-C sends), so that a
 * client that hangs up, or a request past its deadline, stops costing the database. If the
 * database does not answer the cancel either (it stopped answering altogether), the statement
 * is given up here after ABORT_GRACE_MS and its connection closed, so that the pool drops it.
 */
class ScopedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // A connection closed by abandon() reports its end to the statement it was running; an
    // 'error' event with no listener would take the process down.
    this.on('error', () => undefined);
  }

  // pg's query() has many overloads; the adapter uses (config) and the pool (config, undefined, callback).
  override query(config: unknown, values?: unknown, callback?: unknown): any {
    const scope = ((config as QueryConfig | null)?.[SCOPE] as RequestScope | undefined) ?? currentRequestScope();
    if (!scope || typeof (config as { submit?: unknown })?.submit === 'function') {
      return (super.query as (...args: unknown[]) => unknown)(config, values, callback);
    }
    const cb = (typeof values === 'function' ? values : callback) as Callback | undefined;
    const result = this.scopedQuery(scope, config, typeof values === 'function' ? undefined : values);
    if (!cb) return result;
    result.then(
      (rows) => cb(null, rows),
      (error: Error) => cb(error),
    );
    return undefined;
  }

  private scopedQuery(scope: RequestScope, config: unknown, values: unknown): Promise<unknown> {
    if (scope.aborted) return Promise.reject(new RequestAbortedError(scope.aborted));
    return new Promise((resolve, reject) => {
      let settled = false;
      let grace: NodeJS.Timeout | undefined;
      const settle =
        <T>(outcome: (value: T) => void) =>
        (value: T) => {
          if (settled) return;
          settled = true;
          if (grace) clearTimeout(grace);
          scope.signal.removeEventListener('abort', onAbort);
          outcome(value);
        };
      const onAbort = () => {
        if (scope.aborted === 'unavailable') {
          // Nobody will answer a cancel either: give the statement and its connection up now.
          settle(reject)(new RequestAbortedError('unavailable'));
          this.abandon();
          return;
        }
        cancelBackend(this);
        grace = setTimeout(() => {
          settle(reject)(new RequestAbortedError(scope.aborted ?? 'timeout'));
          this.abandon();
        }, ABORT_GRACE_MS);
        grace.unref();
      };
      scope.signal.addEventListener('abort', onAbort, { once: true });
      (super.query as (...args: unknown[]) => Promise<unknown>)(config, values).then(settle(resolve), settle(reject));
    });
  }

  /** Closes the socket under a statement nobody answers; pg fails the statement, the pool drops the client. */
  private abandon(): void {
    (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }
}

/** How long a cancelled statement may take to fail before its connection is given up. */
const ABORT_GRACE_MS = 1_000;

/**
 * Sends PostgreSQL a CancelRequest for whatever `client`'s backend is running, over a connection
 * of its own (the protocol's way, as psql's Ctrl-C does). The statement fails with 57014 and the
 * connection stays usable.
 */
function cancelBackend(client: pg.Client): void {
  const { processID, secretKey, host, port } = client as unknown as { processID: number; secretKey: number; host: string; port: number };
  // pg's Connection speaks the wire protocol; its types leave out connect() and cancel().
  const connection = new pg.Connection() as unknown as NodeJS.EventEmitter & {
    connect(portOrPath: number | string, host?: string): void;
    cancel(processID: number, secretKey: number): void;
  };
  // The cancel connection's failures (the database itself gone) are of no interest here.
  connection.on('error', () => undefined);
  connection.on('connect', () => connection.cancel(processID, secretKey));
  // A database that stops answering would hold the cancel connection open for ever.
  setTimeout(() => (connection as unknown as { stream?: { destroy(): void } }).stream?.destroy(), 2_000).unref();
  if (host?.startsWith('/')) connection.connect(`${host}/.s.PGSQL.${port}`);
  else connection.connect(port, host);
}

/**
 * pg's pool hands a queued query its connection from inside another request's release, so the
 * request a statement belongs to is captured when the query is asked for and travels with it.
 */
class ScopedPool extends pg.Pool {
  constructor(config: pg.PoolConfig) {
    super({ ...config, Client: ScopedClient });
  }

  override query(config: unknown, values?: unknown, callback?: unknown): any {
    const scope = currentRequestScope();
    if (scope && config !== null && typeof config === 'object') (config as QueryConfig)[SCOPE] = scope;
    return (super.query as (...args: unknown[]) => unknown)(config, values, callback);
  }
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
