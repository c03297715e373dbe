-- Repair of installations that ran the earlier replay (issue 11): it dated bars after the wall clock
-- (REPLAY_SPEED > 1 ran ahead of it, as did the synthetic feed). Every symbol that has anything dated
-- more than 2 minutes after now (the tolerance covers the current minute and clock skew) loses ALL of
-- its derived rows and its ingest cursor, not only the future ones: its moving averages, VWAPs, days
-- and change % were computed along that false timeline, and the wall-clock replay backfills the symbol
-- again from its recording on the next start. The durable replay and synthetic clocks go too (the
-- replay no longer has one; the synthetic feed starts a fresh one that stays behind the clock).
-- Symbols themselves, their settings, the audit log and the stream offsets stay.
DO $$
DECLARE
  affected text[];
BEGIN
  SELECT coalesce(array_agg(DISTINCT symbol), '{}') INTO affected FROM (
    SELECT symbol FROM fact_prices WHERE ts > now() + interval '2 minutes'
    UNION ALL SELECT symbol FROM raw_ticks WHERE ts > now() + interval '2 minutes'
    UNION ALL SELECT symbol FROM kpi_snapshots WHERE window_start > now() + interval '2 minutes'
    -- A trading day later than tomorrow is in the future in every time zone.
    UNION ALL SELECT symbol FROM daily_stats WHERE trade_date > current_date + 1
    UNION ALL SELECT symbol FROM ingest_cursors WHERE last_ts > now() + interval '2 minutes'
    UNION ALL SELECT symbol FROM symbols WHERE last_tick_at > now() + interval '2 minutes'
  ) AS future;
  IF cardinality(affected) > 0 THEN
    DELETE FROM fact_prices WHERE symbol = ANY (affected);
    DELETE FROM daily_stats WHERE symbol = ANY (affected);
    DELETE FROM kpi_snapshots WHERE symbol = ANY (affected);
    DELETE FROM raw_ticks WHERE symbol = ANY (affected);
    DELETE FROM ingest_cursors WHERE symbol = ANY (affected);
    UPDATE symbols SET last_tick_at = NULL WHERE symbol = ANY (affected);
    RAISE NOTICE 'removed the future-dated bars and everything derived from them for %', affected;
  END IF;
END $$;
--> statement-breakpoint
DELETE FROM app_state WHERE key = 'replay.clock' OR key LIKE 'synthetic.clock.%';
