/**
 * What an attacker or a careless client sends, through real HTTP: every case gets a coded 4xx
 * (or, for a lookup of nothing, null), never a 5xx, never an HTML page, and leaves the service
 * answering. Timings and memory under such load are measured by scripts/hostile-soak.mjs, not
 * here.
 */
import { createHash } from 'node:crypto';
import { getNamedType, isInputObjectType, isNonNullType, isScalarType, type GraphQLArgument, type GraphQLField } from 'graphql';
import pg from 'pg';
import { createApiKey, revokeApiKey } from '../src/modules/auth/api-key.service';
import { buildAppSchema } from '../src/schema';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startHttpApp, type HttpApp } from './helpers/http-app';

let db: TestDatabase;
let api: HttpApp;
let adminKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startHttpApp({ prisma: db.prisma, databaseUrl: db.url });
  adminKey = (await createApiKey(db.prisma, 'hostile admin', 'ADMIN')).key;
});
afterAll(async () => {
  await api.stop();
  await db.drop();
});

const codes = (body: any): string[] =>
  Array.isArray(body) ? body.flatMap(codes) : (body?.errors ?? []).map((e: any) => e.extensions?.code);

/** No 5xx, a JSON body, and no error without a public code. */
function expectHandled(response: { status: number; headers: Headers; body: any; text: string }) {
  expect(response.status).toBeLessThan(500);
  expect(response.headers.get('content-type')).toMatch(/json/);
  expect(response.body).toBeDefined();
  expect(codes(response.body)).not.toContain('INTERNAL_SERVER_ERROR');
  expect(response.text).not.toMatch(/<html|\bat .*\.(js|ts):\d+/i);
}

async function refused(body: unknown, code: string, extensions: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await api.post(body, headers);
  expectHandled(response);
  expect(response.status).toBe(400);
  expect(response.body.errors[0].extensions).toMatchObject({ code, ...extensions });
  return response;
}

describe('transport', () => {
  test('a body that is not JSON gets a JSON BAD_REQUEST, not an HTML page', async () => {
    const response = await api.post('{"query": ');
    expectHandled(response);
    expect(response.status).toBe(400);
    expect(codes(response.body)).toEqual(['BAD_REQUEST']);
  });

  test.each([['[1, 2, 3]'], ['"just a string"'], ['{}'], ['{"query": 42}'], ['{"query": "{ __typename }", "variables": "nope"}']])(
    'a JSON body that is not an operation (%s) gets a coded 4xx',
    async (body) => {
      const response = await api.post(body);
      expectHandled(response);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(codes(response.body).length).toBeGreaterThan(0);
    },
  );

  test('a body over MAX_BODY_BYTES (1 MB) is refused with 413 before parsing', async () => {
    const response = await api.post({ query: '{ __typename }', variables: { x: 'a'.repeat(3 * 1024 * 1024) } });
    expectHandled(response);
    expect(response.status).toBe(413);
    expect(response.body.errors[0].extensions).toMatchObject({ code: 'DOCUMENT_LIMIT_EXCEEDED', limit: 'body' });
  });

  test('a mutation over GET is refused with 405', async () => {
    const response = await fetch(`${api.url}?query=${encodeURIComponent('mutation { deleteMeeting(slug: "x", version: 1) }')}`);
    expect(response.status).toBe(405);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  test('an unknown path answers a JSON 404', async () => {
    const response = await fetch(`${api.origin}/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/json/);
  });
});

describe('parse and validation floods are refused before Apollo parses or validates', () => {
  test('40,000 __typename fields (440 KB): too many bytes', () =>
    refused({ query: `{${' __typename'.repeat(40_000)}}` }, 'DOCUMENT_LIMIT_EXCEEDED', { limit: 'bytes' }));

  test('20,000 fields within the byte limit: too many tokens', () =>
    refused({ query: `{${' a'.repeat(20_000)}}` }, 'DOCUMENT_LIMIT_EXCEEDED', { limit: 'tokens' }));

  test('one field selected 200 times (the quadratic validation rule): too many copies of a name', () =>
    refused({ query: `{${' x: __typename'.repeat(200)}}` }, 'DOCUMENT_LIMIT_EXCEEDED', { limit: 'sameName' }));

  test('3,000 nested brackets (the parser would overflow its stack): too deep', () =>
    refused({ query: `{${'a{'.repeat(3000)}b${'}'.repeat(3001)}` }, 'DOCUMENT_LIMIT_EXCEEDED', { limit: 'nesting' }));

  test('fragment fan-out: each fragment spreads the previous one into two fields', async () => {
    let query = 'query { a: meetings(first: 1) { ...F19 } } fragment F0 on MeetingConnection { totalCount }';
    for (let i = 1; i < 20; i++)
      query += ` fragment F${i} on MeetingConnection { pageInfo { hasNextPage } a${i}: edges { cursor } ...F${i - 1} }`;
    // Aliases differ per fragment, so no name repeats: the expanded field count is what is refused.
    await refused({ query }, 'DOCUMENT_LIMIT_EXCEEDED');
  });

  test('10,000 operations in one document', async () => {
    const query = Array.from({ length: 5_000 }, (_, i) => `query Q${i}{a}`).join(' ');
    const response = await api.post({ query, operationName: 'Q1' });
    expectHandled(response);
    expect(response.body.errors[0].extensions.code).toBe('DOCUMENT_LIMIT_EXCEEDED');
  });

  test('aliases of __typename count towards the alias limit', () =>
    refused({ query: `{${Array.from({ length: 31 }, (_, i) => ` t${i}: __typename`).join('')}}` }, 'ALIAS_LIMIT_EXCEEDED'));

  test('2,000 aliased `meetings { totalCount }` are refused by the alias limit, before any SQL', async () => {
    db.statements.length = 0;
    await refused(
      { query: `{${Array.from({ length: 2000 }, (_, i) => ` m${i}: meetings { totalCount }`).join('')}}` },
      'DOCUMENT_LIMIT_EXCEEDED',
    );
    expect(db.statements).toEqual([]);
  });

  test('a flood of directives', () =>
    refused({ query: `{ __typename${' @include(if: true)'.repeat(60)} }` }, 'DOCUMENT_LIMIT_EXCEEDED', { limit: 'directives' }));

  test('nested introspection lists (fields → type → fields → …)', () =>
    refused({ query: '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }' }, 'DOCUMENT_LIMIT_EXCEEDED', {
      limit: 'introspection',
    }));

  test('the standard introspection query still works (the explorer needs it)', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const response = await api.post({ query: getIntrospectionQuery() });
    expect(response.status).toBe(200);
    expect(response.body.data.__schema.queryType.name).toBe('Query');
  });

  test('a depth bomb through related meetings is refused by the depth limit', () =>
    refused({ query: `{ meeting(slug: "x") ${'{ related { meeting '.repeat(7)}{ title }${' } }'.repeat(7)} }` }, 'DEPTH_LIMIT_EXCEEDED'));
});

describe('huge and malformed variables are refused before coercion', () => {
  test('an array of 400,000 wrong elements (a million do not fit in a body)', () =>
    refused(
      { query: 'query($c: [String!]) { meetings(filter: { channels: $c }) { totalCount } }', variables: { c: Array(400_000).fill(0) } },
      'BAD_USER_INPUT',
      { argumentName: '$c' },
    ));

  test('variables nested 40 deep', async () => {
    let value: unknown = { channels: ['ai'] };
    for (let i = 0; i < 40; i++) value = { and: [value] };
    await refused({ query: 'query($f: MeetingFilter) { meetings(filter: $f) { totalCount } }', variables: { f: value } }, 'BAD_USER_INPUT');
  });

  test.each([
    ['a float for Int', 'query($n: Int) { meetings(first: $n) { totalCount } }', { n: 1.5 }],
    ['an Int beyond 32 bits', 'query($n: Int) { meetings(first: $n) { totalCount } }', { n: 2 ** 40 }],
    ['a missing required variable', 'query($n: Int!) { meetings(first: $n) { totalCount } }', {}],
    ['an unknown enum value', 'query($t: [Track!]) { meetings(filter: { tracks: $t }) { totalCount } }', { t: ['NOPE'] }],
    ['an object for a string', 'query($s: String!) { meeting(slug: $s) { title } }', { s: { a: 1 } }],
  ])('%s gets BAD_USER_INPUT naming the variable', async (_name, query, variables) => {
    const response = await api.post({ query, variables }, { accept: 'application/graphql-response+json' });
    expectHandled(response);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors[0].message).toMatch(/\$[nts]/);
  });

  test('NUL characters, in a variable or in the document, are BAD_USER_INPUT', async () => {
    await refused(
      { query: 'query($p: String) { meetings(filter: { participant: $p }) { totalCount } }', variables: { p: 'a\u0000b' } },
      'BAD_USER_INPUT',
      {
        argumentName: '$p',
      },
    );
    await refused({ query: '{ meetings(filter: { participant: "a\\u0000b" }) { totalCount } }' }, 'BAD_USER_INPUT');
  });
});

describe('filters are bounded in breadth and depth, far below PostgreSQL bind-parameter limits', () => {
  const count = (filter: unknown) =>
    api.post({ query: 'query($f: MeetingFilter) { meetings(filter: $f) { totalCount } }', variables: { f: filter } });

  test('an `or` of 999 conditions', async () => {
    const response = await count({ or: Array(999).fill({ countryCode: 'CN' }) });
    expectHandled(response);
    expect(response.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'filter.or' });
  });

  test('relation filters nested past the depth limit', async () => {
    let filter: Record<string, unknown> = { channels: ['military'] };
    for (let i = 0; i < 8; i++) filter = { outcomes: { meeting: filter } };
    const response = await count(filter);
    expectHandled(response);
    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors[0].message).toMatch(/nest at most/);
  });

  test('more than 100 conditions in all', async () => {
    const response = await count({ and: Array(40).fill({ countryCode: 'CN', uncertain: false, from: '2013' }) });
    expectHandled(response);
    expect(response.body.errors[0].message).toMatch(/at most 100 conditions/);
  });

  test('a filter within the bounds still runs', async () => {
    const response = await count({ or: Array(40).fill({ countryCode: 'CN' }), not: [{ outcomes: { meeting: { channels: ['ai'] } } }] });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.meetings.totalCount).toBeGreaterThan(0);
  });
});

describe('injection strings in every string argument', () => {
  const INJECTIONS = [
    "' OR 1=1 --",
    '"; DROP TABLE meeting; --',
    '\\',
    '%_%',
    '$1',
    '<script>alert(1)</script>',
    '../../../../etc/passwd',
    '\u202e\u{1F4A3}',
    'x'.repeat(10_000),
    '{"$gt": ""}',
  ];

  /** Every String/ID argument of every root query field, and of the filter inputs' string fields. */
  async function stringArguments(): Promise<{ label: string; query: string; variable: string }[]> {
    const schema = await buildAppSchema();
    const cases: { label: string; query: string; variable: string }[] = [];
    const selection = (field: GraphQLField<unknown, unknown>) => (isScalarType(getNamedType(field.type)) ? '' : '{ __typename }');
    for (const field of Object.values(schema.getQueryType()!.getFields())) {
      const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
      const stringArgs = field.args.filter((a) => ['String', 'ID'].includes(getNamedType(a.type).name));
      for (const arg of stringArgs) {
        const others = required.filter((a) => a !== arg).map((a) => `${a.name}: ${placeholder(a)}`);
        const type = isNonNullType(arg.type) ? `${getNamedType(arg.type).name}!` : getNamedType(arg.type).name;
        cases.push({
          label: `${field.name}(${arg.name})`,
          variable: 'v',
          query: `query($v: ${type}) { ${field.name}(${[`${arg.name}: $v`, ...others].join(', ')}) ${selection(field)} }`,
        });
      }
    }
    const filter = schema.getType('MeetingFilter');
    if (isInputObjectType(filter)) {
      for (const inner of Object.values(filter.getFields()).filter((f) => getNamedType(f.type).name === 'String')) {
        cases.push({
          label: `meetings(filter.${inner.name})`,
          variable: 'v',
          query: `query($v: String) { meetings(filter: { ${inner.name}: $v }) { totalCount } }`,
        });
      }
    }
    return cases;
  }

  function placeholder(arg: GraphQLArgument): string {
    const name = getNamedType(arg.type).name;
    if (name === 'String' || name === 'ID') return '"x"';
    if (name === 'StatsDimension') return '[]';
    return 'null';
  }

  test('none gets a 5xx, none changes the data', async () => {
    const before = await db.prisma.meeting.count();
    const cases = await stringArguments();
    expect(cases.length).toBeGreaterThan(15);
    for (const { label, query, variable } of cases) {
      for (const value of INJECTIONS) {
        const response = await api.post({ query, variables: { [variable]: value } }, { authorization: `Bearer ${adminKey}` });
        try {
          expectHandled(response);
        } catch (error) {
          throw new Error(`${label} with ${JSON.stringify(value.slice(0, 40))}: ${response.status} ${response.text.slice(0, 300)}`, {
            cause: error,
          });
        }
      }
    }
    expect(await db.prisma.meeting.count()).toBe(before);
  });
});

describe('forged ids and cursors', () => {
  const cursor = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

  test.each([['not base64 at all!'], ['bm90IGpzb24'], [Buffer.from('Meeting:99999999999999999999').toString('base64url')], ['']])(
    'node(id: %j) is null, without an error',
    async (id) => {
      const response = await api.post({ query: 'query($id: ID!) { node(id: $id) { id } meeting(id: $id) { title } }', variables: { id } });
      expectHandled(response);
      expect(response.body.data).toEqual({ node: null, meeting: null });
    },
  );

  test.each([
    ['an impossible date', 'meetings', cursor(['meetings:START_DATE_DESC', '2023-02-31', 5])],
    ['an id beyond 32 bits', 'meetings', cursor(['meetings:START_DATE_DESC', '2023-02-01', 2 ** 31])],
    ['a cursor of another list', 'meetings', cursor(['people', 'x', 1])],
    ['not a cursor', 'meetings', 'garbage'],
    ['an id beyond 32 bits', 'people', cursor(['people', 'x', 2 ** 40])],
    ['a NUL in its text', 'organizations', cursor(['organizations', 'a\u0000', 1])],
    ['an id beyond 32 bits', 'outcomes', cursor(['outcomes', '2024-01-01', 2 ** 31, 0])],
  ])('%s in %s(after:) is BAD_USER_INPUT', async (_name, list, after) => {
    const response = await api.post({ query: `query($a: String) { ${list}(after: $a) { totalCount } }`, variables: { a: after } });
    expectHandled(response);
    expect(response.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
  });

  test('a forged cursor of the audit trail is BAD_USER_INPUT', async () => {
    const response = await api.post(
      { query: 'query($a: String) { changes(after: $a) { totalCount } }', variables: { a: cursor(['changes', 2 ** 53]) } },
      { authorization: `Bearer ${adminKey}` },
    );
    expectHandled(response);
    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('page sizes and list limits', () => {
  test.each([
    ['meetings(first: -1)', '{ meetings(first: -1) { totalCount } }'],
    ['meetings(first: 101)', '{ meetings(first: 101) { totalCount } }'],
    ['meetings(last: 1000)', '{ meetings(last: 1000) { totalCount } }'],
    ['participations(limit: 0)', '{ person(slug: "antony-blinken") { participations(limit: 0) { role } } }'],
    ['participations(limit: 100000)', '{ person(slug: "antony-blinken") { participations(limit: 100000) { role } } }'],
    ['stats(limit: 0)', '{ stats(groupBy: [], limit: 0) { count } }'],
  ])('%s is BAD_USER_INPUT or over the cost limit', async (_name, query) => {
    const response = await api.post({ query });
    expectHandled(response);
    expect(['BAD_USER_INPUT', 'COST_LIMIT_EXCEEDED']).toContain(response.body.errors[0].extensions.code);
  });

  test('a fan-out through plain lists is refused by cost before it runs', async () => {
    db.statements.length = 0;
    const response = await refused(
      {
        query: '{ person(slug: "antony-blinken") { participations { meeting { participants { person { participations { role } } } } } } }',
      },
      'COST_LIMIT_EXCEEDED',
    );
    expect(response.body.errors[0].extensions.cost.requested).toBeGreaterThan(50_000);
    expect(db.statements).toEqual([]);
  });
});

describe('batches', () => {
  test('more operations than MAX_BATCH are refused', async () => {
    const response = await api.post(Array(11).fill({ query: '{ __typename }' }));
    expectHandled(response);
    expect(response.body.errors[0].extensions.code).toBe('BATCH_LIMIT_EXCEEDED');
  });

  test('the cost limit applies to the batch as a whole', async () => {
    // Each costs 1 + 100 × (1 + 1 + 50 × 2) = 10,201, well under 50,000 alone; five do not fit.
    const op = { query: '{ meetings(first: 100) { edges { node { participants { person { name } } } } } }' };
    const response = await api.post(Array(5).fill(op));
    expectHandled(response);
    expect(Array.isArray(response.body)).toBe(true);
    expect(codes(response.body)).toContain('COST_LIMIT_EXCEEDED');
    expect(response.body.filter((r: any) => r.data).length).toBe(4);
  });
});

describe('automatic persisted queries', () => {
  const query = '{ channel(slug: "ai") { slug } }';
  const sha256Hash = createHash('sha256').update(query).digest('hex');

  test.each([
    ['an unknown version', { version: 2, sha256Hash }, query],
    ['a hash that is not hexadecimal SHA-256', { version: 1, sha256Hash: 'xyz' }, query],
    ['a hash of another document', { version: 1, sha256Hash: 'a'.repeat(64) }, query],
    ['no object at all', 'nope', query],
  ])('%s is BAD_REQUEST', (_name, persistedQuery, text) => refused({ query: text, extensions: { persistedQuery } }, 'BAD_REQUEST'));

  test('an unknown hash alone is PERSISTED_QUERY_NOT_FOUND', async () => {
    const response = await api.post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'b'.repeat(64) } } });
    expectHandled(response);
    expect(codes(response.body)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });
});

describe('headers', () => {
  test('API responses carry security headers and Vary: Authorization', async () => {
    const response = await api.post({ query: '{ channels { slug } }' });
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('vary')).toMatch(/Authorization/i);
    expect(response.headers.get('cache-control')).toBe('max-age=60, public');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  test('a read made with a key is cacheable only privately', async () => {
    const response = await api.post({ query: '{ channels { slug } }' }, { authorization: `Bearer ${adminKey}` });
    expect(response.headers.get('cache-control')).toBe('max-age=60, private');
  });

  test('the explorer page may load Apollo Sandbox from its CDN', async () => {
    const response = await fetch(api.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/embeddable-sandbox\.cdn\.apollographql\.com/);
  });
});

describe('keys', () => {
  test.each([
    ['a Basic header', 'Basic abc'],
    ['Bearer without a key', 'Bearer'],
    ['words after the key', 'Bearer a b c'],
    ['a 5,000-character key', `Bearer ${'k'.repeat(5000)}`],
    ['an unknown key', 'Bearer uscn_nope'],
  ])('%s on a write is UNAUTHENTICATED', async (_name, authorization) => {
    const response = await api.post(
      { query: 'mutation { deleteMeeting(slug: "x", version: 1) }' },
      { authorization: authorization.slice(0, 6000) },
    );
    expectHandled(response);
    expect(codes(response.body)).toContain('UNAUTHENTICATED');
  });

  test('a revoked key is UNAUTHENTICATED', async () => {
    const { key } = await createApiKey(db.prisma, 'soon revoked', 'EDITOR');
    await revokeApiKey(db.prisma, 'soon revoked');
    const response = await api.post({ query: 'mutation { deleteMeeting(slug: "x", version: 1) }' }, { authorization: `Bearer ${key}` });
    expect(codes(response.body)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('rate limits', () => {
  test('a client over its rate gets 429 with Retry-After; another client is not affected', async () => {
    const limited = await startHttpApp({ prisma: db.prisma, config: { rateLimit: { perSecond: 10, authFailuresPerMinute: 0 } } });
    try {
      const responses = await Promise.all(Array.from({ length: 40 }, () => limited.post({ query: '{ __typename }' })));
      const tooMany = responses.filter((r) => r.status === 429);
      expect(tooMany.length).toBeGreaterThanOrEqual(20);
      expect(tooMany[0].headers.get('retry-after')).toMatch(/^\d+$/);
      expect(tooMany[0].body.errors[0].extensions.code).toBe('RATE_LIMITED');
      // A key is a client of its own.
      const keyed = await limited.post({ query: '{ __typename }' }, { authorization: `Bearer ${adminKey}` });
      expect(keyed.status).toBe(200);
    } finally {
      await limited.stop();
    }
  });

  test('an address that keeps sending unknown keys is refused for a while', async () => {
    const limited = await startHttpApp({ prisma: db.prisma, config: { rateLimit: { perSecond: 0, authFailuresPerMinute: 5 } } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++)
        statuses.push((await limited.post({ query: '{ __typename }' }, { authorization: `Bearer uscn_guess${i}` })).status);
      expect(statuses.slice(0, 5).every((s) => s < 500 && s !== 429)).toBe(true);
      expect(statuses.slice(-2)).toEqual([429, 429]);
      // Requests without a key from the same address still pass.
      expect((await limited.post({ query: '{ __typename }' })).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});

describe('deadlines, disconnects and response size', () => {
  let locker: pg.Client;
  beforeEach(async () => {
    locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE meeting IN ACCESS EXCLUSIVE MODE');
  });
  afterEach(async () => {
    await locker.query('ROLLBACK');
    await locker.end();
  });

  /** Statements of the app waiting on the lock (the locker's own session excluded). */
  const waiting = async () =>
    (
      await db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`
    )[0].n;
  const until = async (condition: () => Promise<boolean>, ms: number) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await condition()) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return condition();
  };

  test('a request past its deadline gets REQUEST_TIMEOUT, and its statement is cancelled in PostgreSQL', async () => {
    const quick = await startHttpApp({ prisma: db.prisma, config: { limits: { requestTimeoutMs: 400 } } });
    try {
      const response = await quick.post({ query: '{ meetings(first: 2) { edges { node { title } } } }' });
      expectHandled(response);
      expect(response.status).toBe(400);
      expect(response.body.errors[0].extensions).toMatchObject({ code: 'REQUEST_TIMEOUT', timeoutMs: 400 });
      expect(await until(async () => (await waiting()) === 0, 2000)).toBe(true);
    } finally {
      await quick.stop();
    }
  });

  test('a client that hangs up has its statement cancelled', async () => {
    const controller = new AbortController();
    const request = fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ meetings(first: 3) { edges { node { title } } } }' }),
      signal: controller.signal,
    }).catch(() => undefined);
    expect(await until(async () => (await waiting()) === 1, 2000)).toBe(true);
    controller.abort();
    await request;
    expect(await until(async () => (await waiting()) === 0, 2000)).toBe(true);
  });

  test('a response over MAX_RESPONSE_BYTES is replaced by RESULT_TOO_LARGE', async () => {
    await locker.query('ROLLBACK');
    await locker.query('BEGIN');
    const small = await startHttpApp({ prisma: db.prisma, config: { limits: { maxResponseBytes: 2_000 } } });
    try {
      const response = await small.post({ query: '{ meetings(first: 50) { edges { node { title summary sources { title url } } } } }' });
      expectHandled(response);
      expect(response.status).toBe(400);
      expect(codes(response.body)).toEqual(['RESULT_TOO_LARGE']);
    } finally {
      await small.stop();
    }
  });
});

describe('exposure settings', () => {
  test('INTROSPECTION=false refuses introspection; SUGGESTIONS=false drops "Did you mean"', async () => {
    const closed = await startHttpApp({ prisma: db.prisma, config: { introspection: false, suggestions: false } });
    try {
      const introspection = await closed.post({ query: '{ __schema { queryType { name } } }' });
      expect(introspection.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const typo = await closed.post({ query: '{ meetingz { totalCount } }' });
      expect(typo.body.errors[0].message).not.toMatch(/Did you mean/);
      const open = await api.post({ query: '{ meetingz { totalCount } }' });
      expect(open.body.errors[0].message).toMatch(/Did you mean "meeting/);
    } finally {
      await closed.stop();
    }
  });

  test('error details (messages, stacks) of unexpected errors reach clients only when switched on', async () => {
    // A masked failure: the query reads a table that a scratch clone can lose without harm.
    const scratch = await createTestDatabase();
    await scratch.prisma.$executeRawUnsafe('ALTER TABLE source RENAME TO source_gone');
    const masked = await startHttpApp({ prisma: scratch.prisma, databaseUrl: scratch.url });
    const detailed = await startHttpApp({ prisma: scratch.prisma, databaseUrl: scratch.url, config: { exposeErrorDetails: true } });
    try {
      const query = { query: '{ meetings(first: 1) { edges { node { sources { url } } } } }' };
      const hidden = await masked.post(query);
      expect(hidden.body.errors[0]).toEqual({
        message: 'Internal server error',
        locations: expect.anything(),
        path: expect.anything(),
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
      const shown = await detailed.post(query);
      expect(JSON.stringify(shown.body.errors[0])).toMatch(/source/);
      expect(shown.body.errors[0].extensions.stacktrace).toBeDefined();
    } finally {
      await masked.stop();
      await detailed.stop();
      await scratch.drop();
    }
  });
});

describe('trusted documents', () => {
  const listed = '{ channel(slug: "ai") { slug } }';
  const hash = createHash('sha256').update(listed).digest('hex');
  let trusted: HttpApp;
  let manifest: string;

  beforeAll(async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    manifest = path.join(await mkdtemp(path.join(tmpdir(), 'uscn-trusted-')), 'manifest.json');
    await writeFile(
      manifest,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: hash, name: 'Ai', type: 'query', body: listed }],
      }),
    );
    trusted = await startHttpApp({ prisma: db.prisma, config: { trustedDocuments: manifest } });
  });
  afterAll(() => trusted.stop());

  test('a listed operation runs, by its text or by its hash alone (POST and GET), without registering first', async () => {
    expect((await trusted.post({ query: listed })).body.data.channel.slug).toBe('ai');
    const byHash = await trusted.post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(byHash.body.data.channel.slug).toBe('ai');
    const get = await fetch(
      `${trusted.url}?extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }))}`,
    );
    expect(((await get.json()) as any).data.channel.slug).toBe('ai');
  });

  test('anything else is refused, and cannot be registered through APQ', async () => {
    const other = '{ channels { slug } }';
    await trustedRefusal({ query: other });
    await trustedRefusal({
      query: other,
      extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(other).digest('hex') } },
    });
    await trustedRefusal({ extensions: { persistedQuery: { version: 1, sha256Hash: 'c'.repeat(64) } } });
  });

  async function trustedRefusal(body: unknown) {
    const response = await trusted.post(body);
    expectHandled(response);
    expect(response.status).toBe(400);
    expect(codes(response.body)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
  }

  test('a manifest whose hash does not match its document stops start-up', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(manifest, JSON.stringify({ [hash]: '{ channels { slug } }' }));
    await expect(startHttpApp({ prisma: db.prisma, config: { trustedDocuments: manifest } })).rejects.toThrow(/not the SHA-256/);
  });
});
