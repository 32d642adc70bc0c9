/**
 * What /metrics reports, in Prometheus' text format (prom-client): operations by name, type and
 * outcome with their latency, refusals before GraphQL, the response cache's hits and misses, the
 * database pool, the database and change-feed state, subscriptions, and Node's own process
 * metrics (event loop lag, heap, GC, file descriptors).
 *
 * Each app gets its own registry (tests build several apps in one process; the global registry
 * would refuse the second set of metrics).
 *
 * Label values are bounded, because every distinct value is a time series kept for good:
 * operation names come from clients, so only names that look like GraphQL names, and only the
 * first MAX_OPERATION_NAMES of them, get a series of their own (the rest share `__other`); error
 * codes outside the catalogue are `OTHER`.
 */
import client from 'prom-client';
import { ErrorCode, PUBLIC_CODES } from '../common/errors';

export const MAX_OPERATION_NAMES = 200;
export const OTHER_OPERATION = '__other';
export const ANONYMOUS_OPERATION = '__anonymous';
/** Requests refused before an operation could be read (body too large, malformed, rate limited). */
export const UNREAD_OPERATION = '__unread';

export type Outcome = 'success' | 'client_error' | 'server_error';

/** Sources of the gauges read at scrape time. */
export interface MetricSources {
  pool?: () => { total: number; idle: number; waiting: number; max: number } | undefined;
  databaseUp?: () => boolean;
  changeFeedUp?: () => boolean;
  subscriptions?: () => { connections: number; subscriptions: number } | undefined;
}

export class Metrics {
  readonly registry = new client.Registry();
  private readonly names = new Set<string>();
  private readonly operations: client.Counter<'operation' | 'type' | 'outcome'>;
  private readonly durations: client.Histogram<'operation' | 'type' | 'outcome'>;
  private readonly errors: client.Counter<'code'>;
  private readonly cache: client.Counter<'result'>;

  constructor(sources: MetricSources = {}) {
    const registers = [this.registry];
    client.collectDefaultMetrics({ register: this.registry });
    this.operations = new client.Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL operations answered, by operation name, type (query, mutation, subscription) and outcome.',
      labelNames: ['operation', 'type', 'outcome'],
      registers,
    });
    this.durations = new client.Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'Time from receiving a GraphQL operation to sending its response.',
      labelNames: ['operation', 'type', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.errors = new client.Counter({
      name: 'graphql_errors_total',
      help: 'Errors sent to clients, by code (extensions.code), including refusals before GraphQL ran.',
      labelNames: ['code'],
      registers,
    });
    this.cache = new client.Counter({
      name: 'graphql_response_cache_total',
      help: 'Queries looked up in the server-side response cache: hit (answered from it) or miss (executed).',
      labelNames: ['result'],
      registers,
    });
    // Both series exist from the start, so that a rate over them is defined before the first hit.
    this.cache.inc({ result: 'hit' }, 0);
    this.cache.inc({ result: 'miss' }, 0);

    new client.Gauge({
      name: 'db_pool_connections',
      help: "Connections of the database pool: open ('total'), unused ('idle') and requests waiting for one ('waiting'), and its size ('max').",
      labelNames: ['state'],
      registers,
      collect() {
        const stats = sources.pool?.();
        if (!stats) return;
        for (const state of ['total', 'idle', 'waiting', 'max'] as const) this.set({ state }, stats[state]);
      },
    });
    new client.Gauge({
      name: 'database_up',
      help: 'Whether the database answered its last probe (1) or not (0).',
      registers,
      collect() {
        this.set(sources.databaseUp ? Number(sources.databaseUp()) : 1);
      },
    });
    new client.Gauge({
      name: 'change_feed_up',
      help: 'Whether the change feed (LISTEN connection that invalidates the response cache and feeds subscriptions) is connected (1) or not (0); absent when there is none.',
      registers,
      collect() {
        if (sources.changeFeedUp) this.set(Number(sources.changeFeedUp()));
      },
    });
    new client.Gauge({
      name: 'graphql_subscription_connections',
      help: 'Open WebSocket connections for GraphQL subscriptions.',
      registers,
      collect() {
        const now = sources.subscriptions?.();
        if (now) this.set(now.connections);
      },
    });
    new client.Gauge({
      name: 'graphql_subscriptions_active',
      help: 'GraphQL subscriptions listening for changes now.',
      registers,
      collect() {
        const now = sources.subscriptions?.();
        if (now) this.set(now.subscriptions);
      },
    });
  }

  /** The label an operation name gets: itself while the set of names is small, else `__other`. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return ANONYMOUS_OPERATION;
    if (this.names.has(name)) return name;
    if (!/^[_A-Za-z][_0-9A-Za-z]{0,99}$/.test(name) || this.names.size >= MAX_OPERATION_NAMES) return OTHER_OPERATION;
    this.names.add(name);
    return name;
  }

  recordOperation(sample: { operation: string; type: string; outcome: Outcome; seconds: number; errorCodes: string[] }): void {
    const labels = { operation: sample.operation, type: sample.type, outcome: sample.outcome };
    this.operations.inc(labels);
    this.durations.observe(labels, sample.seconds);
    for (const code of sample.errorCodes) this.errors.inc({ code: codeLabel(code) });
  }

  recordCache(hit: boolean): void {
    this.cache.inc({ result: hit ? 'hit' : 'miss' });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

function codeLabel(code: string): string {
  return PUBLIC_CODES.has(code) || code === ErrorCode.INTERNAL_SERVER_ERROR ? code : 'OTHER';
}

/** What an operation's errors make of it: a client's mistake, or the server's (500/503 and unexpected errors). */
export function outcomeOf(status: number, errorCodes: string[]): Outcome {
  if (
    status >= 500 ||
    errorCodes.some((code) => code === ErrorCode.INTERNAL_SERVER_ERROR || code === ErrorCode.SERVICE_UNAVAILABLE || !PUBLIC_CODES.has(code))
  ) {
    return 'server_error';
  }
  return status >= 400 || errorCodes.length > 0 ? 'client_error' : 'success';
}
