/**
 * Writes: the role matrix, validation, optimistic locking under concurrency, rollback, the
 * audit trail, and the key CLI.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createApiKey, revokeApiKey } from '../src/modules/auth/api-key.service';
import { PROJECT_ROOT } from '../src/paths';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { createTestClient, type TestClient } from './helpers/graphql';
import { fixtureMeetingInput as meetingInput, fixtureRecord } from './fixtures/records';

let db: TestDatabase;
let client: TestClient;
const keys: Record<'viewer' | 'editor' | 'admin' | 'revoked', string> = { viewer: '', editor: '', admin: '', revoked: '' };

beforeAll(async () => {
  db = await createTestDatabase();
  client = await createTestClient(db);
  keys.viewer = (await createApiKey(db.prisma, 'viewer key', 'VIEWER')).key;
  keys.editor = (await createApiKey(db.prisma, 'editor key', 'EDITOR')).key;
  keys.admin = (await createApiKey(db.prisma, 'admin key', 'ADMIN')).key;
  keys.revoked = (await createApiKey(db.prisma, 'revoked key', 'ADMIN')).key;
  await revokeApiKey(db.prisma, 'revoked key');
});
afterAll(async () => {
  await client.stop();
  await db.drop();
});

const bearer = (key: string) => `Bearer ${key}`;

const UPSERT = 'mutation ($input: MeetingInput!) { upsertMeeting(input: $input) { slug title version outcomes { status } } }';
const PATCH = `mutation ($slug: String!, $version: Int!, $patch: MeetingPatch!) {
  updateMeeting(slug: $slug, version: $version, patch: $patch) { title version city hosts { name } outcomes { status description channel { slug } } }
}`;
const DELETE = 'mutation ($slug: String!, $version: Int!) { deleteMeeting(slug: $slug, version: $version) }';
const IMPORT =
  'mutation ($jsonl: String!) { importEngagements(jsonl: $jsonl, dryRun: true) { created updated unchanged errors { line field message } } }';
const CHANGES = '{ changes(first: 5) { totalCount edges { node { action actor recordSlug } } } }';

describe('the role matrix', () => {
  type Who = 'none' | keyof typeof keys;
  const run = async (operation: string, who: Who) => {
    const authorization = who === 'none' ? undefined : bearer(keys[who]);
    switch (operation) {
      case 'upsertMeeting':
        return client.query(UPSERT, { input: meetingInput() }, authorization);
      case 'deleteMeeting': {
        const created = await client.data(UPSERT, { input: meetingInput() }, bearer(keys.editor));
        return client.query(DELETE, { slug: created.upsertMeeting.slug, version: created.upsertMeeting.version }, authorization);
      }
      case 'updateMeeting': {
        const created = await client.data(UPSERT, { input: meetingInput() }, bearer(keys.editor));
        return client.query(PATCH, { slug: created.upsertMeeting.slug, version: 1, patch: { title: 'patched' } }, authorization);
      }
      case 'importEngagements':
        return client.query(IMPORT, { jsonl: JSON.stringify(fixtureRecord()) }, authorization);
      default:
        return client.query(CHANGES, undefined, authorization);
    }
  };
  const expected: Record<string, Record<Who, string>> = {
    upsertMeeting: { none: 'UNAUTHENTICATED', revoked: 'UNAUTHENTICATED', viewer: 'FORBIDDEN', editor: 'ok', admin: 'ok' },
    updateMeeting: { none: 'UNAUTHENTICATED', revoked: 'UNAUTHENTICATED', viewer: 'FORBIDDEN', editor: 'ok', admin: 'ok' },
    deleteMeeting: { none: 'UNAUTHENTICATED', revoked: 'UNAUTHENTICATED', viewer: 'FORBIDDEN', editor: 'ok', admin: 'ok' },
    importEngagements: { none: 'UNAUTHENTICATED', revoked: 'UNAUTHENTICATED', viewer: 'FORBIDDEN', editor: 'ok', admin: 'ok' },
    changes: { none: 'UNAUTHENTICATED', revoked: 'UNAUTHENTICATED', viewer: 'FORBIDDEN', editor: 'FORBIDDEN', admin: 'ok' },
  };
  const cases = Object.entries(expected).flatMap(([operation, byWho]) =>
    Object.entries(byWho).map(([who, outcome]) => [operation, who as Who, outcome] as const),
  );
  test.each(cases)('%s with %s key → %s', async (operation, who, outcome) => {
    const result = await run(operation, who);
    if (outcome === 'ok') expect(result.errors).toBeUndefined();
    else expect(result.errors?.[0].extensions?.code).toBe(outcome);
  });

  test('reads stay public without a key', async () => {
    expect((await client.query('{ channels { slug } }')).errors).toBeUndefined();
  });

  test('with READS_REQUIRE_KEY, reads need a valid key of any role', async () => {
    const strict = await createTestClient(db, { readsRequireKey: true });
    try {
      expect((await strict.query('{ channels { slug } }')).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect((await strict.query('{ channels { slug } }', undefined, bearer(keys.revoked))).errors?.[0].extensions?.code).toBe(
        'UNAUTHENTICATED',
      );
      expect((await strict.query('{ channels { slug } }', undefined, bearer(keys.viewer))).errors).toBeUndefined();
    } finally {
      await strict.stop();
    }
  });
});

describe('writing meetings', () => {
  test('create, read back, update with the version read, delete', async () => {
    const input = meetingInput();
    const created = (await client.data(UPSERT, { input }, bearer(keys.editor))).upsertMeeting;
    expect(created).toMatchObject({ slug: input.slug, version: 1, outcomes: [{ status: 'AGREED' }] });
    const updated = (
      await client.data(UPSERT, { input: { ...input, version: 1, title: 'Fixture, renamed', outcomes: [] } }, bearer(keys.editor))
    ).upsertMeeting;
    expect(updated).toMatchObject({ title: 'Fixture, renamed', version: 2, outcomes: [] });
    const { meeting } = await client.data(`{ meeting(slug: "${input.slug}") { title version } }`);
    expect(meeting).toEqual({ title: 'Fixture, renamed', version: 2 });
    expect((await client.data(DELETE, { slug: input.slug, version: 2 }, bearer(keys.editor))).deleteMeeting).toBe(true);
    expect((await client.data(`{ meeting(slug: "${input.slug}") { title } }`)).meeting).toBeNull();
  });

  test('bad input lists every invalid field by its path, and writes nothing', async () => {
    const before = await db.prisma.meeting.count();
    const result = await client.query(
      UPSERT,
      {
        input: meetingInput({
          startDate: '2030-13-01',
          countryCode: 'usa',
          outcomes: [{ channel: 'climate', description: 'x', status: 'AGREED' }],
          sources: [],
          related: [{ slug: '1999-01-01-nowhere', relation: 'FOLLOW_UP_OF' }],
        }),
      },
      bearer(keys.editor),
    );
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input' });
    const paths = (result.errors?.[0].extensions?.invalidFields as { path: string }[]).map((f) => f.path).sort();
    expect(paths).toEqual(['input.countryCode', 'input.outcomes[0].channel', 'input.sources', 'input.startDate']);
    expect(await db.prisma.meeting.count()).toBe(before);
  });

  test('references are checked too: unknown channels and related meetings', async () => {
    const result = await client.query(
      UPSERT,
      {
        input: meetingInput({
          channels: ['military', 'astrology'],
          outcomes: [],
          related: [{ slug: '1999-01-01-nowhere', relation: 'FOLLOW_UP_OF' }],
        }),
      },
      bearer(keys.editor),
    );
    const paths = (result.errors?.[0].extensions?.invalidFields as { path: string }[]).map((f) => f.path).sort();
    expect(paths).toEqual(['input.channels[1]', 'input.related[0].slug']);
  });

  test('an update without the version, or with a stale one, is refused', async () => {
    const input = meetingInput();
    await client.data(UPSERT, { input }, bearer(keys.editor));
    const missing = await client.query(UPSERT, { input: { ...input, title: 'x' } }, bearer(keys.editor));
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.version' });
    await client.data(UPSERT, { input: { ...input, version: 1, title: 'second' } }, bearer(keys.editor));
    const stale = await client.query(UPSERT, { input: { ...input, version: 1, title: 'third' } }, bearer(keys.editor));
    expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await client.data(`{ meeting(slug: "${input.slug}") { title } }`)).meeting.title).toBe('second');
  });

  test('two concurrent updates from the same version: one wins, the other gets CONFLICT', async () => {
    const input = meetingInput();
    await client.data(UPSERT, { input }, bearer(keys.editor));
    const results = await Promise.all(
      ['A', 'B'].map((title) => client.query(UPSERT, { input: { ...input, version: 1, title: `writer ${title}` } }, bearer(keys.editor))),
    );
    const codes = results.map((r) => r.errors?.[0].extensions?.code ?? 'ok').sort();
    expect(codes).toEqual(['CONFLICT', 'ok']);
    const winner = results.find((r) => !r.errors)!.data.upsertMeeting.title;
    expect((await client.data(`{ meeting(slug: "${input.slug}") { title version } }`)).meeting).toEqual({ title: winner, version: 2 });
  });

  test('a failure midway rolls the whole write back, audit row included', async () => {
    const input = meetingInput();
    await client.data(UPSERT, { input }, bearer(keys.editor));
    const changesBefore = await db.prisma.change.count();
    await db.prisma.$executeRawUnsafe(`CREATE FUNCTION fail_fixture_source() RETURNS trigger AS $$ BEGIN
      IF NEW.publisher = 'Fail Here' THEN RAISE EXCEPTION 'simulated failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await db.prisma.$executeRawUnsafe(
      'CREATE TRIGGER fail_fixture_source BEFORE INSERT ON source FOR EACH ROW EXECUTE FUNCTION fail_fixture_source()',
    );
    try {
      const result = await client.query(
        UPSERT,
        { input: { ...input, version: 1, title: 'must not stick', sources: [{ publisher: 'Fail Here' }] } },
        bearer(keys.editor),
      );
      expect(result.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await db.prisma.$executeRawUnsafe('DROP TRIGGER fail_fixture_source ON source');
    }
    const { meeting } = await client.data(`{ meeting(slug: "${input.slug}") { title version sources { publisher } } }`);
    expect(meeting).toEqual({ title: input.title, version: 1, sources: [{ publisher: 'Fixture Gazette' }] });
    expect(await db.prisma.change.count()).toBe(changesBefore);
  });

  test('updateMeeting changes only what it is given: add an outcome, drop the hosts, clear the city', async () => {
    const input = meetingInput();
    await client.data(UPSERT, { input }, bearer(keys.editor));
    const outcomes = [...input.outcomes, { channel: 'crisis_communication', description: 'Fixture: hotline planned.', status: 'PLANNED' }];
    const { updateMeeting } = await client.data(
      PATCH,
      { slug: input.slug, version: 1, patch: { outcomes, hosts: [], city: null } },
      bearer(keys.editor),
    );
    expect(updateMeeting).toMatchObject({ title: input.title, version: 2, city: null, hosts: [] });
    expect(updateMeeting.outcomes.map((o: any) => [o.channel.slug, o.status])).toEqual([
      ['military', 'AGREED'],
      ['crisis_communication', 'PLANNED'],
    ]);
    const stale = await client.query(PATCH, { slug: input.slug, version: 1, patch: { title: 'late' } }, bearer(keys.editor));
    expect(stale.errors?.[0].extensions?.code).toBe('CONFLICT');
    const invalid = await client.query(PATCH, { slug: input.slug, version: 2, patch: { channels: ['military'] } }, bearer(keys.editor));
    expect((invalid.errors?.[0].extensions?.invalidFields as { path: string }[]).map((f) => f.path)).toEqual(['input.outcomes[1].channel']);
    const missing = await client.query(PATCH, { slug: '2030-01-01-nothing', version: 1, patch: { title: 'x' } }, bearer(keys.editor));
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  test('outcomes keep their ids when their meeting is edited', async () => {
    const input = meetingInput({
      outcomes: [
        { channel: 'military', description: 'Fixture: first.', status: 'AGREED' },
        { channel: 'crisis_communication', description: 'Fixture: second.', status: 'PLANNED' },
      ],
    });
    await client.data(UPSERT, { input }, bearer(keys.editor));
    const ids = async () =>
      (await client.data(`{ meeting(slug: "${input.slug}") { outcomes { id description status } } }`)).meeting.outcomes;
    const [first, second] = await ids();
    await client.data(
      PATCH,
      {
        slug: input.slug,
        version: 1,
        patch: {
          channels: ['crisis_communication', 'military', 'ai'],
          outcomes: [
            { channel: 'military', description: 'Fixture: first, reworded.', status: 'IMPLEMENTED' },
            { channel: 'crisis_communication', description: 'Fixture: second.', status: 'PLANNED' },
            { channel: 'ai', description: 'Fixture: third.', status: 'DISCUSSED' },
          ],
        },
      },
      bearer(keys.editor),
    );
    const after = await ids();
    expect(after.map((o: any) => o.id).slice(0, 2)).toEqual([first.id, second.id]);
    expect(after[0]).toMatchObject({ description: 'Fixture: first, reworded.', status: 'IMPLEMENTED' });
    expect(after).toHaveLength(3);
    const { node } = await client.data(`{ node(id: "${first.id}") { ... on Outcome { status } } }`);
    expect(node).toEqual({ status: 'IMPLEMENTED' });
  });

  test('a meeting others relate to cannot be deleted', async () => {
    const { meeting } = await client.data('{ meeting(slug: "2023-11-15-woodside") { version } }');
    const result = await client.query(DELETE, { slug: '2023-11-15-woodside', version: meeting.version }, bearer(keys.admin));
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'slug' });
    expect(result.errors?.[0].message).toMatch(/2024-01-08-dpct-17/);
  });
});

test('the audit trail records who changed what, with the record before and after', async () => {
  const input = meetingInput();
  await client.data(UPSERT, { input }, bearer(keys.editor));
  await client.data(UPSERT, { input: { ...input, version: 1, title: 'Audited title' } }, bearer(keys.admin));
  await client.data(DELETE, { slug: input.slug, version: 2 }, bearer(keys.editor));
  const { changes } = await client.data(
    `{ changes(filter: { recordSlug: "${input.slug}" }) { totalCount edges { node { action actor recordType before after at } } } }`,
    undefined,
    bearer(keys.admin),
  );
  expect(changes.totalCount).toBe(3);
  const [deleted, updated, created] = changes.edges.map((e: any) => e.node);
  expect(created).toMatchObject({ action: 'CREATE', actor: 'editor key', recordType: 'Meeting', before: null });
  expect(created.after).toMatchObject({ id: input.slug, title: input.title });
  expect(updated).toMatchObject({ action: 'UPDATE', actor: 'admin key' });
  expect([updated.before.title, updated.after.title]).toEqual([input.title, 'Audited title']);
  expect(deleted).toMatchObject({ action: 'DELETE', actor: 'editor key', after: null });
  expect(deleted.before.title).toBe('Audited title');

  const byKey = await client.data(
    '{ changes(filter: { actor: "admin key" }, first: 100) { edges { node { actor } } } }',
    undefined,
    bearer(keys.admin),
  );
  expect(byKey.changes.edges.every((e: any) => e.node.actor === 'admin key')).toBe(true);
  const future = await client.data('{ changes(filter: { from: "2999-01-01" }) { totalCount } }', undefined, bearer(keys.admin));
  expect(future.changes.totalCount).toBe(0);
  const seeded = await client.data('{ changes(filter: { actor: "seed" }) { totalCount } }', undefined, bearer(keys.admin));
  expect(seeded.changes.totalCount).toBeGreaterThan(30);
});

test('importEngagements through the API reports per-line errors and writes nothing', async () => {
  const jsonl = `${JSON.stringify(fixtureRecord({ id: '2030-07-01-fixture-api' }))}\n{"id": "broken"}\n`;
  const { importEngagements } = await client.data(
    'mutation ($jsonl: String!) { importEngagements(jsonl: $jsonl) { created updated unchanged errors { line field message } } }',
    { jsonl },
    bearer(keys.editor),
  );
  expect(importEngagements).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
  expect(importEngagements.errors.length).toBeGreaterThan(0);
  expect(importEngagements.errors.every((e: any) => e.line === 2)).toBe(true);
  expect(await db.prisma.meeting.count({ where: { slug: '2030-07-01-fixture-api' } })).toBe(0);
});

test('key CLI: create prints a working key once; revoke disables it', async () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist/scripts/keys.js'), ...args], {
      env: { ...process.env, DATABASE_URL: db.url },
      encoding: 'utf8',
    });
  const created = run('create', '--role', 'editor', '--name', 'cli key');
  expect(created.status).toBe(0);
  const key = created.stdout.trim();
  expect(key).toMatch(/^uscn_[A-Za-z0-9_-]{40,}$/);
  const stored = await db.prisma.apiKey.findUniqueOrThrow({ where: { name: 'cli key' } });
  expect(stored.keyHash).not.toContain(key);
  expect((await client.query(UPSERT, { input: meetingInput() }, bearer(key))).errors).toBeUndefined();

  expect(run('create', '--role', 'editor', '--name', 'cli key').status).toBe(1);
  expect(run('create', '--role', 'owner', '--name', 'x').stderr).toMatch(/Usage/);
  expect(run('revoke', 'cli key').status).toBe(0);
  const afterRevoke = await client.query(UPSERT, { input: meetingInput() }, bearer(key));
  expect(afterRevoke.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  expect(afterRevoke.errors?.[0].message).toMatch(/revoked/);
});
