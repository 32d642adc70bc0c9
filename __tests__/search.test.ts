import { useSeededClient } from './helpers/graphql';

const t = useSeededClient();

const HIT = `kind score snippet node {
  __typename
  ... on Meeting { slug channels { slug } }
  ... on Outcome { description channel { slug } }
  ... on Person { name }
  ... on Organization { name }
}`;

async function search(args: string) {
  const { search } = await t.client.data(`{ search(${args}) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${HIT} } } } }`);
  return search;
}

test('"fentanyl" finds the counternarcotics work, outcomes first, with highlighted snippets', async () => {
  const result = await search('query: "fentanyl", first: 20');
  expect(result.totalCount).toBeGreaterThan(2);
  const hits = result.edges.map((e: any) => e.node);
  expect(hits[0].kind).toBe('OUTCOME');
  const outcomeHits = hits.filter((h: any) => h.kind === 'OUTCOME');
  expect(outcomeHits.every((h: any) => /fentanyl/i.test(h.node.description) || /fentanyl/i.test(h.snippet))).toBe(true);
  expect(outcomeHits.some((h: any) => h.node.channel.slug === 'counternarcotics')).toBe(true);
  expect(hits.every((h: any) => /<b>fentanyl<\/b>/i.test(h.snippet))).toBe(true);
  const scores = hits.map((h: any) => h.score);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
});

test('a misspelt name ("Blinkin") finds Antony Blinken', async () => {
  const hits = (await search('query: "Blinkin"')).edges.map((e: any) => e.node);
  expect(hits[0]).toMatchObject({ kind: 'PERSON', node: { name: 'Antony Blinken' } });
});

test('English stemming: "suspending" matches suspended and suspension', async () => {
  const hits = (await search('query: "suspending", kinds: [OUTCOME], first: 50')).edges.map((e: any) => e.node);
  expect(hits.length).toBeGreaterThan(0);
  expect(hits.every((h: any) => /suspen/i.test(h.snippet))).toBe(true);
});

test('roles are searchable: "national security advisor" finds the people who held the post', async () => {
  const hits = (await search('query: "national security advisor", kinds: [PERSON]')).edges.map((e: any) => e.node.node.name);
  expect(hits).toEqual(expect.arrayContaining(['Jake Sullivan', 'Tom Donilon']));
});

test('a meeting filter narrows every kind of hit to the meetings it selects', async () => {
  const all = await search('query: "climate", first: 100');
  const scoped = await search('query: "climate", first: 100, filter: { from: "2023", to: "2023" }');
  expect(scoped.totalCount).toBeGreaterThan(0);
  expect(scoped.totalCount).toBeLessThan(all.totalCount);
  const meetings = scoped.edges.filter((e: any) => e.node.kind === 'MEETING').map((e: any) => e.node.node.slug);
  expect(meetings.every((slug: string) => slug.startsWith('2023'))).toBe(true);
});

test('pages through every hit exactly once', async () => {
  const full = await search('query: "talks", first: 100');
  expect(full.totalCount).toBeGreaterThan(6);
  const seen: string[] = [];
  let after: string | null = null;
  do {
    const page: any = await search(`query: "talks", first: 4${after ? `, after: "${after}"` : ''}`);
    seen.push(...page.edges.map((e: any) => `${e.node.kind}:${e.node.node.__typename}:${e.node.snippet}`));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  expect(seen).toEqual(full.edges.map((e: any) => `${e.node.kind}:${e.node.node.__typename}:${e.node.snippet}`));
});

test('an empty query is refused naming the argument', async () => {
  const result = await t.client.query('{ search(query: "   ") { totalCount } }');
  expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'query' });
});
