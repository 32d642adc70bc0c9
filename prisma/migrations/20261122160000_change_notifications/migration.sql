-- Every committed change to the data set sends NOTIFY data_changed, whoever made it (a server,
-- the import CLI, an edit in psql), so that servers can drop what they cached from the old data
-- (src/db/change-feed.ts). Statement triggers fire once per statement, not per row, and
-- PostgreSQL folds identical notifications of one transaction into one, delivered at commit.
-- api_key and change (the audit trail) are left out: no cached response is built from them.
CREATE FUNCTION notify_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('data_changed', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER channel_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "channel"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed();
CREATE TRIGGER trip_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "trip"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed();
CREATE TRIGGER meeting_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "meeting"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed();
CREATE TRIGGER meeting_channel_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "meeting_channel"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed();
CREATE TRIGGER outcome_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "outcome"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed();
CREATE TRIGGER outcome_fulfilment_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "outcome_fulfilment"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed();
CREATE TRIGGER person_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "person"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed();
CREATE TRIGGER organization_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "organization"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed();
CREATE TRIGGER participation_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "participation"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed();
CREATE TRIGGER host_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "host"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed();
CREATE TRIGGER source_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "source"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed();
CREATE TRIGGER meeting_relation_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "meeting_relation"
  FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed();
