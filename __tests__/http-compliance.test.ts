/**
 * HTTP behaviour dashboards rely on: the GraphQL-over-HTTP spec (graphql-http's audit suite),
 * cache headers, automatic persisted queries, GET, batching and the operation limits.
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { auditServer } from 'graphql-http';
import { createLogger } from '../src/common/logger';
import { createApiKey } from '../src/modules/auth/api-key.service';
import { createApp, type App } from '../src/server';
import { createTestDatabase, type TestDatabase } from './helpers/database';

let db: TestDatabase;
let app: App;
let url: string;
const LIMITS = { maxCost: 3000, maxDepth: 8, maxAliases: 5, maxBatch: 3 };

beforeAll(async () => {
  db = await createTestDatabase();
  app = await createApp({
    prisma: db.prisma,
    config: { exposeErrorDetails: false, limits: LIMITS, cacheMaxAge: 90, rateLimit: { perSecond: 0 } },
    logger: createLogger('silent'),
  });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await app.apollo.stop();
  await db.drop();
});

const post = async (body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
};

test('passes every audit of the graphql-http suite', async () => {
  const results = await auditServer({ url });
  const failed = results.filter((r) => r.status !== 'ok').map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
  expect(failed).toEqual([]);
  expect(results.length).toBeGreaterThan(50);
});

test('parse failures: 400 for application/graphql-response+json, 200 for legacy application/json', async () => {
  const modern = await post({ query: '{ meetings(' }, { accept: 'application/graphql-response+json' });
  expect(modern.status).toBe(400);
  const legacy = await post({ query: '{ meetings(' }, { accept: 'application/json' });
  expect(legacy.status).toBe(200);
  expect(legacy.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
});

describe('caching', () => {
  test('public reads send Cache-Control with the configured max-age', async () => {
    const { headers, body } = await post({ query: '{ channels { slug } }' });
    expect(body.data.channels).toHaveLength(20);
    expect(headers.get('cache-control')).toBe('max-age=90, public');
  });

  test('responses with errors are not cacheable', async () => {
    const { headers } = await post({ query: '{ meetings(first: 1000) { totalCount } }' });
    expect(headers.get('cache-control')).toBe('no-store');
  });

  test('the audit trail and writes are never cacheable', async () => {
    const { key } = await createApiKey(db.prisma, 'cache test admin', 'ADMIN');
    const audit = await post({ query: '{ changes(first: 1) { totalCount } }' }, { authorization: `Bearer ${key}` });
    expect(audit.body.data.changes.totalCount).toBeGreaterThan(0);
    expect(audit.headers.get('cache-control')).toBe('no-store');
    const write = await post(
      { query: 'mutation { importEngagements(jsonl: "", dryRun: true) { created } }' },
      { authorization: `Bearer ${key}` },
    );
    expect(write.body.data.importEngagements.created).toBe(0);
    expect(write.headers.get('cache-control')).toBe('no-store');
  });

  test('GET queries work, and a repeated GET is answered the same', async () => {
    const query = encodeURIComponent('{ channel(slug: "ai") { name } }');
    const first = await fetch(`${url}?query=${query}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('max-age=90, public');
    expect(await first.json()).toEqual({ data: { channel: { name: 'Artificial intelligence' } }, extensions: expect.anything() });
  });

  test('CSRF protection still refuses a simple POST and a cookie-carrying GET', async () => {
    const form = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ channels { slug } }' }),
    });
    expect(form.status).toBe(400);
    expect(await form.text()).toMatch(/CSRF/);
    const withCookie = await fetch(`${url}?query=${encodeURIComponent('{ channels { slug } }')}`, { headers: { cookie: 'session=1' } });
    expect(withCookie.status).toBe(400);
  });

  test('automatic persisted queries: unknown hash, registration, then hash alone (POST and GET)', async () => {
    const query = '{ channel(slug: "climate") { slug name } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const unknown = await post({ extensions });
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post({ query, extensions });
    expect(registered.body.data.channel.slug).toBe('climate');
    const byHash = await post({ extensions });
    expect(byHash.body.data).toEqual(registered.body.data);
    const byGet = await fetch(`${url}?extensions=${encodeURIComponent(JSON.stringify(extensions))}`);
    expect(((await byGet.json()) as any).data).toEqual(registered.body.data);
  });
});

describe('cost, depth, aliases and batches', () => {
  test('every response reports requested and actual cost', async () => {
    const { body } = await post({ query: '{ meetings(first: 3) { edges { node { title channels { slug } } } } }' });
    const channels = body.data.meetings.edges.reduce((n: number, e: any) => n + e.node.channels.length, 0);
    // meetings + 3 edges + 3 nodes + their channels, costed at the most a meeting can list (20)
    expect(body.extensions.cost).toEqual({ requested: 1 + 3 * (1 + 1 + 20), actual: 1 + 3 + 3 + channels, limit: LIMITS.maxCost });
  });

  test('an operation over the cost limit is refused before anything runs', async () => {
    db.statements.length = 0;
    const { status, body } = await post({
      query: '{ meetings(first: 100) { edges { node { participants { person { name } } outcomes { channel { slug } } } } } }',
    });
    expect(status).toBe(400);
    expect(body.errors[0].extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', cost: { limit: LIMITS.maxCost } });
    expect(body.errors[0].extensions.cost.requested).toBeGreaterThan(LIMITS.maxCost);
    expect(body.data).toBeUndefined();
    expect(db.statements).toEqual([]);
  });

  test('page size drives the cost: the same query with a small page is accepted', async () => {
    const { body } = await post({
      query: '{ meetings(first: 5) { edges { node { participants { person { name } } outcomes { channel { slug } } } } } }',
    });
    expect(body.errors).toBeUndefined();
    expect(body.extensions.cost.requested).toBeLessThanOrEqual(LIMITS.maxCost);
  });

  test('too deep an operation is refused', async () => {
    const { status, body } = await post({
      query:
        '{ channel(slug: "military") { meetings(first: 1) { edges { node { outcomes { meeting { related { meeting { outcomes { meeting { title } } } } } } } } } } }',
    });
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('DEPTH_LIMIT_EXCEEDED');
  });

  test('too many aliases are refused', async () => {
    const aliases = Array.from({ length: 6 }, (_, i) => `a${i}: channels { slug }`).join(' ');
    const { body } = await post({ query: `{ ${aliases} }` });
    expect(body.errors[0].extensions.code).toBe('ALIAS_LIMIT_EXCEEDED');
  });

  test('batches are answered up to the batch limit and refused beyond it', async () => {
    const op = { query: '{ channel(slug: "ai") { slug } }' };
    const ok = await post([op, op, op]);
    expect(ok.status).toBe(200);
    expect(ok.body).toHaveLength(3);
    const tooMany = await post([op, op, op, op]);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].extensions.code).toBe('BATCH_LIMIT_EXCEEDED');
  });
});
