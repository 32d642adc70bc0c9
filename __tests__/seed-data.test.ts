/**
 * The data set, honest by construction: invariants of prisma/seed/engagements.jsonl checked on the
 * file itself (no database), beyond what the importer's schema refuses; the organisation list it
 * is written against; and the generated coverage section of the seed README.
 */
import { readFileSync } from 'node:fs';
import { slugify } from '../src/common/slug';
import { parseEngagements } from '../src/modules/engagements/engagement.parser';
import { ORGANIZATIONS_FILE, organizationListSchema } from '../src/modules/engagements/organization-aliases';
import { SEED_FILE } from '../src/paths';
import { README_FILE, coverageSection, readRecords, withCoverage } from '../scripts/data-coverage';

const text = readFileSync(SEED_FILE, 'utf8');
const records: any[] = text
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));
const byId = new Map(records.map((r) => [r.id, r]));

/** A record's period as [first day, last day]; a month-precision date spans its month. */
function period(r: any): [string, string] {
  const last = (value: string) => {
    if (value.length === 10) return value;
    const [y, m] = value.split('-').map(Number);
    return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  };
  return [r.startDate.length === 7 ? `${r.startDate}-01` : r.startDate, last(r.endDate ?? r.startDate)];
}

/** Problems found, as "id: message", so that a failure lists every offending record at once. */
function problems(check: (r: any, report: (message: string) => void) => void): string[] {
  const found: string[] = [];
  for (const r of records) check(r, (message) => found.push(`${r.id}: ${message}`));
  return found;
}

test('the importer accepts every line', () => {
  const { records: parsed, errors } = parseEngagements(text);
  expect(errors).toEqual([]);
  expect(parsed).toHaveLength(records.length);
});

test('at least 200 engagements, 2013 to 2025, one per line, in the export order', () => {
  expect(records.length).toBeGreaterThanOrEqual(200);
  expect(text.endsWith('\n')).toBe(true);
  for (const r of records) expect(r.startDate.slice(0, 4) >= '2013' && r.startDate.slice(0, 4) <= '2025').toBe(true);
  // The export's order (engagement-export.service.ts): last day of the start, of the end, then id.
  const key = (r: any) => `${period({ ...r, endDate: r.startDate })[1]} ${period(r)[1]} ${r.id}`;
  const keys = records.map(key);
  expect(keys).toEqual([...keys].sort());
});

test('every record has a source with a URL, or a note saying why it has none', () => {
  expect(
    problems((r, report) => {
      if (!r.sources.some((s: any) => s.url || s.note)) report('no source has a URL or a note');
      r.sources.forEach((s: any, i: number) => {
        if (!s.url && !s.note) report(`source ${i} (${s.publisher}) has neither a URL nor a note saying why`);
        if (!s.publisher?.trim()) report(`source ${i} has no publisher`);
      });
    }),
  ).toEqual([]);
});

test('dates are coherent: the id starts with the date, end ≥ start, and sources are not dated before the event unless they say why', () => {
  // A source dated before the event must announce or preview it, or explain its date, in its note.
  const explained = /announc|preview|before|ahead|background|schedul|advance|upcoming|earlier|time zone/i;
  expect(
    problems((r, report) => {
      if (!r.id.startsWith(r.startDate.slice(0, 7))) report(`id does not start with ${r.startDate.slice(0, 7)}`);
      const [first, last] = period(r);
      if (last < first) report('ends before it starts');
      r.sources.forEach((s: any, i: number) => {
        if (!s.publishedDate) return;
        const n = Math.min(s.publishedDate.length, first.length);
        if (s.publishedDate.slice(0, n) < first.slice(0, n) && !explained.test(s.note ?? '')) {
          report(`source ${i} is dated ${s.publishedDate}, before the event, and its note does not say it announces it`);
        }
      });
    }),
  ).toEqual([]);
});

test("every outcome's channel is among the record's channels, and its source indexes are valid", () => {
  expect(
    problems((r, report) => {
      r.outcomes.forEach((o: any, i: number) => {
        if (!r.channels.includes(o.channel)) report(`outcome ${i}'s channel ${o.channel} is not among the channels`);
        for (const index of o.sources ?? []) if (!(index >= 0 && index < r.sources.length)) report(`outcome ${i} cites source ${index}`);
        if (o.sources && new Set(o.sources).size !== o.sources.length) report(`outcome ${i} cites a source twice`);
        if (o.assertedBy && new Set(o.assertedBy).size !== o.assertedBy.length) report(`outcome ${i} lists an asserter twice`);
      });
    }),
  ).toEqual([]);
});

test('every outcome says who asserts it and cites the sources that do', () => {
  expect(
    problems((r, report) => {
      r.outcomes.forEach((o: any, i: number) => {
        if (!o.assertedBy?.length) report(`outcome ${i} has no assertedBy`);
        if (!o.sources?.length) report(`outcome ${i} cites no source`);
      });
    }),
  ).toEqual([]);
});

test('every related id resolves, and no record relates to itself', () => {
  expect(
    problems((r, report) => {
      for (const link of r.related) {
        if (!byId.has(link.id)) report(`related ${link.id} is not in the file`);
        if (link.id === r.id) report('relates to itself');
      }
    }),
  ).toEqual([]);
});

test('uncertain records say why', () => {
  expect(
    problems((r, report) => {
      if (r.uncertain && !r.uncertaintyNotes) report('uncertain without uncertaintyNotes');
    }),
  ).toEqual([]);
});

describe('no two records describe the same event, unless marked as parts of one trip', () => {
  const STOP = new Set([
    'the',
    'and',
    'of',
    'on',
    'in',
    'with',
    'at',
    'for',
    'to',
    'u.s.',
    'us',
    'china',
    'chinese',
    'talks',
    'meeting',
    'meets',
    'dialogue',
    'between',
  ]);
  const words = (title: string) =>
    new Set(
      title
        .toLowerCase()
        .split(/[^a-z0-9.]+/)
        .filter((w) => w.length > 2 && !STOP.has(w)),
    );
  const similarity = (a: Set<string>, b: Set<string>) => [...a].filter((w) => b.has(w)).length / (new Set([...a, ...b]).size || 1);
  const oneTrip = (a: any, b: any) =>
    (a.parent !== null && a.parent === b.parent) ||
    a.related.some((l: any) => l.id === b.id && l.relation === 'same_trip') ||
    b.related.some((l: any) => l.id === a.id && l.relation === 'same_trip');

  /** Pairs whose periods overlap and that share a named participant, with their title similarity. */
  function overlapping(): { a: any; b: any; common: string[]; similar: number }[] {
    const pairs = [];
    for (let i = 0; i < records.length; i += 1) {
      for (let j = i + 1; j < records.length; j += 1) {
        const [a, b] = [records[i], records[j]];
        const [as, ae] = period(a);
        const [bs, be] = period(b);
        if (as > be || bs > ae) continue;
        const names = new Set(a.participants.map((p: any) => p.name).filter(Boolean));
        const common = [...new Set<string>(b.participants.map((p: any) => p.name).filter((n: string | null) => n && names.has(n)))];
        if (common.length) pairs.push({ a, b, common, similar: similarity(words(a.title), words(b.title)) });
      }
    }
    return pairs;
  }

  test('same dates, overlapping participants and a similar title, or the same start and two people in common', () => {
    const duplicates = overlapping()
      .filter(({ a, b, common, similar }) => similar >= 0.2 || (a.startDate === b.startDate && common.length >= 2))
      .filter(({ a, b }) => !oneTrip(a, b))
      .map(({ a, b, common }) => `${a.id} ~ ${b.id} (${common.join(', ')})`);
    expect(duplicates).toEqual([]);
  });

  test('the check finds the trips the file does mark', () => {
    // A guard on the guard: without their same_trip links these pairs would be reported.
    const marked = overlapping()
      .filter(({ a, b }) => oneTrip(a, b))
      .map(({ a, b }) => `${a.id} ~ ${b.id}`);
    expect(marked).toEqual(
      expect.arrayContaining(['2013-06-pcac-5 ~ 2013-06-r2cp-2', '2024-08-29-sullivan-xi ~ 2024-08-29-sullivan-zhang-youxia']),
    );
  });
});

describe('organisations', () => {
  const list = organizationListSchema.parse(JSON.parse(readFileSync(ORGANIZATIONS_FILE, 'utf8')));
  const aliasOf = new Map(list.flatMap((entry) => entry.aliases.map((alias) => [slugify(alias), entry.name] as const)));

  test('the file names every organisation by its canonical name, so that an export reproduces it', () => {
    expect(
      problems((r, report) => {
        const names = [...r.hosts, ...r.participants.map((p: any) => p.organization).filter(Boolean)];
        for (const name of names) if (aliasOf.has(slugify(name))) report(`"${name}" is an alias of "${aliasOf.get(slugify(name))}"`);
      }),
    ).toEqual([]);
  });

  test('placeholders are not organisations', () => {
    expect(
      problems((r, report) => {
        for (const p of r.participants)
          if (p.organization && /^(various|not stated|unknown)\b/i.test(p.organization)) report(`organisation "${p.organization}"`);
      }),
    ).toEqual([]);
  });
});

test('the seed README: coverage generated from this file, and seed files named by file name only', () => {
  const readme = readFileSync(README_FILE, 'utf8');
  expect(withCoverage(readme, coverageSection(readRecords()))).toBe(readme);
  // A path of one machine means nothing on another.
  expect(readme).not.toMatch(/(^|[\s(`'"])\/(work|home|tmp|root|Users)\//m);
});
