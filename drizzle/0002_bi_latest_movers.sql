-- The newest window of each length with its ranking, so that BI tools need no "order by … limit"
-- workaround (which mixes windows when the newest one has few symbols).
CREATE VIEW "bi"."latest_movers" AS
SELECT m.*
FROM "bi"."top_movers" m
JOIN (
  SELECT "window_minutes", max("window_start") AS "window_start" FROM "kpi_snapshots" GROUP BY "window_minutes"
) newest USING ("window_minutes", "window_start");
--> statement-breakpoint
COMMENT ON VIEW "bi"."latest_movers" IS 'top_movers of the newest window of each length only.';
--> statement-breakpoint
GRANT SELECT ON "bi"."latest_movers" TO "tickstream_bi";
