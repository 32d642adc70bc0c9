/**
 * Fulfilments are maintained per write, for the meetings it wrote: after any sequence of edits
 * the table must equal a full recomputation (computeFulfilments, the definition applied to the
 * whole database) and an independent evaluation of the records in JavaScript.
 */
import { createApiKey } from '../src/modules/auth/api-key.service';
import { deleteMeeting, updateMeeting } from '../src/modules/curation/curation.service';
import type { MeetingPatch } from '../src/modules/curation/meeting.input';
import { exportEngagements } from '../src/modules/engagements/engagement-export.service';
import { importEngagements } from '../src/modules/engagements/engagement-import.service';
import { parseEngagements } from '../src/modules/engagements/engagement.parser';
import type { EngagementRecord } from '../src/modules/engagements/engagement.record';
import { computeFulfilments } from '../src/modules/engagements/fulfilment.service';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { fixtureRecord, toJsonl } from './fixtures/records';

let db: TestDatabase;
let deps: Parameters<typeof updateMeeting>[0];
beforeAll(async () => {
  db = await createTestDatabase();
  const { apiKey } = await createApiKey(db.prisma, 'fulfilment editor', 'EDITOR');
  deps = { prisma: db.prisma, caller: { kind: 'key', id: apiKey.id, name: apiKey.name, role: apiKey.role } };
});
afterAll(() => db.drop());

/** The table as stored, by ids, in computeFulfilments' order. */
const stored = () =>
  db.prisma.$queryRaw<{ outcome_id: number; meeting_id: number; basis: string }[]>`SELECT outcome_id, meeting_id, basis::text AS basis
    FROM outcome_fulfilment ORDER BY outcome_id, meeting_id`;

/** The table as stored, named: "meeting#outcome position <- fulfilling meeting (basis)". */
async function storedByName(): Promise<string[]> {
  const rows = await db.prisma.$queryRaw<
    { line: string }[]
  >`SELECT om.slug || '#' || o.position || ' <- ' || m.slug || ' (' || f.basis || ')' AS line
    FROM outcome_fulfilment f JOIN outcome o ON o.id = f.outcome_id JOIN meeting om ON om.id = o.meeting_id JOIN meeting m ON m.id = f.meeting_id`;
  return rows.map((r) => r.line).sort();
}

/**
 * The definition evaluated over the records themselves: a planned or agreed outcome of A is
 * fulfilled by B when B implements_outcome_of A and lists the outcome's channel (RELATION), or
 * when its note cites B's id and B starts on or after A, B not being A (NOTE); RELATION wins.
 */
function oracle(records: EngagementRecord[]): string[] {
  const byId = new Map(records.map((r) => [r.id, r]));
  const day = (date: string) => (date.length === 7 ? `${date}-01` : date);
  const lines = new Map<string, string>();
  for (const a of records) {
    a.outcomes.forEach((outcome, position) => {
      if (outcome.status !== 'planned' && outcome.status !== 'agreed') return;
      const key = (b: string) => `${a.id}#${position} <- ${b}`;
      for (const b of records) {
        if (b.related.some((l) => l.id === a.id && l.relation === 'implements_outcome_of') && b.channels.includes(outcome.channel)) {
          lines.set(key(b.id), `${key(b.id)} (RELATION)`);
        }
      }
      for (const [, slug] of (outcome.note ?? '').matchAll(/\b(\d{4}-\d{2}(?:-\d{2})?-[a-z0-9-]*[a-z0-9])/g)) {
        const b = byId.get(slug);
        if (b && b.id !== a.id && day(b.startDate) >= day(a.startDate) && !lines.has(key(b.id)))
          lines.set(key(b.id), `${key(b.id)} (NOTE)`);
      }
    });
  }
  return [...lines.values()].sort();
}

async function expectConsistent(): Promise<string[]> {
  expect(await stored()).toEqual(await computeFulfilments(db.prisma));
  const named = await storedByName();
  const records = parseEngagements(await exportEngagements(db.prisma)).records.map((r) => r.record);
  expect(named).toEqual(oracle(records));
  return named;
}

const A = '2030-05-01-fixture-a';
const B = '2030-05-20-fixture-b';
const C = '2030-06-01-fixture-c';

const recordA = fixtureRecord({
  id: A,
  startDate: '2030-05-01',
  endDate: null,
  channels: ['military', 'climate'],
  outcomes: [
    { channel: 'military', description: 'Fixture: talks planned.', status: 'planned', note: `Held: see ${C}.` },
    { channel: 'climate', description: 'Fixture: working group agreed.', status: 'agreed', note: null },
    { channel: 'military', description: 'Fixture: done already.', status: 'implemented', note: `see ${C}` },
  ] as ReturnType<typeof fixtureRecord>['outcomes'],
});
const recordB = fixtureRecord({
  id: B,
  startDate: '2030-05-20',
  endDate: null,
  channels: ['military'],
  outcomes: [],
  related: [{ id: A, relation: 'implements_outcome_of' }],
});
const recordC = fixtureRecord({
  id: C,
  startDate: '2030-06-01',
  endDate: null,
  channels: ['climate'],
  outcomes: [],
  related: [{ id: A, relation: 'implements_outcome_of' }],
});

async function version(slug: string): Promise<number> {
  return (await db.prisma.meeting.findUniqueOrThrow({ where: { slug }, select: { version: true } })).version;
}
async function patch(slug: string, changes: Record<string, unknown>): Promise<void> {
  await updateMeeting(deps, slug, await version(slug), changes as MeetingPatch);
}
const mine = (lines: string[]) => lines.filter((line) => line.includes('-fixture-'));

test('the seeded table equals a full recomputation', async () => {
  expect((await expectConsistent()).length).toBeGreaterThan(0);
});

test('per-meeting maintenance gives the full recomputation after every edit', async () => {
  expect(await importEngagements(db.prisma, toJsonl([recordA]))).toMatchObject({ created: 1, errors: [] });
  // A's note cites C, which does not exist yet.
  expect(mine(await expectConsistent())).toEqual([]);

  // C written: found as the meeting A's note cites, and as implementing A on climate.
  await importEngagements(db.prisma, toJsonl([recordC]));
  expect(mine(await expectConsistent())).toEqual([`${A}#0 <- ${C} (NOTE)`, `${A}#1 <- ${C} (RELATION)`]);

  await importEngagements(db.prisma, toJsonl([recordB]));
  expect(mine(await expectConsistent())).toEqual([`${A}#0 <- ${B} (RELATION)`, `${A}#0 <- ${C} (NOTE)`, `${A}#1 <- ${C} (RELATION)`]);

  // The outcome's own meeting changes: implemented outcomes need no fulfilment.
  const outcomes = recordA.outcomes.map((o) => ({ ...o, status: o.status.toUpperCase() }));
  await patch(A, { outcomes: [{ ...outcomes[0], status: 'IMPLEMENTED' }, ...outcomes.slice(1)] });
  expect(mine(await expectConsistent())).toEqual([`${A}#1 <- ${C} (RELATION)`]);

  // Back to planned, but A now starts after C: a note cites only later meetings.
  await patch(A, { outcomes, startDate: '2030-07-01' });
  expect(mine(await expectConsistent())).toEqual([`${A}#0 <- ${B} (RELATION)`, `${A}#1 <- ${C} (RELATION)`]);

  // The cited meeting moves later: only C is written, A's row comes back.
  await patch(C, { startDate: '2030-08-01' });
  expect(mine(await expectConsistent())).toEqual([`${A}#0 <- ${B} (RELATION)`, `${A}#0 <- ${C} (NOTE)`, `${A}#1 <- ${C} (RELATION)`]);

  // The implementing meeting changes channel.
  await patch(B, { channels: ['climate'] });
  expect(mine(await expectConsistent())).toEqual([`${A}#0 <- ${C} (NOTE)`, `${A}#1 <- ${B} (RELATION)`, `${A}#1 <- ${C} (RELATION)`]);

  await patch(C, { related: [] });
  expect(mine(await expectConsistent())).toEqual([`${A}#0 <- ${C} (NOTE)`, `${A}#1 <- ${B} (RELATION)`]);

  // Deleting a fulfilling meeting: the cascades take its rows.
  await deleteMeeting(deps, C, await version(C));
  expect(mine(await expectConsistent())).toEqual([`${A}#1 <- ${B} (RELATION)`]);

  // Several records in one write.
  const report = await importEngagements(
    db.prisma,
    toJsonl([
      { ...recordA, startDate: '2030-05-02' },
      { ...recordB, channels: ['military', 'climate'] },
      { ...recordC, related: [] },
    ]),
  );
  expect(report).toMatchObject({ created: 1, updated: 2, errors: [] });
  expect(mine(await expectConsistent())).toEqual([`${A}#0 <- ${B} (RELATION)`, `${A}#0 <- ${C} (NOTE)`, `${A}#1 <- ${B} (RELATION)`]);

  // A real record, which later meetings implement and whose notes cite others, moves a day earlier.
  const seeded = parseEngagements(await exportEngagements(db.prisma)).records.find((r) => r.record.id === '2023-11-15-woodside')!.record;
  await patch('2023-11-15-woodside', { title: `${seeded.title} (edited)`, startDate: '2023-11-14' });
  await expectConsistent();
});

test('writers editing different meetings at once all succeed, and leave the table right', async () => {
  const slugs = (
    await db.prisma.meeting.findMany({ where: { slug: { startsWith: '20' } }, select: { slug: true }, orderBy: { id: 'asc' }, take: 4 })
  ).map((m) => m.slug);
  const writers = slugs.map(async (slug, writer) => {
    const failures: unknown[] = [];
    for (let i = 0; i < 25; i += 1) {
      await patch(slug, { title: `Concurrent edit ${writer}.${i}` }).catch((error) => failures.push(error));
    }
    return failures;
  });
  expect((await Promise.all(writers)).flat()).toEqual([]);
  await expectConsistent();
});
