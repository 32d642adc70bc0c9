-- Which records a committed write changed, for GraphQL subscriptions (src/modules/subscriptions).
-- The statement triggers of change_notifications say only that something changed. These say what:
-- NOTIFY record_changed with a small JSON payload per record,
--   {"x": "<transaction id>", "t": "Meeting", "s": "<slug>", "a": "CREATE" | "UPDATE" | "DELETE"}
-- and NOTIFY audit_appended with the range of `change` rows a statement inserted,
--   {"x": "<transaction id>", "from": <id>, "to": <id>}.
-- They fire for every writer (the API, `npm run import`, the seed, psql), and NOTIFY is
-- transactional: delivered at commit, never for a rolled-back write.
--
-- Statement triggers over transition tables: one set-based query per statement, so a bulk
-- import of thousands of rows costs one query per statement, not a trigger call per row. A part
-- of a meeting (outcome, participant, source…) changing is an UPDATE of its meeting. A
-- statement that touches more than 200 records of a type sends one notification with a null
-- slug instead ("many records of this type changed"), as does TRUNCATE.

CREATE FUNCTION send_record_changes(record_type text, action text, slugs text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  tx text := txid_current()::text;
  slug text;
  payload text;
BEGIN
  IF slugs IS NULL OR cardinality(slugs) = 0 THEN
    RETURN;
  END IF;
  IF cardinality(slugs) > 200 THEN
    PERFORM pg_notify('record_changed', json_build_object('x', tx, 't', record_type, 's', NULL, 'a', action)::text);
    RETURN;
  END IF;
  FOREACH slug IN ARRAY slugs LOOP
    payload := json_build_object('x', tx, 't', record_type, 's', slug, 'a', action)::text;
    -- NOTIFY payloads must stay under 8000 bytes; no slug comes near, but never fail a write for it.
    IF octet_length(payload) > 7900 THEN
      payload := json_build_object('x', tx, 't', record_type, 's', NULL, 'a', action)::text;
    END IF;
    PERFORM pg_notify('record_changed', payload);
  END LOOP;
END
$$;

-- Tables whose rows are records with a slug of their own: meeting, person, organization, channel.
-- TG_ARGV[0] is the record type as the API names it.
CREATE FUNCTION notify_records_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM send_record_changes(TG_ARGV[0], 'CREATE', (SELECT array_agg(DISTINCT n.slug) FROM (SELECT slug FROM new_rows LIMIT 201) n));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM send_record_changes(TG_ARGV[0], 'DELETE', (SELECT array_agg(DISTINCT o.slug) FROM (SELECT slug FROM old_rows LIMIT 201) o));
  ELSE
    -- Rows rewritten with the same values (an import of an unchanged record) changed nothing.
    PERFORM send_record_changes(TG_ARGV[0], 'UPDATE', (
      SELECT array_agg(DISTINCT c.slug) FROM (
        SELECT n.slug FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n IS DISTINCT FROM o AND n.slug = o.slug LIMIT 201
      ) c));
    -- A slug changed (only an edit by hand can do that): the old record is gone, a new one appeared.
    PERFORM send_record_changes(TG_ARGV[0], 'DELETE', (
      SELECT array_agg(DISTINCT o.slug) FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.slug <> o.slug));
    PERFORM send_record_changes(TG_ARGV[0], 'CREATE', (
      SELECT array_agg(DISTINCT n.slug) FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.slug <> o.slug));
  END IF;
  RETURN NULL;
END
$$;

-- Parts of a meeting: the meetings they belong to were updated. TG_ARGV lists the columns that
-- hold meeting ids (two for meeting_relation: both ends see the link). Meetings deleted in the
-- same statement are gone from `meeting` and left to their own DELETE.
CREATE FUNCTION notify_meeting_parts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids int[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT (to_jsonb(r) ->> col)::int) INTO ids FROM new_rows r, unnest(TG_ARGV) col;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT (to_jsonb(r) ->> col)::int) INTO ids FROM old_rows r, unnest(TG_ARGV) col;
  ELSE
    SELECT array_agg(DISTINCT id) INTO ids FROM (
      SELECT (to_jsonb(r) ->> col)::int AS id FROM new_rows r, unnest(TG_ARGV) col
      UNION
      SELECT (to_jsonb(r) ->> col)::int FROM old_rows r, unnest(TG_ARGV) col
    ) both_sides;
  END IF;
  PERFORM send_record_changes('Meeting', 'UPDATE', (SELECT array_agg(m.slug) FROM meeting m WHERE m.id = ANY (ids)));
  RETURN NULL;
END
$$;

-- A fulfilment changes `fulfilledBy` of an outcome, which belongs to the meeting that made it.
CREATE FUNCTION notify_fulfilments_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  outcome_ids int[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT outcome_id) INTO outcome_ids FROM old_rows;
  ELSE
    SELECT array_agg(DISTINCT outcome_id) INTO outcome_ids FROM new_rows;
  END IF;
  PERFORM send_record_changes('Meeting', 'UPDATE', (
    SELECT array_agg(DISTINCT m.slug) FROM outcome o JOIN meeting m ON m.id = o.meeting_id WHERE o.id = ANY (outcome_ids)));
  RETURN NULL;
END
$$;

CREATE FUNCTION notify_records_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('record_changed', json_build_object('x', txid_current()::text, 't', TG_ARGV[0], 's', NULL, 'a', 'DELETE')::text);
  RETURN NULL;
END
$$;

CREATE FUNCTION notify_audit_appended() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  first_id int;
  last_id int;
BEGIN
  SELECT min(id), max(id) INTO first_id, last_id FROM new_rows;
  IF first_id IS NOT NULL THEN
    PERFORM pg_notify('audit_appended', json_build_object('x', txid_current()::text, 'from', first_id, 'to', last_id)::text);
  END IF;
  RETURN NULL;
END
$$;

-- A trigger with transition tables may have only one event, so each table gets one per event.
DO $$
DECLARE
  spec record;
  event text;
BEGIN
  FOR spec IN
    SELECT * FROM (VALUES
      ('meeting', 'notify_records_changed', '''Meeting'''),
      ('person', 'notify_records_changed', '''Person'''),
      ('organization', 'notify_records_changed', '''Organization'''),
      ('channel', 'notify_records_changed', '''Channel'''),
      ('meeting_channel', 'notify_meeting_parts_changed', '''meeting_id'''),
      ('outcome', 'notify_meeting_parts_changed', '''meeting_id'''),
      ('participation', 'notify_meeting_parts_changed', '''meeting_id'''),
      ('host', 'notify_meeting_parts_changed', '''meeting_id'''),
      ('source', 'notify_meeting_parts_changed', '''meeting_id'''),
      ('meeting_relation', 'notify_meeting_parts_changed', '''from_meeting_id'', ''to_meeting_id'''),
      ('outcome_fulfilment', 'notify_fulfilments_changed', '')
    ) AS t(tbl, fn, args)
  LOOP
    FOREACH event IN ARRAY ARRAY['INSERT', 'UPDATE', 'DELETE'] LOOP
      EXECUTE format(
        'CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s FOR EACH STATEMENT EXECUTE FUNCTION %I(%s)',
        spec.tbl || '_records_' || lower(event), event, spec.tbl,
        CASE event WHEN 'INSERT' THEN 'NEW TABLE AS new_rows' WHEN 'DELETE' THEN 'OLD TABLE AS old_rows'
          ELSE 'OLD TABLE AS old_rows NEW TABLE AS new_rows' END,
        spec.fn, spec.args);
    END LOOP;
    EXECUTE format(
      'CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION notify_records_truncated(%s)',
      spec.tbl || '_records_truncate', spec.tbl,
      CASE WHEN spec.fn = 'notify_records_changed' THEN spec.args ELSE '''Meeting''' END);
  END LOOP;
END
$$;

CREATE TRIGGER change_audit_appended AFTER INSERT ON "change" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION notify_audit_appended();
