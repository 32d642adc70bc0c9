/**
 * OpenTelemetry tracing: off unless the standard OTEL_* variables ask for it; when on, one trace
 * per request with spans for HTTP, the GraphQL operation and each SQL statement, continuing a
 * caller's W3C `traceparent`.
 *
 * The instrumentations patch Node's module loader, which jest replaces with its own, so the app
 * runs in plain Node processes: with an in-memory exporter (fixtures/traced-app.js), and as the
 * built server exporting OTLP/HTTP to a collector this test runs.
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { tracingRequested } from '../src/observability/tracing';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startServerProcess } from './helpers/server-process';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';
const TRACEPARENT = `00-${TRACE_ID}-${CALLER_SPAN}-01`;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

test('switched on by the standard variables only', () => {
  expect(tracingRequested({})).toBe(false);
  expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
  expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
  expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
  expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
  expect(tracingRequested({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' })).toBe(false);
  // Metrics or logs alone are not a request for traces.
  expect(tracingRequested({ OTEL_SERVICE_NAME: 'api', OTEL_METRICS_EXPORTER: 'otlp' })).toBe(false);
});

interface ExportedSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  attributes: Record<string, unknown>;
}

test('in-memory exporter: HTTP, GraphQL operation and SQL spans in one trace, under the caller’s', () => {
  const run = spawnSync(process.execPath, [path.join(__dirname, 'fixtures', 'traced-app.js')], {
    env: { ...process.env, TRACED_DATABASE_URL: db.url, TRACEPARENT },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.stderr).toBe('');
  const { status, body, spans } = JSON.parse(run.stdout) as { status: number; body: any; spans: ExportedSpan[] };
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();

  const SERVER = 1;
  const [httpSpan, ...otherHttp] = spans.filter((span) => span.kind === SERVER);
  // Only the GraphQL request: the readiness probe the fixture also calls is not traced.
  expect(otherHttp).toEqual([]);
  expect(httpSpan).toMatchObject({ traceId: TRACE_ID, parentSpanId: CALLER_SPAN });
  expect(httpSpan.attributes).toMatchObject({ 'http.request.method': 'POST', 'url.path': '/graphql', 'http.response.status_code': 200 });

  const operation = spans.find((span) => span.name === 'query Traced');
  expect(operation).toMatchObject({ traceId: TRACE_ID, parentSpanId: httpSpan.spanId });
  expect(operation!.attributes).toMatchObject({
    'graphql.operation.name': 'Traced',
    'graphql.operation.type': 'query',
    'http.response.status_code': 200,
  });

  const sql = spans.filter(
    (span) => span.attributes['db.system.name'] === 'postgresql' && typeof span.attributes['db.query.text'] === 'string',
  );
  expect(sql.length).toBeGreaterThan(0);
  for (const span of sql) expect(span.traceId).toBe(TRACE_ID);
  expect(sql.some((span) => /FROM meeting/.test(String(span.attributes['db.query.text'])))).toBe(true);
  // Statements carry their text, never their parameter values.
  expect(sql.every((span) => !('db.query.parameter.0' in span.attributes) && !('db.postgresql.values' in span.attributes))).toBe(true);
});

test('the built server exports OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
  const received: any[] = [];
  const collector = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') received.push(JSON.parse(text));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const server = await startServerProcess({
    DATABASE_URL: db.url,
    SEED_ON_EMPTY: 'false',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
    OTEL_SERVICE_NAME: 'engagements-under-test',
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
  try {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: TRACEPARENT },
      body: JSON.stringify({ query: 'query Exported { channels { slug } }' }),
    });
    expect(response.status).toBe(200);
    const spans = async () =>
      received.flatMap((request) =>
        request.resourceSpans.flatMap((resource: any) =>
          resource.scopeSpans.flatMap((scope: any) => scope.spans.map((span: any) => ({ ...span, service: resource.resource.attributes }))),
        ),
      );
    const deadline = Date.now() + 10_000;
    while (!(await spans()).some((span) => span.name === 'query Exported') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const exported = await spans();
    const operation = exported.find((span) => span.name === 'query Exported');
    expect(operation).toBeDefined();
    expect(operation.traceId).toBe(TRACE_ID);
    expect(operation.service).toContainEqual({ key: 'service.name', value: { stringValue: 'engagements-under-test' } });
    expect(exported.some((span) => span.name === 'POST' && span.traceId === TRACE_ID)).toBe(true);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    await new Promise((resolve) => collector.close(resolve));
  }
});
