/**
 * Editors writing at once, through real HTTP: 8 editors × 50 mutation requests, each editor on a
 * meeting of its own and on four meetings all of them share, reading the version before writing
 * and, on CONFLICT, reading it again and retrying. Writes change titles, dates, channels,
 * outcomes and `implements_outcome_of` links between meetings being written at the same time;
 * every editor also creates and deletes meetings of its own that link to the shared ones.
 *
 * Nothing may fail (no HTTP 5xx, no INTERNAL_SERVER_ERROR), nothing acknowledged may be lost,
 * CONFLICT must only answer versions that really were stale, and the fulfilments must come out
 * as a full recomputation gives them.
 *
 * Then the races too rare to count on in such a run, staged one step at a time with a second
 * connection holding the locks, and the retrying of writeTransaction itself.
 */
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { conflict, isUniqueViolation } from '../src/common/errors';
import { createLogger, type Logger } from '../src/common/logger';
import { writeTransaction } from '../src/db/write-transaction';
import { createApiKey } from '../src/modules/auth/api-key.service';
import { importEngagements } from '../src/modules/engagements/engagement-import.service';
import { loadRecords } from '../src/modules/engagements/engagement.reader';
import { computeFulfilments, FULFILMENT_LOCK_KEY } from '../src/modules/engagements/fulfilment.service';
import { createApp, type App } from '../src/server';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { fixtureRecord, toJsonl } from './fixtures/records';

const EDITORS = 8;
const REQUESTS_PER_EDITOR = 50;
const SHARED = [
  '2031-01-01-concurrent-shared-0',
  '2031-01-02-concurrent-shared-1',
  '2031-01-03-concurrent-shared-2',
  '2031-01-04-concurrent-shared-3',
];
const OWN = Array.from({ length: EDITORS }, (_, e) => `2031-02-0${e + 1}-concurrent-own-${e}`);
const STABLE = [...SHARED, ...OWN];
const temporary = (editor: number, round: number) => `2031-03-0${editor + 1}-concurrent-temp-${editor}-${round}`;

let db: TestDatabase;
let app: App;
let url: string;
let authorization: string;
const serverErrors: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const base = { startDate: '2031-01-01', endDate: null, channels: ['military'], outcomes: [], related: [] };
  const report = await importEngagements(db.prisma, toJsonl(STABLE.map((id) => fixtureRecord({ ...base, id, title: `Concurrent ${id}` }))));
  expect(report.errors).toEqual([]);
  authorization = `Bearer ${(await createApiKey(db.prisma, 'concurrent editor', 'EDITOR')).key}`;
  // Errors the server logs are failures the responses may not show; collect them.
  const logger: Logger = {
    ...createLogger('silent'),
    error: (message, error) => serverErrors.push(`${message}: ${(error as Error)?.stack ?? error}`),
  };
  // The editors share one key and send far more than a person would: no rate limit here.
  app = await createApp({ prisma: db.prisma, config: { rateLimit: { perSecond: 0 } }, logger });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await app?.apollo.stop();
  await db?.drop();
});

interface Response {
  status: number;
  body: { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function post(query: string, variables: Record<string, unknown>): Promise<Response> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Response['body'] };
}

const VERSION = 'query ($slug: String!) { meeting(slug: $slug) { version } }';
const UPSERT = 'mutation ($input: MeetingInput!) { upsertMeeting(input: $input) { slug version } }';
const PATCH =
  'mutation ($slug: String!, $version: Int!, $patch: MeetingPatch!) { updateMeeting(slug: $slug, version: $version, patch: $patch) { slug version } }';
const DELETE = 'mutation ($slug: String!, $version: Int!) { deleteMeeting(slug: $slug, version: $version) }';

/** A small deterministic generator, so that a failing run can be replayed. */
function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  return { next, pick };
}

/** The fields the editors change; every write gives all of them, so the last one decides. */
interface Content {
  title: string;
  startDate: string;
  channels: string[];
  outcomes: { channel: string; description: string; status: string; note: string | null }[];
  related: { slug: string; relation: string }[];
}

function content(rng: ReturnType<typeof random>, slug: string, label: string): Content {
  const channels = rng.next() < 0.5 ? ['military'] : ['military', 'climate'];
  const others = STABLE.filter((s) => s !== slug);
  const cited = rng.pick([...others, temporary(Math.floor(rng.next() * EDITORS), Math.floor(rng.next() * 5))]);
  const outcomes = channels.map((channel) => ({
    channel,
    description: `Concurrent ${channel} outcome, ${label}.`,
    status: rng.pick(['PLANNED', 'AGREED', 'IMPLEMENTED']),
    note: rng.next() < 0.5 ? `Followed up: see ${cited}.` : null,
  }));
  const related = [...new Set(Array.from({ length: Math.floor(rng.next() * 3) }, () => rng.pick(others)))].map((other) => ({
    slug: other,
    relation: 'IMPLEMENTS_OUTCOME_OF',
  }));
  return {
    title: `Concurrent ${slug}, ${label}`,
    startDate: rng.pick(['2031-01-01', '2031-01-15', '2031-02-01', '2031-03-01']),
    channels,
    outcomes,
    related,
  };
}

function meetingInput(slug: string, fields: Content, version?: number) {
  return {
    slug,
    version,
    ...fields,
    datePrecision: 'DAY',
    kind: 'MILITARY_TALKS',
    track: 'TRACK_1',
    mode: 'IN_PERSON',
    city: 'Fixture City',
    country: 'United States',
    countryCode: 'US',
    hosts: ['Fixture Host Office'],
    participants: [{ name: 'Fixture Person', role: 'Envoy', organization: 'Fixture Host Office', side: 'US' }],
    sources: [{ publisher: 'Fixture Gazette', title: 'Fixture report', url: 'https://example.org/fixture', publishedDate: '2031-01-02' }],
  };
}

interface Ack {
  slug: string;
  version: number;
  fields: Content | null;
}
interface Conflict {
  slug: string;
  sent: number;
  now: number;
}

test('8 editors × 50 writes: nothing fails, nothing acknowledged is lost, fulfilments stay right', async () => {
  const initial = new Map((await db.prisma.meeting.findMany({ where: { slug: { in: STABLE } } })).map((m) => [m.slug, m.version]));
  const acks: Ack[] = [];
  const conflicts: Conflict[] = [];
  const failures: string[] = [];
  let requests = 0;

  const readVersion = async (slug: string): Promise<number | null> => {
    const { status, body } = await post(VERSION, { slug });
    if (status >= 500 || body.errors) failures.push(`read ${slug}: ${status} ${JSON.stringify(body.errors)}`);
    return body.data?.meeting?.version ?? null;
  };

  /** Sends `write` with the current version until it is acknowledged, or the editor's requests run out. */
  async function writeUntilAcknowledged(
    slug: string,
    budget: () => boolean,
    write: (version: number | null) => Promise<Response>,
    onAck: (data: any) => void,
  ) {
    let version = await readVersion(slug);
    while (budget()) {
      requests += 1;
      const { status, body } = await write(version);
      const error = body.errors?.[0];
      if (status >= 500 || (error && error.extensions?.code !== 'CONFLICT')) {
        failures.push(`${slug}: HTTP ${status} ${error?.extensions?.code}: ${error?.message}`);
        return;
      }
      if (!error) return onAck(body.data);
      const now = /it is now (\d+)/.exec(error.message);
      conflicts.push({ slug, sent: version ?? -1, now: now ? Number(now[1]) : -1 });
      version = await readVersion(slug);
    }
  }

  async function editor(e: number): Promise<void> {
    const rng = random(1000 + e);
    let sent = 0;
    const budget = () => sent++ < REQUESTS_PER_EDITOR;
    for (let n = 0; sent < REQUESTS_PER_EDITOR; n += 1) {
      const round = Math.floor(n / 10);
      if (n % 10 === 3 && round < 5) {
        // A meeting of the editor's own that implements a shared one, created…
        const slug = temporary(e, round);
        const fields: Content = {
          ...content(rng, slug, `e${e} n${n}`),
          related: [{ slug: rng.pick(SHARED), relation: 'IMPLEMENTS_OUTCOME_OF' }],
        };
        await writeUntilAcknowledged(
          slug,
          budget,
          () => post(UPSERT, { input: meetingInput(slug, fields) }),
          (data) => acks.push({ slug, version: data.upsertMeeting.version, fields }),
        );
      } else if (n % 10 === 7 && round < 5) {
        // …and deleted again four writes later.
        const slug = temporary(e, round);
        await writeUntilAcknowledged(
          slug,
          budget,
          (version) => post(DELETE, { slug, version }),
          () => acks.push({ slug, version: -1, fields: null }),
        );
      } else {
        const slug = rng.next() < 0.5 ? OWN[e] : rng.pick(SHARED);
        const fields = content(rng, slug, `e${e} n${n}`);
        const patch = rng.next() < 0.5;
        await writeUntilAcknowledged(
          slug,
          budget,
          (version) =>
            patch ? post(PATCH, { slug, version, patch: fields }) : post(UPSERT, { input: meetingInput(slug, fields, version!) }),
          (data) => acks.push({ slug, version: (data.updateMeeting ?? data.upsertMeeting).version, fields }),
        );
      }
    }
  }

  const started = performance.now();
  await Promise.all(Array.from({ length: EDITORS }, (_, e) => editor(e)));
  const seconds = (performance.now() - started) / 1000;

  expect(failures).toEqual([]);
  expect(serverErrors).toEqual([]);
  expect(requests).toBe(EDITORS * REQUESTS_PER_EDITOR);

  // Versions: each acknowledged write added exactly one, and none was handed out twice.
  const stored = await loadRecords(db.prisma, STABLE);
  const versions = new Map((await db.prisma.meeting.findMany({ where: { slug: { in: STABLE } } })).map((m) => [m.slug, m.version]));
  for (const slug of STABLE) {
    const mine = acks.filter((a) => a.slug === slug).sort((a, b) => a.version - b.version);
    const from = initial.get(slug)!;
    expect(mine.map((a) => a.version)).toEqual(mine.map((_, i) => from + i + 1));
    expect(versions.get(slug)).toBe(from + mine.length);
    // The meeting holds what its last acknowledged write sent.
    const last = mine.at(-1)?.fields;
    if (!last) continue;
    const record = stored.get(slug)!;
    expect({
      title: record.title,
      startDate: record.startDate,
      channels: record.channels,
      outcomes: record.outcomes.map((o) => ({
        channel: o.channel,
        description: o.description,
        status: o.status.toUpperCase(),
        note: o.note,
      })),
      related: record.related.map((r) => ({ slug: r.id, relation: r.relation.toUpperCase() })).sort((a, b) => a.slug.localeCompare(b.slug)),
    }).toEqual({ ...last, related: [...last.related].sort((a, b) => a.slug.localeCompare(b.slug)) });
  }
  // A temporary meeting exists if its last acknowledged write created it (only its editor
  // writes it, so acknowledgements come in order) and not if that was its deletion.
  const lastOfTemporary = new Map(acks.filter((a) => a.slug.includes('-concurrent-temp-')).map((a) => [a.slug, a.fields !== null]));
  const temporaries = await db.prisma.meeting.findMany({ where: { slug: { contains: '-concurrent-temp-' } }, select: { slug: true } });
  expect(temporaries.map((m) => m.slug).sort()).toEqual(
    [...lastOfTemporary]
      .filter(([, exists]) => exists)
      .map(([slug]) => slug)
      .sort(),
  );
  expect([...lastOfTemporary.values()].filter((exists) => !exists).length).toBeGreaterThan(0);
  // One audit row per acknowledged write.
  expect(await db.prisma.change.count({ where: { actor: 'concurrent editor' } })).toBe(acks.length);

  // CONFLICT only for a version that was stale: another write had already made a later one.
  for (const c of conflicts) {
    expect(c.now).toBeGreaterThan(c.sent);
    expect(acks.some((a) => a.slug === c.slug && a.version === c.now)).toBe(true);
  }

  expect(
    await db.prisma.$queryRaw`SELECT outcome_id, meeting_id, basis::text AS basis FROM outcome_fulfilment ORDER BY outcome_id, meeting_id`,
  ).toEqual(await computeFulfilments(db.prisma));
  expect(await db.prisma.outcomeFulfilment.count()).toBeGreaterThan(0);

  // The figures, for whoever tunes the write path: 10–20 s on two cores, most of it CPU.
  console.info(
    `concurrent editors: ${requests} writes in ${seconds.toFixed(1)} s, ${acks.length} acknowledged, ${conflicts.length} CONFLICT, ${failures.length} failed`,
  );
});

test('clients creating the same new meeting at once: one creates it, the others are refused, none fails', async () => {
  const slug = '2031-04-01-concurrent-race';
  const fields = content(random(7), slug, 'race');
  const results = await Promise.all(Array.from({ length: EDITORS }, () => post(UPSERT, { input: meetingInput(slug, fields) })));
  expect(results.every((r) => r.status < 500)).toBe(true);
  const codes = results.map((r) => r.body.errors?.[0]?.extensions?.code ?? 'ok');
  expect(codes.filter((code) => code === 'ok')).toHaveLength(1);
  // Refused as created meanwhile (CONFLICT), or, once it is committed, as an update without a version.
  expect(codes.filter((code) => code !== 'ok').every((code) => code === 'CONFLICT' || code === 'BAD_USER_INPUT')).toBe(true);
  expect(serverErrors).toEqual([]);
});

describe('races staged one step at a time', () => {
  let other: Client;
  beforeAll(async () => {
    other = new Client({ connectionString: db.url });
    await other.connect();
  });
  afterAll(() => other.end());

  /** Resolves once some session waits for the fulfilment lock, which `other` holds. */
  async function someoneWaitsForFulfilments(): Promise<void> {
    for (let tries = 0; tries < 500; tries += 1) {
      const { rows } = await other.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`);
      if (rows[0].n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('no session ever waited for the fulfilment lock');
  }

  const base = { startDate: '2031-06-01', endDate: null, channels: ['military'], outcomes: [], related: [] };
  const versionOf = async (slug: string) => (await db.prisma.meeting.findUniqueOrThrow({ where: { slug } })).version;

  test('a write linking to a meeting deleted while it ran is refused as bad input, not failed', async () => {
    const [writer, target] = ['2031-06-01-race-writer', '2031-06-02-race-target'];
    await importEngagements(db.prisma, toJsonl([fixtureRecord({ ...base, id: writer }), fixtureRecord({ ...base, id: target })]));
    // Another transaction deletes the target, as deleteMeeting does (under the fulfilment lock), and has not committed.
    await other.query('BEGIN');
    await other.query('SELECT pg_advisory_xact_lock($1)', [FULFILMENT_LOCK_KEY]);
    await other.query('DELETE FROM meeting WHERE slug = $1', [target]);
    const write = post(PATCH, {
      slug: writer,
      version: await versionOf(writer),
      patch: { related: [{ slug: target, relation: 'IMPLEMENTS_OUTCOME_OF' }] },
    });
    // The write checked the target (still there for it) and now waits to write its relations.
    await someoneWaitsForFulfilments();
    await other.query('COMMIT');
    const { status, body } = await write;
    expect(status).toBeLessThan(500);
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', invalidFields: [{ path: 'input.related[0].slug' }] });
    expect(await versionOf(writer)).toBe(1);
  });

  test('deleting a meeting while another write links to it is refused, and the link stays', async () => {
    const [linking, target] = ['2031-06-03-race-linking', '2031-06-04-race-target'];
    await importEngagements(db.prisma, toJsonl([fixtureRecord({ ...base, id: linking }), fixtureRecord({ ...base, id: target })]));
    const [from, to] = await Promise.all([linking, target].map((slug) => db.prisma.meeting.findUniqueOrThrow({ where: { slug } })));
    // Another transaction has written a relation to the target (under the fulfilment lock, as writeRecords does) and not committed.
    await other.query('BEGIN');
    await other.query('SELECT pg_advisory_xact_lock($1)', [FULFILMENT_LOCK_KEY]);
    await other.query(`INSERT INTO meeting_relation (from_meeting_id, to_meeting_id, relation) VALUES ($1, $2, 'IMPLEMENTS_OUTCOME_OF')`, [
      from.id,
      to.id,
    ]);
    const deletion = post(DELETE, { slug: target, version: to.version });
    await someoneWaitsForFulfilments();
    await other.query('COMMIT');
    const { status, body } = await deletion;
    expect(status).toBeLessThan(500);
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'slug' });
    expect(await db.prisma.meetingRelationLink.count({ where: { fromMeetingId: from.id, toMeetingId: to.id } })).toBe(1);
  });

  test('two imports creating the same new records at once both succeed', async () => {
    const records = ['2031-07-01-race-import-a', '2031-07-02-race-import-b', '2031-07-03-race-import-c'].map((id) =>
      fixtureRecord({
        ...base,
        id,
        participants: [{ name: `Fixture Newcomer ${id}`, role: null, organization: `Fixture Office ${id}`, side: 'US' }] as ReturnType<
          typeof fixtureRecord
        >['participants'],
      }),
    );
    const reports = await Promise.all([
      importEngagements(db.prisma, toJsonl(records)),
      importEngagements(db.prisma, toJsonl([...records].reverse())),
    ]);
    expect(reports.map((r) => r.errors)).toEqual([[], []]);
    expect(reports.reduce((n, r) => n + r.created, 0)).toBe(records.length);
    expect(await db.prisma.meeting.count({ where: { slug: { startsWith: '2031-07-0' } } })).toBe(records.length);
  });
});

describe('writeTransaction', () => {
  test('runs a transaction again after a serialization failure', async () => {
    let attempts = 0;
    const result = await writeTransaction(db.prisma, async (tx) => {
      attempts += 1;
      if (attempts === 1) await tx.$executeRaw`DO $$ BEGIN RAISE EXCEPTION 'staged' USING ERRCODE = 'serialization_failure'; END $$`;
      return attempts;
    });
    expect(result).toBe(2);
  });

  test('runs the loser of a deadlock again; both writes succeed', async () => {
    const trips = await Promise.all(['deadlock-a', 'deadlock-b'].map((key) => db.prisma.trip.create({ data: { key } })));
    let arrived = 0;
    let release!: () => void;
    const bothHoldTheirFirstRow = new Promise<void>((resolve) => (release = resolve));
    let attempts = 0;
    const lockInOrder = (first: number, second: number) =>
      writeTransaction(db.prisma, async (tx) => {
        attempts += 1;
        await tx.$executeRaw`UPDATE trip SET key = key WHERE id = ${first}`;
        if (++arrived === 2) release();
        await bothHoldTheirFirstRow;
        await tx.$executeRaw`UPDATE trip SET key = key WHERE id = ${second}`;
      });
    await Promise.all([lockInOrder(trips[0].id, trips[1].id), lockInOrder(trips[1].id, trips[0].id)]);
    expect(attempts).toBe(3);
  });

  test('never runs again what the callback refused, nor a unique violation', async () => {
    let attempts = 0;
    await expect(
      writeTransaction(db.prisma, async () => {
        attempts += 1;
        throw conflict('stale');
      }),
    ).rejects.toThrow('stale');
    const duplicate = await writeTransaction(db.prisma, async (tx) => {
      attempts += 1;
      await tx.$executeRaw`INSERT INTO trip (key) VALUES ('deadlock-a')`;
    }).catch((error: unknown) => error);
    expect(isUniqueViolation(duplicate)).toBe(true);
    expect(attempts).toBe(2);
  });
});
