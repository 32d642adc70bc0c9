#!/usr/bin/env node
/**
 * Deterministic generator of synthetic engagements in the data set's JSONL format
 * (prisma/seed/README.md, src/modules/engagements/engagement.record.ts), for benchmarks.
 *
 *   node bench/generate.mjs --size 10000 [--seed 5] [--out bench/data/engagements-10000.jsonl] [--check]
 *
 * Everything comes from a seeded PRNG (sfc32), never Math.random, so the same size and seed
 * always give byte-identical files. Records are unmistakably synthetic: ids are
 * `YYYY-MM[-DD]-syn-<n>` with years 2101–2113, titles start with "Synthetic", sources point at
 * example.org and their publishers say "Synthetic".
 *
 * Proportions follow the 39 real records of prisma/seed/engagements.jsonl (counted when this was
 * written): channels per meeting 1–9 (mean 3.5), outcomes per meeting 0–7 (mean 2.6) with
 * statuses agreed 32% / discussed 27% / implemented 17% / planned 15% / suspended 8% /
 * declined 1%, participants 0–9 (mean 3.5; 12% unnamed delegations), hosts 0–2 (72% one),
 * sources 1–5 (mean 2.8), related links 0–3 (mean 0.9), 8% month-precision dates, 20% uncertain,
 * 8% part of a multi-meeting trip. People and organisations are drawn from pools that grow with
 * the size and are skewed (a few recur often, like leaders and foreign ministries).
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** sfc32 seeded through splitmix32: small, fast, well-distributed. */
export function prng(seed) {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const rng = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)],
    /** Weighted choice from [[value, weight], ...]. */
    weighted: (pairs) => {
      const total = pairs.reduce((sum, [, w]) => sum + w, 0);
      let r = next() * total;
      for (const [value, w] of pairs) {
        r -= w;
        if (r < 0) return value;
      }
      return pairs[pairs.length - 1][0];
    },
    /** Skewed index in [0, n): low indexes come up far more often (u^3). */
    skewed: (n) => Math.min(n - 1, Math.floor(n * next() ** 3)),
    /** `count` distinct values picked by weight. */
    distinct: (pairs, count) => {
      const left = [...pairs];
      const out = [];
      while (out.length < count && left.length) {
        const value = rng.weighted(left);
        out.push(value);
        left.splice(left.findIndex(([v]) => v === value), 1);
      }
      return out;
    },
  };
  return rng;
}

// Counts from the real data set (value, occurrences).
const CHANNELS_PER_MEETING = [[1, 8], [2, 7], [3, 8], [4, 3], [5, 4], [6, 2], [7, 2], [8, 2], [9, 3]];
const OUTCOMES_PER_MEETING = [[0, 1], [1, 10], [2, 13], [3, 5], [4, 4], [5, 2], [6, 2], [7, 2]];
const PARTICIPANTS_PER_MEETING = [[0, 1], [1, 1], [2, 17], [3, 5], [4, 4], [5, 3], [6, 4], [7, 1], [8, 2], [9, 1]];
const HOSTS_PER_MEETING = [[0, 5], [1, 28], [2, 6]];
const SOURCES_PER_MEETING = [[1, 3], [2, 7], [3, 24], [4, 3], [5, 2]];
const RELATED_PER_MEETING = [[0, 14], [1, 15], [2, 9], [3, 1]];
const STATUSES = [['agreed', 33], ['discussed', 28], ['implemented', 18], ['planned', 15], ['suspended', 8], ['declined', 1]];
const RELATIONS = [['implements_outcome_of', 16], ['follow_up_of', 7], ['same_series', 6], ['reverses', 5], ['same_trip', 2]];
const SIDES = [['US', 74], ['CN', 61], ['other', 2]];
const KINDS = [
  ['summit', 7], ['military_talks', 6], ['track_1_5_dialogue', 5], ['working_group', 5], ['ministerial_visit', 4],
  ['strategic_dialogue', 3], ['working_level_consultation', 2], ['state_visit', 1], ['joint_statement', 1],
  ['unilateral_announcement', 1], ['leader_call', 1], ['courtesy_call', 1], ['ministerial_talks', 1],
  ['track_2_dialogue', 1], ['signing_ceremony', 0.5],
];
// Channel popularity (meetings touching it); finance_macro has none in the real data.
const CHANNELS = [
  ['military', 18], ['regional_security', 17], ['climate', 16], ['strategic_diplomatic', 16], ['crisis_communication', 11],
  ['counternarcotics', 10], ['trade_economic', 9], ['arms_control_nonproliferation', 8], ['maritime_security', 8], ['ai', 7],
  ['people_to_people', 6], ['law_enforcement', 5], ['cyber', 4], ['human_rights', 3], ['migration_repatriation', 2],
  ['technology', 2], ['consular', 2], ['commerce_export_controls', 2], ['health', 1], ['finance_macro', 1],
];

/** Topics per channel: the words titles, outcomes and source titles are made of, so full-text search has realistic hits. */
const TOPICS = {
  military: ['defense policy coordination talks', 'theater commander telephone calls', 'military maritime consultative agreement', 'defense ministers meeting'],
  crisis_communication: ['military hotline', 'crisis communication mechanism', 'leader-level hotline', 'incident notification'],
  maritime_security: ['rules of behaviour for air and maritime encounters', 'South China Sea conduct', 'coast guard contacts'],
  arms_control_nonproliferation: ['North Korea denuclearisation', 'nuclear arms control consultations', 'Iran nonproliferation'],
  ai: ['AI risk and safety', 'military use of artificial intelligence', 'AI governance dialogue'],
  technology: ['science and technology cooperation agreement', 'semiconductor supply chains'],
  commerce_export_controls: ['export controls on advanced chips', 'entity list designations', 'investment screening'],
  trade_economic: ['tariff truce', 'market access for agriculture', 'trade working group'],
  finance_macro: ['currency and macroeconomic coordination', 'financial regulation working group'],
  climate: ['methane emissions', 'HFC phase-down', 'clean energy cooperation', 'joint climate statement'],
  counternarcotics: ['fentanyl precursor chemicals', 'fentanyl-related substances scheduling', 'counternarcotics working group'],
  law_enforcement: ['fugitive repatriation', 'money laundering cooperation', 'transnational crime'],
  migration_repatriation: ['repatriation of nationals without legal status', 'illegal migration flights'],
  cyber: ['cyber-enabled theft of trade secrets', 'cybersecurity working group'],
  health: ['pandemic preparedness', 'public health cooperation'],
  people_to_people: ['student exchanges', 'journalist visas', 'direct passenger flights'],
  consular: ['detained citizens', 'exit bans', 'consular access'],
  human_rights: ['Xinjiang and Tibet', 'Hong Kong freedoms', 'human rights dialogue'],
  regional_security: ['Taiwan Strait', 'Korean Peninsula', 'war in Ukraine', 'Middle East'],
  strategic_diplomatic: ['guardrails for the relationship', 'leader-level diplomacy', 'channels of communication'],
};
const OUTCOME_TEMPLATES = {
  agreed: ['Synthetic: agreed to resume {t}.', 'Synthetic: both sides agreed on {t}.', 'Synthetic: agreed to expand {t}.'],
  discussed: ['Synthetic: discussed {t}; positions remained divided.', 'Synthetic: raised {t} without agreement.'],
  implemented: ['Synthetic: carried out {t} as planned.', 'Synthetic: first round of {t} held.'],
  planned: ['Synthetic: planned another round of {t}.', 'Synthetic: said {t} would follow within months.'],
  suspended: ['Synthetic: suspended {t}.', 'Synthetic: one side halted {t}.'],
  declined: ['Synthetic: request for {t} was declined.'],
};
const KIND_LABELS = {
  summit: 'summit', state_visit: 'state visit', ministerial_visit: 'ministerial visit', ministerial_talks: 'ministerial talks',
  strategic_dialogue: 'strategic dialogue', leader_call: 'leader call', courtesy_call: 'courtesy call', military_talks: 'military talks',
  working_group: 'working group', working_level_consultation: 'working-level consultation', joint_statement: 'joint statement',
  signing_ceremony: 'signing ceremony', track_1_5_dialogue: 'Track 1.5 dialogue', track_2_dialogue: 'Track 2 dialogue',
  unilateral_announcement: 'unilateral announcement',
};
const PLACES = [
  ['Beijing', null, 'China', 'CN', 15], ['Washington', 'District of Columbia', 'United States', 'US', 8], ['San Francisco', 'California', 'United States', 'US', 4],
  ['Geneva', null, 'Switzerland', 'CH', 2], ['Shanghai', null, 'China', 'CN', 2], ['London', null, 'United Kingdom', 'GB', 1], ['Bali', null, 'Indonesia', 'ID', 1],
  ['Valletta', null, 'Malta', 'MT', 1], ['Lima', null, 'Peru', 'PE', 1], ['Seoul', null, 'South Korea', 'KR', 1], ['Buenos Aires', null, 'Argentina', 'AR', 1],
];
const VENUES = ['Diaoyutai State Guesthouse', 'Great Hall of the People', 'Filoli Estate', 'Harry S. Truman Building', 'Villa La Grange', 'Zhongnanhai'];
const FIRST = ['Alex', 'Wang', 'Jordan', 'Li', 'Morgan', 'Zhang', 'Casey', 'Chen', 'Taylor', 'Liu', 'Riley', 'Yang', 'Avery', 'Zhao', 'Quinn', 'Huang', 'Jamie', 'Zhou', 'Drew', 'Wu'];
const LAST = ['Harlow', 'Jian', 'Merritt', 'Wei', 'Ashby', 'Ming', 'Calder', 'Hua', 'Brennan', 'Lei', 'Dorsey', 'Tao', 'Ellison', 'Yun', 'Fairfax', 'Bo', 'Garrow', 'Kang', 'Hale', 'Rong'];
const ROLES_US = ['Secretary of State', 'National Security Advisor', 'Secretary of Defense', 'Deputy Assistant Secretary', 'Special Envoy', 'Ambassador', 'Senior Director', 'Commander'];
const ROLES_CN = ['Foreign Minister', 'Director of the Foreign Affairs Commission Office', 'Minister of National Defense', 'Vice Foreign Minister', 'Special Representative', 'Ambassador', 'Director-General', 'Theater Commander'];
const ORG_STEMS_US = ['Department of State', 'Department of Defense', 'National Security Council', 'Department of the Treasury', 'Institute for Peace Studies', 'Council on Strategic Affairs'];
const ORG_STEMS_CN = ['Ministry of Foreign Affairs', 'Ministry of National Defense', 'Central Military Commission', 'Ministry of Public Security', 'Institutes of International Relations', 'Academy of Social Sciences'];
const PUBLISHERS = ['Synthetic Wire Service', 'Synthetic Daily', 'Synthetic Policy Review', 'Synthetic Readout Office', 'Synthetic Broadcasting'];
const UNCERTAINTY = [
  'Synthetic: the date is inferred from reports published the following day.',
  'Synthetic: the two sides\' readouts differ on what was agreed.',
  'Synthetic: only one source reports the meeting.',
];

const START = Date.UTC(2101, 0, 1);
const END = Date.UTC(2113, 11, 31);
const DAY_MS = 86_400_000;
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);

function personName(k) {
  const base = `${FIRST[k % FIRST.length]} ${LAST[Math.floor(k / FIRST.length) % LAST.length]}`;
  const round = Math.floor(k / (FIRST.length * LAST.length));
  return round === 0 ? `Synthetic ${base}` : `Synthetic ${base} ${round + 1}`;
}
function orgName(k, side) {
  const stems = side === 'CN' ? ORG_STEMS_CN : ORG_STEMS_US;
  const round = Math.floor(k / stems.length);
  const prefix = side === 'CN' ? 'Synthetic PRC' : side === 'US' ? 'Synthetic US' : 'Synthetic Intl';
  return `${prefix} ${stems[k % stems.length]}${round === 0 ? '' : ` Office ${round + 1}`}`;
}

/** Yields `size` records in chronological order; related links only point at earlier records. */
export function* generate(size, seed = 5) {
  const rng = prng(seed ^ Math.imul(size, 2654435761));
  const span = (END - START) / DAY_MS;
  // Pools grow with the data set: about 1.8 named people per 1 meeting in the real data, but
  // they recur, so 0.35 per meeting here; organisations 0.08 per meeting (at least 40 each).
  const peoplePool = Math.max(60, Math.round(size * 0.35));
  const orgPool = Math.max(40, Math.round(size * 0.08));
  const ids = [];
  let trip = null;
  let tripCount = 0;
  for (let i = 0; i < size; i++) {
    const dayOffset = Math.floor(((i + rng.next()) * span) / size);
    const startMs = START + dayOffset * DAY_MS;
    const monthPrecision = rng.chance(3 / 39);
    const kind = rng.weighted(KINDS);
    const track = kind === 'track_1_5_dialogue' ? '1.5' : kind === 'track_2_dialogue' ? '2' : '1';
    let mode = 'in_person';
    if (kind === 'leader_call') mode = rng.chance(0.5) ? 'phone' : 'video';
    else if (kind === 'joint_statement' || kind === 'unilateral_announcement') mode = 'statement';
    else if (rng.chance(0.06)) mode = 'video';
    const remote = mode === 'phone' || mode === 'video';
    const place = remote ? null : rng.weighted(PLACES.map((p) => [p, p[4]]));

    const nChannels = rng.weighted(CHANNELS_PER_MEETING);
    const channels = rng.distinct(CHANNELS, nChannels);
    const nOutcomes = rng.weighted(OUTCOMES_PER_MEETING);
    const outcomes = Array.from({ length: nOutcomes }, (_, k) => {
      // Mostly on the first channels, as in the real records.
      const channel = channels[k < channels.length && rng.chance(0.7) ? k : rng.int(0, channels.length - 1)];
      const status = rng.weighted(STATUSES);
      const outcome = {
        channel,
        description: rng.pick(OUTCOME_TEMPLATES[status]).replace('{t}', rng.pick(TOPICS[channel])),
        status,
      };
      if (rng.chance(23 / 103)) {
        // Some notes cite an earlier meeting by id, which the importer's fulfilment rule picks up.
        outcome.note = ids.length && rng.chance(0.25) ? `Synthetic note: carried out later (see ${ids[rng.int(Math.max(0, ids.length - 200), ids.length - 1)]}).` : 'Synthetic note: as reported by one side only.';
      }
      return outcome;
    });

    const nParticipants = rng.weighted(PARTICIPANTS_PER_MEETING);
    const participants = Array.from({ length: nParticipants }, () => {
      const side = rng.weighted(SIDES);
      const roles = side === 'CN' ? ROLES_CN : ROLES_US;
      if (rng.chance(16 / 137)) {
        const p = {
          name: null,
          role: rng.chance(0.9) ? `Synthetic delegation of ${rng.pick(roles).toLowerCase()} staff` : null,
          organization: orgName(rng.skewed(orgPool), side),
          side,
          delegation: `Synthetic ${side === 'CN' ? 'Chinese' : side === 'US' ? 'US' : 'third-country'} delegation of officials`,
        };
        if (rng.chance(0.25)) p.headcount = rng.int(3, 40);
        return p;
      }
      const p = {
        name: personName(rng.skewed(peoplePool)),
        role: rng.chance(133 / 137) ? rng.pick(roles) : null,
        organization: rng.chance(136 / 137) ? orgName(rng.skewed(orgPool), side) : null,
        side,
      };
      if (rng.chance(2 / 137)) p.note = 'Synthetic: attended part of the meeting.';
      return p;
    });
    // Participants are listed once per person, as in real records.
    const seenPeople = new Set();
    const uniqueParticipants = participants.filter((p) => p.name === null || (!seenPeople.has(p.name) && seenPeople.add(p.name)));

    const nHosts = rng.weighted(HOSTS_PER_MEETING);
    const hosts = [];
    for (let h = 0; h < nHosts; h++) {
      const name = orgName(rng.skewed(orgPool), h === 0 ? (place?.[3] === 'CN' ? 'CN' : 'US') : rng.pick(['US', 'CN']));
      if (!hosts.includes(name)) hosts.push(name);
    }

    const topic = rng.pick(TOPICS[channels[0]]);
    const nSources = rng.weighted(SOURCES_PER_MEETING);
    const sources = Array.from({ length: nSources }, (_, k) => {
      const s = {
        publisher: rng.pick(PUBLISHERS),
        title: `Synthetic report ${k + 1}: ${topic}${place ? ` in ${place[0]}` : ''}`,
        url: rng.chance(107 / 111) ? `https://example.org/synthetic/${i}/${k}` : null,
        publishedDate: rng.chance(97 / 111) ? iso(startMs + rng.int(0, 3) * DAY_MS) : null,
      };
      if (rng.chance(11 / 111)) s.note = 'Synthetic: paywalled; summary from an abstract.';
      return s;
    });

    let startDate, endDate, datePrecision, slugDate;
    if (monthPrecision) {
      datePrecision = 'month';
      startDate = endDate = slugDate = iso(startMs).slice(0, 7);
    } else {
      datePrecision = 'day';
      startDate = slugDate = iso(startMs);
      endDate = iso(startMs + (rng.chance(18 / 39) ? rng.int(1, 3) : 0) * DAY_MS);
    }
    const id = `${slugDate}-syn-${i}`;

    const nRelated = Math.min(ids.length, rng.weighted(RELATED_PER_MEETING));
    const related = [];
    for (let r = 0; r < nRelated; r++) {
      const target = ids[rng.int(Math.max(0, ids.length - 200), ids.length - 1)];
      const relation = rng.weighted(RELATIONS);
      if (!related.some((l) => l.id === target && l.relation === relation)) related.push({ id: target, relation });
    }

    // Trips: runs of 2–4 consecutive meetings sharing a parent key (8% of meetings).
    if (trip && trip.left === 0) trip = null;
    if (!trip && rng.chance(0.03)) trip = { key: `syn-trip-${tripCount++}`, left: rng.int(2, 4) };
    const parent = trip ? trip.key : null;
    if (trip) trip.left -= 1;

    const uncertain = rng.chance(8 / 39);
    const record = {
      id,
      title: `Synthetic ${KIND_LABELS[kind]} on ${topic} #${i}`,
      startDate,
      endDate,
      datePrecision,
      kind,
      track,
      mode,
      city: place ? place[0] : null,
      region: place ? place[1] : null,
      country: place ? place[2] : null,
      countryCode: place ? place[3] : null,
      venue: place && rng.chance(14 / 38) ? `Synthetic ${rng.pick(VENUES)}` : null,
      hosts,
      participants: uniqueParticipants,
      channels,
      outcomes,
      sources,
      parent,
      related,
      uncertain,
      uncertaintyNotes: uncertain || rng.chance(6 / 31) ? rng.pick(UNCERTAINTY) : null,
    };
    ids.push(id);
    yield record;
  }
}

export function defaultFile(size) {
  return path.join(here, 'data', `engagements-${size}.jsonl`);
}

/** Writes the file; returns its path. */
export async function writeFile(size, file = defaultFile(size), seed = 5) {
  mkdirSync(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  let buffer = '';
  for (const record of generate(size, seed)) {
    buffer += JSON.stringify(record) + '\n';
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise((resolve) => out.once('drain', resolve));
      buffer = '';
    }
  }
  out.write(buffer);
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  return file;
}

function args(argv) {
  const get = (name, fallback) => {
    const i = argv.indexOf(`--${name}`);
    return i === -1 ? fallback : argv[i + 1];
  };
  return { size: Number(get('size', '1000')), seed: Number(get('seed', '5')), out: get('out', null), check: argv.includes('--check') };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { size, seed, out, check } = args(process.argv.slice(2));
  const started = performance.now();
  const file = await writeFile(size, out ?? defaultFile(size), seed);
  process.stderr.write(`wrote ${size} synthetic engagements to ${path.relative(process.cwd(), file)} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  if (check) {
    // Shape validation with the importer's own parser (references are checked at import).
    const { createRequire } = await import('node:module');
    const { readFileSync } = await import('node:fs');
    const require = createRequire(import.meta.url);
    const { parseEngagements } = require('../dist/src/modules/engagements/engagement-import.service.js');
    const { records, errors } = parseEngagements(readFileSync(file, 'utf8'));
    process.stderr.write(`importer validation: ${records.length} valid, ${errors.length} errors\n`);
    for (const e of errors.slice(0, 10)) process.stderr.write(`  line ${e.line} ${e.field}: ${e.message}\n`);
    if (errors.length) process.exit(1);
  }
}
