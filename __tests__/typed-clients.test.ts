/**
 * Typed clients: the example operations (examples/operations/*.graphql) and the types GraphQL
 * Code Generator makes from them (examples/generated/graphql.ts, committed). The committed file
 * must be what `npm run codegen` writes from today's schema.graphql, and every example must run
 * against the API without errors, through the typed client a dashboard author would copy.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { request } from '../examples/client';
import * as generated from '../examples/generated/graphql';
import { PROJECT_ROOT } from '../src/paths';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startHttpApp, type HttpApp } from './helpers/http-app';

let db: TestDatabase;
let api: HttpApp;
beforeAll(async () => {
  db = await createTestDatabase();
  api = await startHttpApp({ prisma: db.prisma, databaseUrl: db.url });
});
afterAll(async () => {
  await api?.stop();
  await db?.drop();
});

test('the committed types are what `npm run codegen` generates (run it after changing an operation or the schema)', () => {
  const codegen = spawnSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'graphql-codegen'), ['--config', 'codegen.ts', '--check'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  expect(`${codegen.stdout}${codegen.stderr}`).not.toMatch(/stale|error/i);
  expect(codegen.status).toBe(0);
});

/** Variables each example runs with here: a new example needs an entry (the next test says so). */
const VARIABLES: Record<string, Record<string, unknown>> = {
  ChannelMeetings: { channel: 'military', first: 3 },
  ImplementedOnChannel: { channel: 'counternarcotics' },
  CommitmentsFollowedUp: { channel: 'military', from: '2023', to: '2023' },
  TrackDialogues: {},
  PersonChannelResults: { person: 'jake-sullivan', channel: 'military', exceptYear: '2023' },
  PlansAndFollowUps: {},
  OneSidedOutcomes: { from: '2024', to: '2024' },
  ClaimedOnlyBy: { side: 'CN', others: ['US', 'JOINT'] },
  Coverage: { channel: 'military' },
  OutcomesByChannelAndStatus: {},
  EngagementsPerYearByTrack: {},
  ChannelTimelines: { channels: ['military', 'climate'] },
  Search: { query: 'fentanyl' },
  PersonEngagements: { slug: 'antony-blinken' },
};

const operations = Object.entries(generated)
  .filter(([name]) => name.endsWith('Document'))
  .map(([, document]) => (document as DocumentNode).definitions[0] as OperationDefinitionNode)
  .filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);

test('the examples cover the README: queries and subscriptions, each named', () => {
  expect(operations.length).toBeGreaterThanOrEqual(15);
  expect(operations.every((operation) => operation.name)).toBe(true);
  expect(operations.map((operation) => operation.operation)).toContain('subscription');
  const queries = operations.filter((operation) => operation.operation === 'query').map((operation) => operation.name!.value);
  expect(queries.sort()).toEqual(Object.keys(VARIABLES).sort());
});

test.each(Object.keys(VARIABLES))('%s runs without errors and returns data', async (name) => {
  const document = (generated as Record<string, unknown>)[`${name}Document`] as DocumentNode;
  const data = await request(api.url, document, VARIABLES[name]);
  expect(data).toEqual(expect.any(Object));
  expect(Object.values(data as object).every((value) => value !== null)).toBe(true);
});

test('types follow the operations: a typo in a field is a compile error, and the result is typed', async () => {
  const data = await request(api.url, generated.ChannelMeetingsDocument, { channel: 'military', first: 2 });
  // These lines compile only because the generated types say what the operation selects.
  const titles: string[] = data.channel?.meetings.edges.map((edge) => edge.node.title) ?? [];
  const statuses: generated.OutcomeStatus[] =
    data.channel?.meetings.edges.flatMap((edge) => edge.node.outcomes.map((outcome) => outcome.status)) ?? [];
  expect(titles).toHaveLength(2);
  expect(statuses.every((status) => typeof status === 'string')).toBe(true);
  // @ts-expect-error `summary` is not selected by ChannelMeetings, so it is not on the type.
  expect(data.channel?.meetings.edges[0].node.summary).toBeUndefined();
  // @ts-expect-error `channel` is a required variable.
  await expect(request(api.url, generated.ChannelMeetingsDocument, { first: 1 })).rejects.toThrow(/channel/);
});
