/**
 * The server-side response cache, through real HTTP on an in-process server: repeated reads are
 * answered without SQL, and no write, whoever makes it, is ever hidden by a cached response.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../src/common/logger';
import { ChangeFeed } from '../src/db/change-feed';
import { createApiKey } from '../src/modules/auth/api-key.service';
import { createApp } from '../src/server';
import { createTestDatabase, type TestDatabase } from './helpers/database';

let db: TestDatabase;
let feed: ChangeFeed;
let httpServer: http.Server;
let stopApollo: () => Promise<void>;
let url: string;
let editorKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  feed = new ChangeFeed(db.url, createLogger('silent'));
  await feed.start();
  const app = await createApp({
    prisma: db.prisma,
    config: { exposeErrorDetails: false, rateLimit: { perSecond: 0 }, responseCacheBytes: 8 * 1024 * 1024 },
    logger: createLogger('silent'),
    changeFeed: feed,
  });
  httpServer = app.httpServer;
  stopApollo = () => app.apollo.stop();
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
  editorKey = (await createApiKey(db.prisma, 'cache test editor', 'EDITOR')).key;
});
afterAll(async () => {
  await stopApollo();
  await feed.stop();
  await db.drop();
});

async function post(query: string, variables: Record<string, unknown> = {}, authorization?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization && { authorization: `Bearer ${authorization}` }) },
    body: JSON.stringify({ query, variables }),
  });
  return { headers: response.headers, body: (await response.json()) as any };
}

/** Statements the database received while `run` ran. */
async function statementsDuring<T>(run: () => Promise<T>): Promise<{ result: T; statements: number }> {
  db.statements.length = 0;
  const result = await run();
  return { result, statements: db.statements.length };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const TITLE = 'query ($slug: String!) { meeting(slug: $slug) { title } }';
const SLUG = '2023-11-15-woodside';

test('a repeated read is answered from the cache: no SQL, same body, an Age header', async () => {
  const query = '{ meetings(first: 3) { totalCount edges { node { slug title channels { slug } } } } }';
  const first = await statementsDuring(() => post(query));
  expect(first.statements).toBeGreaterThan(0);
  const second = await statementsDuring(() => post(query));
  expect(second.statements).toBe(0);
  expect(second.result.body.data).toEqual(first.result.body.data);
  expect(second.result.headers.get('age')).toMatch(/^\d+$/);
  expect(second.result.headers.get('cache-control')).toBe('max-age=60, public');
  // The limits still apply and still report: the cost is part of every response.
  expect(second.result.body.extensions.cost).toEqual(first.result.body.extensions.cost);
  // Other variables are another entry.
  const other = await statementsDuring(() => post('query ($n: Int!) { meetings(first: $n) { totalCount } }', { n: 2 }));
  expect(other.statements).toBeGreaterThan(0);
});

test('a write made outside this server (another process, psql) is seen by the next read after its notification', async () => {
  await post(TITLE, { slug: SLUG });
  expect((await statementsDuring(() => post(TITLE, { slug: SLUG }))).statements).toBe(0);
  const before = feed.generation;
  await db.prisma.$executeRaw`UPDATE meeting SET title = 'Retitled by hand' WHERE slug = ${SLUG}`;
  await waitFor(() => feed.generation > before, 'the data_changed notification');
  const after = await post(TITLE, { slug: SLUG });
  expect(after.body.data.meeting.title).toBe('Retitled by hand');
});

test('a write through the API is seen by the very next read, without waiting', async () => {
  const read = await post('query ($slug: String!) { meeting(slug: $slug) { title version } }', { slug: SLUG });
  const { version } = read.body.data.meeting;
  const patched = await post(
    'mutation ($slug: String!, $version: Int!) { updateMeeting(slug: $slug, version: $version, patch: { title: "Woodside summit" }) { title } }',
    { slug: SLUG, version },
    editorKey,
  );
  expect(patched.body.errors).toBeUndefined();
  expect((await post(TITLE, { slug: SLUG })).body.data.meeting.title).toBe('Woodside summit');
});

test('errors and the ADMIN audit trail are never cached', async () => {
  // Data and an error in one response (the second field's page is too large): not kept, so the
  // repeat runs again and reads the database for the first field.
  const partial = '{ meetings(first: 1) { totalCount } channel(slug: "military") { outcomes(first: 500) { totalCount } } }';
  expect((await post(partial)).body.data.meetings.totalCount).toBeGreaterThan(0);
  const repeat = await statementsDuring(() => post(partial));
  expect(repeat.result.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  expect(repeat.statements).toBeGreaterThan(0);
  const admin = (await createApiKey(db.prisma, 'cache test admin', 'ADMIN')).key;
  const changes = '{ changes(first: 1) { totalCount } }';
  await post(changes, {}, admin);
  // (Resolving the key is a statement of its own, so look for the audit table itself.)
  await statementsDuring(() => post(changes, {}, admin));
  expect(db.statements.some((sql) => /FROM "?(public"\.")?change"? /.test(sql))).toBe(true);
  // And a caller without the role is refused, not served the admin's answer.
  expect((await post(changes)).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
});

test('while the change feed is down nothing is served from the cache; caching resumes when it is back', async () => {
  const query = '{ meetings(first: 2) { totalCount edges { node { slug } } } }';
  await post(query);
  expect((await statementsDuring(() => post(query))).statements).toBe(0);
  // Cut the LISTEN connection from the server side, as a database restart or failover would.
  await db.prisma.$queryRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE application_name = 'engagements-change-feed' AND datname = current_database()`;
  await waitFor(() => !feed.live, 'the feed to notice the lost connection');
  // A write now would go unnoticed, so the cache is bypassed: the read goes to the database.
  await db.prisma.$executeRaw`UPDATE channel SET name = name WHERE slug = 'ai'`;
  const whileDown = await statementsDuring(() => post(query));
  expect(whileDown.statements).toBeGreaterThan(0);
  await waitFor(() => feed.live, 'the feed to reconnect');
  await post(query);
  expect((await statementsDuring(() => post(query))).statements).toBe(0);
});

test('with READS_REQUIRE_KEY, a cached read is still refused to a caller without a key', async () => {
  const app = await createApp({
    prisma: db.prisma,
    config: { exposeErrorDetails: false, rateLimit: { perSecond: 0 }, readsRequireKey: true, responseCacheBytes: 1024 * 1024 },
    logger: createLogger('silent'),
    changeFeed: feed,
  });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const guarded = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}/graphql`;
  try {
    const ask = async (authorization?: string) =>
      (await fetch(guarded, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization && { authorization: `Bearer ${authorization}` }) },
        body: JSON.stringify({ query: '{ meetings(first: 1) { edges { node { slug } } } }' }),
      }).then((r) => r.json())) as any;
    expect((await ask(editorKey)).data.meetings.edges).toHaveLength(1);
    expect((await ask(editorKey)).data.meetings.edges).toHaveLength(1);
    const anonymous = await ask();
    expect(anonymous.data).toBeUndefined();
    expect(anonymous.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  } finally {
    await app.apollo.stop();
  }
});
