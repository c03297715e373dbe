-- Custom migration: what drizzle-kit does not generate. The movers view the app reads, the NOTIFY that
-- tells the ingest worker and the web servers about symbol changes, and the `bi` schema of stable views
-- for Superset and Grafana with its read-only role. See bi/README.md for the documented columns.

CREATE VIEW "top_movers" AS
SELECT
  "window_minutes", "window_start", "window_end", "symbol", "gain_pct", "last_close", "total_volume",
  rank() OVER (PARTITION BY "window_minutes", "window_start" ORDER BY "gain_pct" DESC, "symbol") AS "gainer_rank",
  rank() OVER (PARTITION BY "window_minutes", "window_start" ORDER BY "gain_pct" ASC, "symbol") AS "loser_rank"
FROM "kpi_snapshots";
--> statement-breakpoint
CREATE FUNCTION "notify_symbols_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify(
    'symbols_changed',
    json_build_object('op', TG_OP, 'symbol', CASE TG_OP WHEN 'DELETE' THEN OLD.symbol ELSE NEW.symbol END)::text
  );
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "symbols_changed"
AFTER INSERT OR DELETE OR UPDATE OF "status", "source", "poll_interval_seconds", "exchange_timezone", "display_name"
ON "symbols" FOR EACH ROW EXECUTE FUNCTION "notify_symbols_changed"();
--> statement-breakpoint
CREATE SCHEMA IF NOT EXISTS "bi";
--> statement-breakpoint
COMMENT ON SCHEMA "bi" IS 'Tickstream BI interface: stable, documented, read-only views for Superset and Grafana.';
--> statement-breakpoint
CREATE VIEW "bi"."price_trend" AS
SELECT "symbol", "ts", "trade_date", "open", "high", "low", "close", "volume",
       "ma_5", "ma_20", "ema_20", "vwap", "is_final"
FROM "fact_prices";
--> statement-breakpoint
COMMENT ON VIEW "bi"."price_trend" IS 'One row per symbol and minute: OHLCV with MA 5, MA 20, EMA 20 and session VWAP.';
--> statement-breakpoint
CREATE VIEW "bi"."volume_trend" AS
SELECT "symbol", "ts", "trade_date", "volume", "close",
       sum("volume") OVER (PARTITION BY "symbol", "trade_date" ORDER BY "ts")::bigint AS "cumulative_volume"
FROM "fact_prices";
--> statement-breakpoint
COMMENT ON VIEW "bi"."volume_trend" IS 'One row per symbol and minute: traded volume and the day''s cumulative volume.';
--> statement-breakpoint
CREATE VIEW "bi"."daily_high_low" AS
SELECT "symbol", "trade_date", "open", "high", "low", "close", "volume", "prev_close", "change_pct",
       "day_range", "range_pct", "vwap", "bar_count", "first_bar_at", "last_bar_at"
FROM "daily_stats";
--> statement-breakpoint
COMMENT ON VIEW "bi"."daily_high_low" IS 'One row per symbol and trading day (exchange time zone): OHLCV, high vs low range, change % against the previous day.';
--> statement-breakpoint
CREATE VIEW "bi"."window_kpis" AS
SELECT "window_minutes", "window_start", "window_end", "symbol", "avg_price", "vwap", "total_volume",
       "gain_pct", "first_open", "last_close", "high", "low", "bar_count"
FROM "kpi_snapshots";
--> statement-breakpoint
COMMENT ON VIEW "bi"."window_kpis" IS 'One row per window length, window start and symbol: tumbling-window KPIs.';
--> statement-breakpoint
CREATE VIEW "bi"."top_movers" AS
SELECT "window_minutes", "window_start", "window_end", "symbol", "gain_pct", "last_close", "total_volume",
       "gainer_rank", "loser_rank"
FROM "top_movers";
--> statement-breakpoint
COMMENT ON VIEW "bi"."top_movers" IS 'Gainers and losers: rank of gain_pct per window length and window start (1 = best / worst).';
--> statement-breakpoint
CREATE VIEW "bi"."pipeline_freshness" AS
SELECT s."symbol", s."status", s."source", s."market_state", s."last_tick_at" AS "last_published_bar_at",
       f."last_bar_at", f."last_written_at",
       extract(epoch FROM (now() - f."last_written_at"))::double precision AS "seconds_since_write",
       extract(epoch FROM (now() - f."last_bar_at"))::double precision AS "bar_age_seconds"
FROM "symbols" s
LEFT JOIN LATERAL (
  SELECT p."ts" AS "last_bar_at", p."updated_at" AS "last_written_at"
  FROM "fact_prices" p WHERE p."symbol" = s."symbol" ORDER BY p."ts" DESC LIMIT 1
) f ON true;
--> statement-breakpoint
COMMENT ON VIEW "bi"."pipeline_freshness" IS 'One row per symbol: status, newest bar stored, seconds since it was written and its age.';
--> statement-breakpoint
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tickstream_bi') THEN
    -- The password is set from BI_READONLY_PASSWORD by the migrate script (scripts/db-migrate.ts).
    CREATE ROLE "tickstream_bi" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END
$$;
--> statement-breakpoint
-- Role settings need CREATEROLE (or a superuser); a migrating owner without it finds them set by
-- docs/sql/create-roles.sql, which creates the role. Wrapped after release: same effect for a superuser.
DO $$
BEGIN
  ALTER ROLE "tickstream_bi" SET default_transaction_read_only = on;
  ALTER ROLE "tickstream_bi" SET statement_timeout = '60s';
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'tickstream_bi keeps its settings (the migrating role lacks CREATEROLE)';
END
$$;
--> statement-breakpoint
-- Database-level grants (CONNECT, no TEMPORARY) are not copied to databases cloned from a template,
-- so lib/db/migrate.ts applies them on every migrate run instead of here.
REVOKE ALL ON SCHEMA "public" FROM "tickstream_bi";
--> statement-breakpoint
REVOKE CREATE ON SCHEMA "public" FROM PUBLIC;
--> statement-breakpoint
GRANT USAGE ON SCHEMA "bi" TO "tickstream_bi";
--> statement-breakpoint
GRANT SELECT ON ALL TABLES IN SCHEMA "bi" TO "tickstream_bi";
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA "bi" GRANT SELECT ON TABLES TO "tickstream_bi";
