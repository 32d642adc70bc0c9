/**
 * What an operator sees: request ids, one log line per operation, /metrics, and the liveness and
 * readiness probes, on the app over real HTTP and PostgreSQL. The JSON format itself and the
 * masking of secrets are checked on the built server's real output (logging.test.ts).
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Logger, LogFields } from '../src/common/logger';
import { createLogger } from '../src/common/logger';
import { ChangeFeed } from '../src/db/change-feed';
import { createPrisma } from '../src/db/prisma';
import type { PrismaClient } from '../src/generated/prisma/client';
import { MAX_OPERATION_NAMES } from '../src/observability/metrics';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startHttpApp, type HttpApp } from './helpers/http-app';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy';

interface Line {
  level: string;
  message: string;
  fields?: LogFields;
  error?: unknown;
}

/** Keeps what the app logs, fields included. */
function recordingLogger(): Logger & { lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: string) => (message: string, fields?: LogFields) => lines.push({ level, message, fields });
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: (message, error, fields) => lines.push({ level: 'error', message, error, fields }),
  };
}

let db: TestDatabase;
let feed: ChangeFeed;
let api: HttpApp;
const logger = recordingLogger();

beforeAll(async () => {
  db = await createTestDatabase();
  feed = new ChangeFeed(db.url, createLogger('silent'));
  await feed.start();
  api = await startHttpApp({ prisma: db.prisma, databaseUrl: db.url, changeFeed: feed, logger });
});
afterAll(async () => {
  await api?.stop();
  await feed?.stop();
  await db?.drop();
});

const operationLines = (requestId: string) => logger.lines.filter((line) => line.fields?.requestId === requestId);

async function metricsText(): Promise<string> {
  const response = await fetch(`${api.origin}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of one sample in Prometheus' text format, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('request ids', () => {
  test("the caller's X-Request-Id is kept and echoed; without one, a UUID is made", async () => {
    const given = await api.post({ query: '{ channels { slug } }' }, { 'x-request-id': 'dashboard-42.7' });
    expect(given.headers.get('x-request-id')).toBe('dashboard-42.7');
    const made = await api.post({ query: '{ channels { slug } }' });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('an id that is not a sane token (spaces, too long) is replaced rather than logged', async () => {
    for (const bad of ['has spaces', 'x'.repeat(200), 'quote"and\\backslash']) {
      const response = await api.post({ query: '{ channels { slug } }' }, { 'x-request-id': bad });
      expect(response.headers.get('x-request-id')).not.toBe(bad);
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  test('probes and pages get one too, so that any response can be traced to its log', async () => {
    const response = await fetch(`${api.origin}/health/live`, { headers: { 'x-request-id': 'probe-1' } });
    expect(response.headers.get('x-request-id')).toBe('probe-1');
  });
});

describe('one log line per operation', () => {
  test('name, type, duration, cost, cache hit, status and error codes; the second read is a cache hit', async () => {
    const query = 'query ObservedChannels { channels { slug name } }';
    await api.post({ query }, { 'x-request-id': 'op-first' });
    await api.post({ query }, { 'x-request-id': 'op-second' });
    const [first] = operationLines('op-first');
    const [second] = operationLines('op-second');
    expect(operationLines('op-first')).toHaveLength(1);
    expect(first.level).toBe('info');
    expect(first.message).toMatch(/^query ObservedChannels → 200 in [\d.]+ ms$/);
    expect(first.fields).toMatchObject({ operation: 'ObservedChannels', type: 'query', status: 200, errorCodes: [], cacheHit: false });
    expect(first.fields!.durationMs).toEqual(expect.any(Number));
    expect(first.fields!.cost).toEqual({ requested: expect.any(Number), actual: expect.any(Number) });
    expect(second.fields).toMatchObject({ operation: 'ObservedChannels', cacheHit: true, status: 200 });
  });

  test('a refused operation logs its status and codes; a batch logs each of its operations', async () => {
    await api.post({ query: '{ meetings(first: 500) { totalCount } }' }, { 'x-request-id': 'op-bad' });
    expect(operationLines('op-bad')).toHaveLength(1);
    expect(operationLines('op-bad')[0].fields).toMatchObject({
      operation: null,
      status: expect.any(Number),
      errorCodes: ['BAD_USER_INPUT'],
    });

    await api.post([{ query: 'query A { channels { slug } }' }, { query: 'query B { __typename }' }], { 'x-request-id': 'op-batch' });
    // Operations of a batch run concurrently: their lines come in the order they finish.
    expect(
      operationLines('op-batch')
        .map((line) => line.fields!.operation)
        .sort(),
    ).toEqual(['A', 'B']);
  });

  test('an operation Apollo answers with an HTTP error status is logged once, not again as a refused request', async () => {
    const response = await api.post(
      {
        query:
          'query TooCostly { meetings(first: 100) { edges { node { participants { person { participations { meeting { participants { person { participations { meeting { title } } } } } } } } } } } }',
      },
      { 'x-request-id': 'op-costly' },
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    const lines = operationLines('op-costly');
    expect(lines).toHaveLength(1);
    expect(lines[0].fields).toMatchObject({ operation: 'TooCostly', status: response.status });
  });

  test('a request refused before any operation is read (malformed JSON) still gets its line, with its code', async () => {
    const response = await api.post('{"query": ', { 'x-request-id': 'op-unread' });
    expect(response.status).toBe(400);
    const lines = operationLines('op-unread');
    expect(lines).toHaveLength(1);
    expect(lines[0].fields).toMatchObject({ operation: null, status: 400, errorCodes: ['BAD_REQUEST'] });
  });

  test('variables, documents and keys are not in the line', async () => {
    await api.post(
      { query: 'query Secretive($s: String!) { channel(slug: $s) { name } }', variables: { s: 'military-private-variable' } },
      { 'x-request-id': 'op-private', authorization: 'Bearer uscn_notARealKeyButShapedLikeOne1234567890' },
    );
    const text = JSON.stringify(operationLines('op-private'));
    expect(text).toContain('Secretive');
    expect(text).not.toMatch(/military-private-variable|uscn_notAReal|channel\(slug/);
  });
});

describe('/metrics', () => {
  test('operations by name, type and outcome, with latency; cache hits and misses; errors by code', async () => {
    const query = 'query MetricsProbe { channels { slug } }';
    await api.post({ query });
    await api.post({ query });
    await api.post({ query: 'query MetricsBad { meetings(first: 500) { totalCount } }' });
    const text = await metricsText();
    expect(sample(text, 'graphql_operations_total{operation="MetricsProbe",type="query",outcome="success"}')).toBe(2);
    expect(sample(text, 'graphql_operations_total{operation="MetricsBad",type="query",outcome="client_error"}')).toBe(1);
    expect(sample(text, 'graphql_operation_duration_seconds_count{operation="MetricsProbe",type="query",outcome="success"}')).toBe(2);
    expect(sample(text, 'graphql_operation_duration_seconds_bucket{le="10",operation="MetricsProbe",type="query",outcome="success"}')).toBe(
      2,
    );
    expect(sample(text, 'graphql_response_cache_total{result="hit"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'graphql_response_cache_total{result="miss"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'graphql_errors_total{code="BAD_USER_INPUT"}')).toBeGreaterThanOrEqual(1);
  });

  test('the pool, the database, the change feed and Node itself', async () => {
    const text = await metricsText();
    expect(sample(text, 'db_pool_connections{state="max"}')).toBe(10);
    expect(sample(text, 'db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'database_up')).toBe(1);
    expect(sample(text, 'change_feed_up')).toBe(1);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(text).toMatch(/^process_resident_memory_bytes /m);
  });

  test('subscriptions: open connections and active subscriptions', async () => {
    const client: Client = createClient({ url: api.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const stop = client.subscribe(
        { query: 'subscription { dataChanged { recordType slug action } }' },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
      const deadline = Date.now() + 5_000;
      let text = await metricsText();
      while (sample(text, 'graphql_subscriptions_active') !== 1 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        text = await metricsText();
      }
      expect(sample(text, 'graphql_subscriptions_active')).toBe(1);
      expect(sample(text, 'graphql_subscription_connections')).toBe(1);
      stop();
    } finally {
      await client.dispose();
    }
  });

  test('operation names are bounded: past the first names, new ones share one series', async () => {
    // Clients choose operation names; without a bound, each would be a time series kept forever.
    for (let start = 0; start < MAX_OPERATION_NAMES + 20; start += 10) {
      const batch = Array.from({ length: 10 }, (_, i) => ({ query: `query Flood${start + i} { __typename }` }));
      expect((await api.post(batch)).status).toBe(200);
    }
    const text = await metricsText();
    const names = new Set([...text.matchAll(/^graphql_operations_total\{operation="([^"]+)"/gm)].map((match) => match[1]));
    expect(names.size).toBeLessThanOrEqual(MAX_OPERATION_NAMES + 3);
    expect(names.has('__other')).toBe(true);
    expect(names.has(`Flood${MAX_OPERATION_NAMES + 19}`)).toBe(false);
  });
});

describe('probes', () => {
  test('/health/live answers while the process serves; /health/ready checks database, migrations and change feed', async () => {
    const live = await fetch(`${api.origin}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${api.origin}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', changeFeed: 'ok' } });
    // The old endpoint is kept as it was, for existing health checks.
    expect(await (await fetch(`${api.origin}/health`)).json()).toEqual({ status: 'ok', database: 'ok' });
  });

  test('not ready while a migration of this build is not applied', async () => {
    // A fresh app (the first one cached "all applied"), on a database missing one migration's record.
    const other = await createTestDatabase();
    const [last] = await other.prisma.$queryRaw<{ id: string; migration_name: string }[]>`
      SELECT id, migration_name FROM "_prisma_migrations" ORDER BY migration_name DESC LIMIT 1`;
    await other.prisma.$executeRaw`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE id = ${last.id}`;
    const app = await startHttpApp({ prisma: other.prisma, databaseUrl: other.url });
    try {
      const response = await fetch(`${app.origin}/health/ready`);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(((await response.json()) as any).checks).toMatchObject({ database: 'ok', migrations: 'failing' });
      await other.prisma.$executeRaw`UPDATE "_prisma_migrations" SET rolled_back_at = NULL WHERE id = ${last.id}`;
      expect((await fetch(`${app.origin}/health/ready`)).status).toBe(200);
    } finally {
      await app.stop();
      await other.drop();
    }
  });

  test('not ready while the change feed is reconnecting, ready again once it is back', async () => {
    await db.prisma.$executeRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE application_name = 'engagements-change-feed' AND datname = current_database()`;
    const seen = new Set<string>();
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !(seen.has('failing') && seen.has('ok-after'))) {
      const body = (await (await fetch(`${api.origin}/health/ready`)).json()) as any;
      if (body.checks.changeFeed === 'failing') seen.add('failing');
      else if (seen.has('failing')) seen.add('ok-after');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect([...seen]).toEqual(['failing', 'ok-after']);
  });

  describe('with the database gone', () => {
    let proxy: TcpProxy;
    let prisma: PrismaClient;
    let app: HttpApp;
    beforeAll(async () => {
      const target = new URL(db.url);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      prisma = createPrisma(proxy.url(db.url));
      app = await startHttpApp({ prisma, databaseUrl: proxy.url(db.url) });
    });
    afterAll(async () => {
      await app.stop();
      await prisma.$disconnect().catch(() => undefined);
      await proxy.close();
    });

    test('ready says 503 (database failing), live stays 200: an outage must not restart the instance', async () => {
      await proxy.refuse();
      try {
        const ready = await fetch(`${app.origin}/health/ready`);
        expect(ready.status).toBe(503);
        expect(((await ready.json()) as any).checks).toEqual({ database: 'failing', migrations: 'not checked', changeFeed: 'not checked' });
        expect((await fetch(`${app.origin}/health/live`)).status).toBe(200);
        expect(sample(await (await fetch(`${app.origin}/metrics`)).text(), 'database_up')).toBe(0);
      } finally {
        await proxy.restore();
      }
      expect((await fetch(`${app.origin}/health/ready`)).status).toBe(200);
    });
  });
});
