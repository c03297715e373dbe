-- Live delivery of alerts to browsers (issue 16): after each statement that inserts or updates
-- alert_events, a hint on `alert_events_changed` names the rows it touched, so that every web process
-- re-reads them and pushes them to its pages (lib/realtime/alerts-relay.ts). Statement-level with
-- transition tables: one batch of the stream worker sends one notification per 200 rows, not one per
-- row, and each payload stays far below NOTIFY's 8000-byte limit. The payload is only a hint.
CREATE FUNCTION "notify_alert_events_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  chunk record;
BEGIN
  FOR chunk IN
    SELECT json_agg(c."id" ORDER BY c."id") AS ids
    FROM (SELECT "id", (row_number() OVER (ORDER BY "id") - 1) / 200 AS part FROM changed_rows) c
    GROUP BY c.part
  LOOP
    PERFORM pg_notify('alert_events_changed', json_build_object('ids', chunk.ids)::text);
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "alert_events_inserted" AFTER INSERT ON "alert_events"
REFERENCING NEW TABLE AS changed_rows
FOR EACH STATEMENT EXECUTE FUNCTION "notify_alert_events_changed"();
--> statement-breakpoint
CREATE TRIGGER "alert_events_updated" AFTER UPDATE ON "alert_events"
REFERENCING NEW TABLE AS changed_rows
FOR EACH STATEMENT EXECUTE FUNCTION "notify_alert_events_changed"();
