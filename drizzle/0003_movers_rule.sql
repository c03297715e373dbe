-- Custom migration: the movers rule of lib/kpi/movers.ts (rankMovers) in the movers views, which ranked
-- every symbol on both sides, so that BI's "top losers" listed symbols that rose and one symbol could be
-- a top gainer and a top loser at once. Now, as in rankMovers: a gainer rose (gain_pct > 0) and a loser
-- fell (gain_pct < 0); each side is ranked 1..n on its own (best / worst first, ties by symbol in byte
-- order, as compareSymbols); a symbol that did neither (gain exactly 0, or not a finite number) is not a
-- mover and has no row. tests/integration/movers-views.test.ts pins these views to rankMovers.
-- The columns keep their names and types, so bi.top_movers and bi.latest_movers, which select from this
-- view, follow it unchanged; the rank of the other side is null.
CREATE OR REPLACE VIEW "top_movers" AS
SELECT
  "window_minutes", "window_start", "window_end", "symbol", "gain_pct", "last_close", "total_volume",
  CASE WHEN "gain_pct" > 0 THEN row_number() OVER (
    PARTITION BY "window_minutes", "window_start", "gain_pct" > 0
    ORDER BY "gain_pct" DESC, "symbol" COLLATE "C"
  ) END AS "gainer_rank",
  CASE WHEN "gain_pct" < 0 THEN row_number() OVER (
    PARTITION BY "window_minutes", "window_start", "gain_pct" < 0
    ORDER BY "gain_pct" ASC, "symbol" COLLATE "C"
  ) END AS "loser_rank"
FROM "kpi_snapshots"
-- PostgreSQL orders NaN above every number, so "finite" needs saying: abs(NaN) < Infinity is false.
WHERE "gain_pct" <> 0 AND abs("gain_pct") < 'Infinity'::double precision;
--> statement-breakpoint
COMMENT ON VIEW "top_movers" IS 'Movers per window length and window start: gainers (gain_pct > 0) ranked by gainer_rank 1..n, losers (gain_pct < 0) by loser_rank 1..n; the same rule as lib/kpi/movers.ts.';
--> statement-breakpoint
COMMENT ON VIEW "bi"."top_movers" IS 'Movers per window length and window start: a gainer rose (gain_pct > 0, gainer_rank 1 = best), a loser fell (gain_pct < 0, loser_rank 1 = worst); ties by symbol; the other rank is null; flat symbols are not listed.';
--> statement-breakpoint
COMMENT ON VIEW "bi"."latest_movers" IS 'top_movers of the newest window of each length only: "top 5 gainers now" is window_minutes = 5 and gainer_rank <= 5.';
