/**
 * Relevance search over meetings, outcomes, people and organisations in one SQL statement:
 * PostgreSQL full-text search with English stemming ("fentanyl" finds "fentanyl-related"
 * outcomes), plus trigram similarity on names so that misspellings ("Blinkin") still find
 * people and organisations. The meeting and outcome vectors repeat the expressions indexed in
 * the search migration. Snippets (ts_headline, the costly part) are made for the page's hits only.
 */
import { Prisma } from '../../generated/prisma/client';
import type { Context } from '../../context';
import { badUserInput } from '../../common/errors';
import { encodeCursor, pageRequest, toConnection, type Connection, type ForwardPageArgs } from '../../common/pagination';
import type { MeetingFilter } from '../meetings/meeting-filter.input';
import { Aliases, meetingFilterSql } from '../stats/filter.sql';
import { SearchKind } from './search.types';

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
 * Commission", which a lower bar would let through on the one shared word.
 */
const NAME_SIMILARITY = 0.6;
const HEADLINE = 'StartSel=<b>, StopSel=</b>, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "';

export async function search(
  deps: Deps,
  args: Partial<ForwardPageArgs> & { query: string; filter?: MeetingFilter | null; kinds?: SearchKind[] | null },
): Promise<Connection<SearchRow>> {
  const query = args.query.trim();
  if (!query) throw badUserInput('query', 'must contain at least one word');
  if (query.length > 200) throw badUserInput('query', 'must be at most 200 characters');
  const signature = `search:${query}`;
  const page = pageRequest(args, signature, 3);
  const kinds = args.kinds ?? Object.values(SearchKind);

  // Meetings in scope of the filter; people and organisations count when linked to one of them.
  const scoped = args.filter != null;
  const scope = await meetingFilterSql(deps, args.filter, Prisma.raw('sm'), new Aliases(), 'filter');
  const inScope = (meetingId: Prisma.Sql) =>
    scoped ? Prisma.sql`EXISTS (SELECT 1 FROM meeting sm WHERE sm.id = ${meetingId} AND ${scope})` : Prisma.sql`TRUE`;

  const parts: Prisma.Sql[] = [];
  if (kinds.includes(SearchKind.MEETING)) {
    parts.push(Prisma.sql`
      SELECT 'MEETING' AS kind, m.id, ts_rank_cd(doc, q.tsq, 32) AS score,
             m.title || ' — ' || concat_ws(' ', m.summary, m.venue, m.city, extra.text, m.uncertainty_notes) AS text
      FROM meeting m
      CROSS JOIN q
      CROSS JOIN LATERAL (
        SELECT concat_ws(' ',
          (SELECT string_agg(concat_ws(' ', pe.name, p.role, p.delegation), ' ') FROM participation p LEFT JOIN person pe ON pe.id = p.person_id WHERE p.meeting_id = m.id),
          (SELECT string_agg(org.name, ' ') FROM host h JOIN organization org ON org.id = h.organization_id WHERE h.meeting_id = m.id),
          (SELECT string_agg(concat_ws(' ', s.title, s.publisher), ' ') FROM source s WHERE s.meeting_id = m.id)) AS text
      ) extra
      CROSS JOIN LATERAL (
        SELECT setweight(to_tsvector('english', m.title), 'A')
          || setweight(to_tsvector('english', coalesce(m.summary, '') || ' ' || coalesce(m.venue, '') || ' ' || coalesce(m.city, '')), 'B')
          || setweight(to_tsvector('english', coalesce(m.uncertainty_notes, '')), 'C')
          || setweight(to_tsvector('english', coalesce(extra.text, '')), 'C') AS doc
      ) d
      WHERE d.doc @@ q.tsq AND ${inScope(Prisma.sql`m.id`)}`);
  }
  if (kinds.includes(SearchKind.OUTCOME)) {
    parts.push(Prisma.sql`
      SELECT 'OUTCOME' AS kind, o.id, ts_rank_cd(doc, q.tsq, 32) AS score,
             o.description || coalesce(' — ' || o.note, '') AS text
      FROM outcome o
      CROSS JOIN q
      CROSS JOIN LATERAL (
        SELECT setweight(to_tsvector('english', o.description), 'A') || setweight(to_tsvector('english', coalesce(o.note, '')), 'B') AS doc
      ) d
      WHERE d.doc @@ q.tsq AND ${inScope(Prisma.sql`o.meeting_id`)}`);
  }
  if (kinds.includes(SearchKind.PERSON)) {
    parts.push(Prisma.sql`
      SELECT 'PERSON' AS kind, pe.id,
             GREATEST(word_similarity(q.raw, pe.name), ts_rank_cd(to_tsvector('english', pe.name || ' ' || coalesce(roles.text, '')), q.tsq, 32)) AS score,
             pe.name || coalesce(' — ' || roles.text, '') AS text
      FROM person pe
      CROSS JOIN q
      CROSS JOIN LATERAL (
        SELECT string_agg(DISTINCT p.role, '; ') AS text FROM participation p WHERE p.person_id = pe.id
      ) roles
      WHERE (word_similarity(q.raw, pe.name) > ${NAME_SIMILARITY}
             OR to_tsvector('english', pe.name || ' ' || coalesce(roles.text, '')) @@ q.tsq)
        AND ${scoped ? Prisma.sql`EXISTS (SELECT 1 FROM participation sp WHERE sp.person_id = pe.id AND ${inScope(Prisma.sql`sp.meeting_id`)})` : Prisma.sql`TRUE`}`);
  }
  if (kinds.includes(SearchKind.ORGANIZATION)) {
    parts.push(Prisma.sql`
      SELECT 'ORGANIZATION' AS kind, org.id,
             GREATEST(word_similarity(q.raw, org.name), ts_rank_cd(to_tsvector('english', org.name), q.tsq, 32)) AS score,
             org.name AS text
      FROM organization org
      CROSS JOIN q
      WHERE (word_similarity(q.raw, org.name) > ${NAME_SIMILARITY} OR to_tsvector('english', org.name) @@ q.tsq)
        AND ${
          scoped
            ? Prisma.sql`(EXISTS (SELECT 1 FROM host sh WHERE sh.organization_id = org.id AND ${inScope(Prisma.sql`sh.meeting_id`)})
                OR EXISTS (SELECT 1 FROM participation sp WHERE sp.organization_id = org.id AND ${inScope(Prisma.sql`sp.meeting_id`)}))`
            : Prisma.sql`TRUE`
        }`);
  }
  if (parts.length === 0) throw badUserInput('kinds', 'must name at least one kind');

  const hits = Prisma.sql`
    WITH q AS (SELECT websearch_to_tsquery('english', ${query}) AS tsq, ${query}::text AS raw),
    hits AS (${Prisma.join(parts, ' UNION ALL ')}),
    ranked AS (SELECT kind, id, round(score::numeric, 6)::float8 AS score, text FROM hits)`;
  const after = page.cursor
    ? Prisma.sql`WHERE (score < ${page.cursor[0]}::float8)
        OR (score = ${page.cursor[0]}::float8 AND (kind > ${page.cursor[1]} OR (kind = ${page.cursor[1]} AND id > ${page.cursor[2]}::int)))`
    : Prisma.empty;
  const rows = await deps.prisma.$queryRaw<SearchRow[]>`
    ${hits}
    SELECT kind, id, score, ts_headline('english', text, q.tsq, ${HEADLINE}) AS snippet
    FROM (SELECT * FROM ranked ${after} ORDER BY score DESC, kind ASC, id ASC LIMIT ${page.take + 1}) AS page
    CROSS JOIN q
    ORDER BY score DESC, kind ASC, id ASC`;
  const count = () =>
    deps.prisma.$queryRaw<{ count: number }[]>`${hits} SELECT COUNT(*)::int AS count FROM ranked`.then((r) => Number(r[0].count));
  return toConnection(rows, page, (row) => encodeCursor(signature, [row.score, row.kind, row.id]), count);
}
