-- A meeting's search document, stored. It includes text from other tables (participants,
-- hosts, sources), which no expression index can reach, so until now `search` rebuilt it for
-- every meeting in scope on every request. The functions below are its only definition: the
-- backfill here and the write path (writeRecords in engagement-import.service.ts, after each
-- write) both call meeting_search_vector(), and search.service.ts calls
-- meeting_search_related_text() for the snippets of the page's meetings.

-- Participants (name, role, delegation), hosts, then sources (title, publisher), each in the
-- record's order. Person and organisation names never change once created (they are created
-- by slug and never updated), so this text changes only when its meeting is written.
CREATE FUNCTION "meeting_search_related_text"(meeting_id integer) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT concat_ws(' ',
    (SELECT string_agg(concat_ws(' ', pe.name, p.role, p.delegation), ' ' ORDER BY p.position)
       FROM participation p LEFT JOIN person pe ON pe.id = p.person_id WHERE p.meeting_id = $1),
    (SELECT string_agg(org.name, ' ' ORDER BY h.position)
       FROM host h JOIN organization org ON org.id = h.organization_id WHERE h.meeting_id = $1),
    (SELECT string_agg(concat_ws(' ', s.title, s.publisher), ' ' ORDER BY s.position)
       FROM source s WHERE s.meeting_id = $1))
$$;

-- Title A, summary and place B, uncertainty notes and the related text C. ts_rank_cd weighs
-- these, so changing a weight or the order of the parts changes every score. It takes the row,
-- not an id, so that PostgreSQL inlines it into the calling UPDATE: the backfill runs about five
-- times faster than with a lookup by id.
CREATE FUNCTION "meeting_search_vector"(m meeting) RETURNS tsvector
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('english', m.title), 'A')
    || setweight(to_tsvector('english', coalesce(m.summary, '') || ' ' || coalesce(m.venue, '') || ' ' || coalesce(m.city, '')), 'B')
    || setweight(to_tsvector('english', coalesce(m.uncertainty_notes, '')), 'C')
    || setweight(to_tsvector('english', coalesce(meeting_search_related_text(m.id), '')), 'C')
$$;

-- AlterTable
ALTER TABLE "meeting" ADD COLUMN     "search_vector" tsvector NOT NULL DEFAULT ''::tsvector;

UPDATE "meeting" m SET "search_vector" = meeting_search_vector(m);

-- CreateIndex (after the backfill: one index build instead of an index update per row)
CREATE INDEX "meeting_search_vector_idx" ON "meeting" USING GIN ("search_vector");

-- The stored vector holds everything this expression index covered, and search no longer
-- computes the expression, so the index would only cost writes.
DROP INDEX "meeting_search_idx";

-- Names and roles for `search`. Expression indexes, which schema.prisma cannot describe: the
-- expressions must stay identical to those in search.service.ts.
CREATE INDEX "person_name_search_idx" ON "person" USING GIN (to_tsvector('english', "name"));
CREATE INDEX "organization_name_search_idx" ON "organization" USING GIN (to_tsvector('english', "name"));
CREATE INDEX "participation_role_search_idx" ON "participation" USING GIN (to_tsvector('english', coalesce("role", '')));
