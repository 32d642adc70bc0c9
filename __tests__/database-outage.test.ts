/**
 * The database going away, through a TCP proxy the test can cut: requests get a coded 503 with
 * Retry-After within their deadline (never a 500, never a hang), /health says so, the outage is
 * logged once rather than per request, the service recovers by itself within seconds of the
 * database's return, and no acknowledged write is lost.
 */
import { createPrisma } from '../src/db/prisma';
import { createApiKey } from '../src/modules/auth/api-key.service';
import type { PrismaClient } from '../src/generated/prisma/client';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { memoryLogger, startHttpApp, type HttpApp } from './helpers/http-app';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy';

const REQUEST_TIMEOUT_MS = 1_500;
const CONNECT_TIMEOUT_MS = 1_000;

let db: TestDatabase;
let proxy: TcpProxy;
let prisma: PrismaClient;
let api: HttpApp;
let editorKey: string;
const logger = memoryLogger();

beforeAll(async () => {
  db = await createTestDatabase();
  const target = new URL(db.url);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const url = proxy.url(db.url);
  prisma = createPrisma(url, { timeouts: { statementTimeoutMs: REQUEST_TIMEOUT_MS, connectTimeoutMs: CONNECT_TIMEOUT_MS } });
  api = await startHttpApp({ prisma, databaseUrl: url, logger, config: { limits: { requestTimeoutMs: REQUEST_TIMEOUT_MS } } });
  editorKey = (await createApiKey(db.prisma, 'outage editor', 'EDITOR')).key;
});
afterAll(async () => {
  await api.stop();
  await prisma.$disconnect().catch(() => undefined);
  await proxy.close();
  await db.drop();
});

const READ = { query: '{ meetings(first: 3) { totalCount edges { node { slug title } } } }' };
const WRITE =
  'mutation($s: String!, $version: Int!) { updateMeeting(slug: "2013-06-07-sunnylands-summit", version: $version, patch: { summary: $s }) { version summary } }';
const write = (summary: string, version: number) => ({ query: WRITE, variables: { s: summary, version } });

async function currentVersion(): Promise<number> {
  return (await db.prisma.meeting.findUniqueOrThrow({ where: { slug: '2013-06-07-sunnylands-summit' } })).version;
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = Date.now();
  const value = await run();
  return { ms: Date.now() - start, value };
}

/** Polls until a read succeeds; returns how long that took. */
async function recovery(limitMs: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < limitMs) {
    const response = await api.post(READ);
    if (response.status === 200 && !response.body.errors) return Date.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not recovered after ${limitMs} ms`);
}

async function expectUnavailable(body: unknown, headers: Record<string, string> = {}) {
  const { ms, value: response } = await timed(() => api.post(body, headers));
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
  const codes = (response.body.errors ?? []).map((e: any) => e.extensions.code);
  expect(codes).toContain('SERVICE_UNAVAILABLE');
  expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
  // Within the deadline and a health probe, never a hang.
  expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + 5_000);
}

test('a refused database: 503s, /health 503, then recovery without a restart and no write lost', async () => {
  const version = await currentVersion();
  const acknowledged = await api.post(write('written before the outage', version), { authorization: `Bearer ${editorKey}` });
  expect(acknowledged.body.errors).toBeUndefined();
  expect(acknowledged.body.data.updateMeeting.summary).toBe('written before the outage');

  await proxy.refuse();
  await expectUnavailable(READ);
  await expectUnavailable(write('not acknowledged', version + 1), { authorization: `Bearer ${editorKey}` });
  const health = await fetch(`${api.origin}/health`);
  expect(health.status).toBe(503);
  expect(health.headers.get('retry-after')).toMatch(/^\d+$/);

  await proxy.restore();
  expect(await recovery(5_000)).toBeLessThan(5_000);
  expect((await fetch(`${api.origin}/health`)).status).toBe(200);
  const stored = await db.prisma.meeting.findUniqueOrThrow({ where: { slug: '2013-06-07-sunnylands-summit' } });
  expect(stored.summary).toBe('written before the outage');
  expect(stored.version).toBe(version + 1);
});

test('a database that stops answering (packets dropped): 503 within the deadline, then recovery', async () => {
  await recovery(5_000);
  proxy.blackhole();
  await expectUnavailable(READ);
  const health = await timed(() => fetch(`${api.origin}/health`));
  expect(health.value.status).toBe(503);
  expect(health.ms).toBeLessThan(6_000);

  await proxy.restore();
  expect(await recovery(5_000)).toBeLessThan(5_000);
  expect((await fetch(`${api.origin}/health`)).status).toBe(200);
});

test('each outage is logged once, as a state change, without a stack per request', () => {
  const unavailable = logger.lines.filter((line) => line.includes('database unavailable'));
  const back = logger.lines.filter((line) => line.includes('database available again'));
  expect(unavailable).toHaveLength(2);
  expect(back).toHaveLength(2);
  expect(logger.lines.filter((line) => line.startsWith('ERROR'))).toEqual([]);
});
