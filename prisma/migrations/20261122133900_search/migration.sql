-- Full-text and fuzzy search (the `search` query). The expressions here must stay identical to
-- those in src/modules/search/search.service.ts, or PostgreSQL will not use the indexes.
-- Prisma's schema language cannot describe expression indexes or extensions, and its differ
-- leaves both alone, so they live only here.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "meeting_search_idx" ON "meeting" USING GIN (
  (setweight(to_tsvector('english', "title"), 'A')
   || setweight(to_tsvector('english', coalesce("summary", '') || ' ' || coalesce("venue", '') || ' ' || coalesce("city", '')), 'B')
   || setweight(to_tsvector('english', coalesce("uncertainty_notes", '')), 'C'))
);
CREATE INDEX "outcome_search_idx" ON "outcome" USING GIN (
  (setweight(to_tsvector('english', "description"), 'A') || setweight(to_tsvector('english', coalesce("note", '')), 'B'))
);
CREATE INDEX "person_name_trgm_idx" ON "person" USING GIN ("name" gin_trgm_ops);
CREATE INDEX "organization_name_trgm_idx" ON "organization" USING GIN ("name" gin_trgm_ops);
