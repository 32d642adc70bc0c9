/**
 * Relevance search over meetings, outcomes, people and organisations in one SQL statement:
 * PostgreSQL full-text search with English stemming ("fentanyl" finds "fentanyl-related"
 * outcomes), plus trigram similarity on names so that misspellings ("Blinkin") still find
 * people and organisations.
 *
 * Every kind is found through a GIN index (README, "Which filters are index-backed"):
 * - meetings by their stored `search_vector`, which writeRecords keeps current with
 *   meeting_search_vector() (migration meeting_search_vector);
 * - outcomes by the expression indexed in the search migration (OUTCOME_DOC must stay identical);
 * - people and organisations by trigram and full-text indexes on their names, and people also
 *   by a full-text index on participation roles.
 * The statement ranks all hits, counts them, and makes snippets (ts_headline, the costly part)
 * for the page's hits only, from text assembled for those hits only.
 */
import { Prisma } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { badUserInput } from '../../common/errors';
import {
  encodeCursor,
  keysetSql,
  orderBySql,
  pageRequest,
  toConnection,
  type Connection,
  type ForwardPageArgs,
  type PageRequest,
  type SqlSortKey,
} from '../../common/pagination';
import type { MeetingFilter } from '../filters/filters.input';
import { Aliases, meetingFilterSql } from '../filters/filter.sql';
import { SearchKind } from './search.types';
import { alias, fragment, identifier, rowLimit, type Sql } from '../../db/sql';

type Deps = Pick<Context, 'prisma' | 'loaders'>;

export interface SearchRow {
  kind: SearchKind;
  id: number;
  score: number;
  snippet: string;
}

/**
 * Names need more than this trigram word similarity to count as a (misspelt) match: "Blinkin" scores
 * 0.625 against "Antony Blinken", while "military hotline" scores 0.53 against "Central Military
 * Commission", which a lower bar would let through on the one shared word. The trigram indexes
 * find candidates with `%>`, which uses pg_trgm.word_similarity_threshold (default 0.6): that
 * setting must not be raised above this value.
 */
const NAME_SIMILARITY = 0.6;
const HEADLINE = 'StartSel=<b>, StopSel=</b>, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "';
const OUTCOME_DOC = fragment`(setweight(to_tsvector('english', o.description), 'A') || setweight(to_tsvector('english', coalesce(o.note, '')), 'B'))`;
const rolesOf = (personId: Prisma.Sql) =>
  Prisma.sql`(SELECT string_agg(DISTINCT p.role, '; ') FROM participation p WHERE p.person_id = ${personId})`;

/**
 * One kind of hit: its rows (kind, id, score), the text its snippet is cut from (for `page.id`),
 * and any common table expressions `hits` reads.
 */
interface KindSql {
  ctes?: Prisma.Sql;
  hits: Prisma.Sql;
  text: Prisma.Sql;
}

export type SearchArgs = Partial<ForwardPageArgs> & { query: string; filter?: MeetingFilter | null; kinds?: SearchKind[] | null };

export async function search(deps: Deps, args: SearchArgs): Promise<Connection<SearchRow>> {
  const statement = await searchStatement(deps, args);
  const rows = await deps.prisma.$queryRaw<(SearchRow & { total: number })[]>`${statement.prefix}
    SELECT page.kind, page.id, page.score, page.snippet, total.n AS total
    FROM (${statement.count}) total LEFT JOIN (${statement.rows}) page ON TRUE
    ORDER BY ${orderBySql(statement.keys, false)}`;
  const total = rows[0]?.total ?? 0;
  const hits = rows.filter((row) => row.id !== null);
  return toConnection(
    hits,
    statement.page,
    (row) => encodeCursor(statement.signature, [row.score, row.kind, row.id]),
    async () => total,
  );
}

/** A search as SQL, for execution (search) and for the planner (search.shape.ts). */
export interface SearchStatement {
  page: PageRequest;
  signature: string;
  /** Sort keys on the page's rows (score, kind, id). */
  keys: SqlSortKey[];
  /** `WITH … hits AS (…), ranked AS (…)`: every hit, ranked; the other parts read `ranked`. */
  prefix: Sql;
  /** Under `prefix`: the page's candidate rows (kind, id, score, snippet; LIMIT take + 1). */
  rows: Sql;
  /** Under `prefix`: `SELECT count(*)::int AS n FROM ranked`. */
  count: Sql;
}

export async function searchStatement(deps: Pick<Context, 'loaders'>, args: SearchArgs): Promise<SearchStatement> {
  const query = args.query.trim();
  if (!query) throw badUserInput('query', 'must contain at least one word');
  if (query.length > 200) throw badUserInput('query', 'must be at most 200 characters');
  const signature = `search:${query}`;
  const keys: SqlSortKey[] = [
    { column: identifier('score'), desc: true, type: 'float8' },
    { column: identifier('kind'), desc: false, type: 'text' },
    { column: identifier('id'), desc: false, type: 'int' },
  ];
  const page = pageRequest(args, signature, keys.length);
  const kinds = args.kinds ?? Object.values(SearchKind);
  if (kinds.length === 0) throw badUserInput('kinds', 'must name at least one kind');

  // The query is repeated rather than read from a CTE so that, as a constant once the statement's
  // parameters are bound, the planner can match it against the GIN indexes and estimate its rows.
  const tsq = Prisma.sql`websearch_to_tsquery('english', ${query})`;
  const raw = Prisma.sql`${query}::text`;
  const anyWord = Prisma.sql`regexp_replace(${tsq}::text, ' (&|<->|<[0-9]+>) ', ' | ', 'g')::tsquery`;
  const negated = Prisma.sql`(strpos(${tsq}::text, '!') > 0)`;
  // An organisation is found by its name or by any of its aliases (organization_alias), and scored by the best of them.
  const nameMatches = (name: Prisma.Sql) =>
    Prisma.sql`((${name} %> ${raw} AND word_similarity(${raw}, ${name}) > ${NAME_SIMILARITY}) OR to_tsvector('english', ${name}) @@ ${tsq})`;
  const nameScore = (name: Prisma.Sql) =>
    Prisma.sql`GREATEST(word_similarity(${raw}, ${name}), ts_rank_cd(to_tsvector('english', ${name}), ${tsq}, 32))`;

  // Meetings in scope of the filter; outcomes, people and organisations count when linked to one.
  const scoped = args.filter != null;
  const aliases = new Aliases();
  const meetingScope = await meetingFilterSql(deps, args.filter, alias('m'), aliases, 'filter');
  const scope = await meetingFilterSql(deps, args.filter, alias('sm'), aliases, 'filter');
  const inScope = (meetingId: Prisma.Sql) =>
    scoped ? Prisma.sql`EXISTS (SELECT 1 FROM meeting sm WHERE sm.id = ${meetingId} AND ${scope})` : Prisma.sql`TRUE`;

  const parts: Record<SearchKind, () => KindSql> = {
    [SearchKind.MEETING]: () => ({
      hits: Prisma.sql`
        SELECT 'MEETING' AS kind, m.id, ts_rank_cd(m.search_vector, ${tsq}, 32) AS score
        FROM meeting m
        WHERE m.search_vector @@ ${tsq} AND ${meetingScope}`,
      text: Prisma.sql`(SELECT m.title || ' — ' || concat_ws(' ', m.summary, m.venue, m.city, meeting_search_related_text(m.id), m.uncertainty_notes)
        FROM meeting m WHERE m.id = page.id)`,
    }),
    // Matched through the index before the filter applies, whatever the planner estimates: an
    // outcome's vector is computed, not stored, so starting from a filter whose selectivity is
    // overestimated would compute it for every outcome of every meeting in scope.
    [SearchKind.OUTCOME]: () => ({
      ctes: Prisma.sql`outcome_match AS MATERIALIZED (
        SELECT o.id, o.meeting_id, o.description, o.note FROM outcome o WHERE ${OUTCOME_DOC} @@ ${tsq})`,
      hits: Prisma.sql`
        SELECT 'OUTCOME' AS kind, o.id, ts_rank_cd(${OUTCOME_DOC}, ${tsq}, 32) AS score
        FROM outcome_match o
        WHERE ${inScope(Prisma.sql`o.meeting_id`)}`,
      text: Prisma.sql`(SELECT o.description || coalesce(' — ' || o.note, '') FROM outcome o WHERE o.id = page.id)`,
    }),
    // A person's document is their name and the roles they held, across rows of two tables, so
    // no index holds it. The indexes find a superset instead — names similar to the query, and
    // people whose name or a role shares a word with it (the query with every operator turned
    // into OR) — and the exact test runs on those only. A query that needs no word present to
    // match (one with a -negation) makes every person a candidate. The roles are read by
    // candidate.id, not pe.id, so that the test refers to both sides of the join: PostgreSQL then
    // runs it on the joined rows rather than on every person while scanning the table.
    [SearchKind.PERSON]: () => ({
      hits: Prisma.sql`
        SELECT 'PERSON' AS kind, pe.id,
               GREATEST(word_similarity(${raw}, pe.name), ts_rank_cd(d.doc, ${tsq}, 32)) AS score
        FROM (
          SELECT c.id FROM person c WHERE c.name %> ${raw}
          UNION SELECT c.id FROM person c WHERE NOT ${negated} AND to_tsvector('english', c.name) @@ ${anyWord}
          UNION SELECT p.person_id FROM participation p WHERE NOT ${negated} AND to_tsvector('english', coalesce(p.role, '')) @@ ${anyWord}
          UNION SELECT c.id FROM person c WHERE ${negated}
        ) candidate
        JOIN person pe ON pe.id = candidate.id
        CROSS JOIN LATERAL (SELECT to_tsvector('english', pe.name || ' ' || coalesce(${rolesOf(Prisma.sql`candidate.id`)}, '')) AS doc) d
        WHERE (word_similarity(${raw}, pe.name) > ${NAME_SIMILARITY} OR d.doc @@ ${tsq})
          AND ${scoped ? Prisma.sql`EXISTS (SELECT 1 FROM participation sp WHERE sp.person_id = pe.id AND ${inScope(Prisma.sql`sp.meeting_id`)})` : Prisma.sql`TRUE`}`,
      text: Prisma.sql`(SELECT pe.name || coalesce(' — ' || ${rolesOf(Prisma.sql`pe.id`)}, '') FROM person pe WHERE pe.id = page.id)`,
    }),
    [SearchKind.ORGANIZATION]: () => ({
      hits: Prisma.sql`
        SELECT 'ORGANIZATION' AS kind, org.id, GREATEST(${nameScore(Prisma.sql`org.name`)}, coalesce(
                 (SELECT max(${nameScore(Prisma.sql`a.name`)}) FROM organization_alias a WHERE a.organization_id = org.id), 0)) AS score
        FROM (
          SELECT c.id FROM organization c WHERE ${nameMatches(Prisma.sql`c.name`)}
          UNION SELECT a.organization_id FROM organization_alias a WHERE ${nameMatches(Prisma.sql`a.name`)}
        ) candidate
        JOIN organization org ON org.id = candidate.id
        WHERE TRUE
          AND ${
            scoped
              ? Prisma.sql`(EXISTS (SELECT 1 FROM host sh WHERE sh.organization_id = org.id AND ${inScope(Prisma.sql`sh.meeting_id`)})
                  OR EXISTS (SELECT 1 FROM participation sp WHERE sp.organization_id = org.id AND ${inScope(Prisma.sql`sp.meeting_id`)}))`
              : Prisma.sql`TRUE`
          }`,
      text: Prisma.sql`(SELECT org.name FROM organization org WHERE org.id = page.id)`,
    }),
  };
  const selected = [...new Set(kinds)].map((kind) => ({ kind, ...parts[kind]() }));
  const ctes = selected.flatMap((part) => (part.ctes ? [part.ctes] : []));

  // `ranked` is read twice (the page and the count), so PostgreSQL computes it once. Snippets
  // (ts_headline, the costly part) are made for the page's rows only.
  const after = page.cursor ? Prisma.sql`WHERE ${keysetSql(keys, page.cursor, false)}` : Prisma.empty;
  const order = orderBySql(keys, false);
  const prefix = Prisma.sql`WITH ${ctes.length ? Prisma.sql`${Prisma.join(ctes)},` : Prisma.empty} hits AS (${Prisma.join(
    selected.map((part) => part.hits),
    ' UNION ALL ',
  )}),
    ranked AS (SELECT kind, id, round(score::numeric, 6)::float8 AS score FROM hits)`;
  const rows = Prisma.sql`SELECT page.kind, page.id, page.score,
      ts_headline('english', CASE page.kind ${Prisma.join(
        selected.map((part) => Prisma.sql`WHEN ${part.kind} THEN ${part.text}`),
        ' ',
      )} END, ${tsq}, ${HEADLINE}) AS snippet
    FROM (SELECT * FROM ranked ${after} ORDER BY ${order} LIMIT ${rowLimit(page.take + 1)}) page`;
  return { page, signature, keys, prefix, rows, count: Prisma.sql`SELECT count(*)::int AS n FROM ranked` };
}
