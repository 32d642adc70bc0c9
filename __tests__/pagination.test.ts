import { createTestDatabase, type TestDatabase } from './helpers/database';
import { afterArg, allNodes, createTestClient, type TestClient } from './helpers/graphql';

let db: TestDatabase;
let client: TestClient;
let all: string[];
beforeAll(async () => {
  db = await createTestDatabase();
  client = await createTestClient(db);
  all = (
    await allNodes(
      client,
      (after) => `{ meetings(first: 100${afterArg(after)}) { pageInfo { hasNextPage endCursor } edges { node { slug } } } }`,
      (data) => data.meetings,
    )
  ).map((node: any) => node.slug);
});
afterAll(async () => {
  await client.stop();
  await db.drop();
});

const PAGE = `totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { slug } }`;

async function page(args: string, orderBy = '') {
  const allArgs = [args, orderBy && `orderBy: ${orderBy}`].filter(Boolean).join(', ');
  const { meetings } = await client.data(`{ meetings${allArgs ? `(${allArgs})` : ''} { ${PAGE} } }`);
  return meetings;
}

test('first/after walks every meeting exactly once, in order', async () => {
  const seen: string[] = [];
  let after: string | null = null;
  for (;;) {
    const p: any = await page(`first: 7${after ? `, after: "${after}"` : ''}`);
    expect(p.totalCount).toBe(all.length);
    seen.push(...p.edges.map((e: any) => e.node.slug));
    expect(p.pageInfo.hasPreviousPage).toBe(after !== null);
    if (!p.pageInfo.hasNextPage) break;
    expect(p.pageInfo.endCursor).toBe(p.edges[p.edges.length - 1].cursor);
    after = p.pageInfo.endCursor;
  }
  expect(seen).toEqual(all);
});

test('last/before walks backwards to the same sequence', async () => {
  const seen: string[] = [];
  let before: string | null = null;
  for (;;) {
    const p: any = await page(`last: 6${before ? `, before: "${before}"` : ''}`);
    seen.unshift(...p.edges.map((e: any) => e.node.slug));
    expect(p.pageInfo.hasNextPage).toBe(before !== null);
    if (!p.pageInfo.hasPreviousPage) break;
    before = p.pageInfo.startCursor;
  }
  expect(seen).toEqual(all);
});

test('pages under a non-default order and a filter', async () => {
  const full = await page('first: 100, filter: { tracks: [TRACK_1] }', '[TITLE_DESC]');
  const first = await page('first: 4, filter: { tracks: [TRACK_1] }', '[TITLE_DESC]');
  const second = await page(`first: 4, after: "${first.pageInfo.endCursor}", filter: { tracks: [TRACK_1] }`, '[TITLE_DESC]');
  expect([...first.edges, ...second.edges].map((e: any) => e.node.slug)).toEqual(full.edges.slice(0, 8).map((e: any) => e.node.slug));
});

test('pages under mixed sort directions (title A–Z, then newest first) walk the same sequence as pages of 100', async () => {
  const order = '[TITLE_ASC, START_DATE_DESC]';
  // Pages of 100 (the data set holds more than one) against pages of 7.
  const full = (
    await allNodes(
      client,
      (after) =>
        `{ meetings(first: 100, orderBy: ${order}${afterArg(after)}) { pageInfo { hasNextPage endCursor } edges { node { slug } } } }`,
      (data) => data.meetings,
    )
  ).map((node: any) => node.slug);
  expect(full).toHaveLength(all.length);
  const walked: string[] = [];
  let after: string | null = null;
  do {
    const p: any = await page(`first: 7${after ? `, after: "${after}"` : ''}`, order);
    walked.push(...p.edges.map((e: any) => e.node.slug));
    after = p.pageInfo.hasNextPage ? p.pageInfo.endCursor : null;
  } while (after);
  expect(walked).toEqual(full);
});

test('edges: first: 0, a page past the end, and the last item', async () => {
  const zero = await page('first: 0');
  expect(zero.edges).toEqual([]);
  expect(zero.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null });
  const lastItem = await page('last: 1');
  expect(lastItem.edges.map((e: any) => e.node.slug)).toEqual([all[all.length - 1]]);
  const beyond = await page(`first: 5, after: "${lastItem.pageInfo.endCursor}"`);
  expect(beyond.edges).toEqual([]);
  expect(beyond.pageInfo.hasNextPage).toBe(false);
});

test('the default page size is 20', async () => {
  expect((await page('')).edges).toHaveLength(Math.min(20, all.length));
});

describe('bad page arguments are refused with BAD_USER_INPUT naming the argument', () => {
  const cases: [string, string, string][] = [
    ['first above 100', 'first: 101', 'first'],
    ['negative first', 'first: -1', 'first'],
    ['last above 100', 'last: 500', 'last'],
    ['negative last', 'last: -3', 'last'],
    ['a malformed after cursor', 'after: "not a cursor"', 'after'],
    ['a malformed before cursor', 'before: "%%%"', 'before'],
    ['first with last', 'first: 2, last: 2', 'last'],
  ];
  test.each(cases)('%s', async (_name, args, argumentName) => {
    const result = await client.query(`{ meetings(${args}) { totalCount } }`);
    expect(result.data).toBeNull();
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName });
    expect(result.errors?.[0].message).toContain(argumentName);
  });

  test('a cursor of the right list whose values were tampered with', async () => {
    // Well-formed base64 JSON with this list's signature, but a date key that is not a date:
    // refused as a bad cursor, not passed on to PostgreSQL as a failing cast.
    const forged = Buffer.from(JSON.stringify(['meetings:START_DATE_DESC', 'yesterday', 3])).toString('base64url');
    const result = await client.query(`{ meetings(first: 2, after: "${forged}") { totalCount } }`);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
    const outcomes = Buffer.from(JSON.stringify(['outcomes', '2023-06-18', 'x', 0])).toString('base64url');
    const other = await client.query(`{ outcomes(first: 2, after: "${outcomes}") { totalCount } }`);
    expect(other.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
  });

  test('a cursor from another ordering', async () => {
    const p = await page('first: 2', '[TITLE_ASC]');
    const result = await client.query(`{ meetings(first: 2, after: "${p.pageInfo.endCursor}") { totalCount } }`);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
    expect(result.errors?.[0].message).toMatch(/another list or ordering/);
  });

  test('on nested and other connections too', async () => {
    // Separate operations: a failing non-null root field nulls the whole response at once.
    for (const [query, path] of [
      ['{ channel(slug: "military") { outcomes(first: 1000) { totalCount } } }', 'channel.outcomes'],
      ['{ people(first: -1) { totalCount } }', 'people'],
      ['{ organizations(after: "bogus") { totalCount } }', 'organizations'],
    ]) {
      const result = await client.query(query);
      expect(result.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([[path, 'BAD_USER_INPUT']]);
    }
  });
});

test('people, organisations and outcomes page with cursors too', async () => {
  for (const field of ['people', 'organizations', 'outcomes']) {
    const nodeField = field === 'outcomes' ? 'id' : 'name';
    const full = await client.data(`{ ${field}(first: 100) { totalCount edges { node { ${nodeField} } } } }`);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const data: any = await client.data(
        `{ ${field}(first: 9${after ? `, after: "${after}"` : ''}) { pageInfo { hasNextPage endCursor } edges { node { ${nodeField} } } } }`,
      );
      seen.push(...data[field].edges.map((e: any) => e.node[nodeField]));
      after = data[field].pageInfo.hasNextPage ? data[field].pageInfo.endCursor : null;
    } while (after);
    expect(seen.slice(0, 100)).toEqual(full[field].edges.map((e: any) => e.node[nodeField]));
    expect(seen).toHaveLength(full[field].totalCount);
    expect(new Set(seen).size).toBe(seen.length);
  }
});
