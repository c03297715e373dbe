-- Custom migration (issue 14): room in each page for the stream worker's updates. Every bar rewrites its
-- symbol's daily_stats row and the kpi_snapshots rows of its windows (and a late bar its fact_prices
-- rows); none of those updates changes an indexed column, so with free space on the page PostgreSQL
-- writes them as heap-only tuples (HOT): no index entry per update, and the dead versions are pruned
-- page by page without waiting for VACUUM. Full pages (fillfactor 100) forced every update into a new
-- page and a new entry in every index. Existing pages keep their layout until rewritten; new pages
-- (every new day's rows) follow the setting.
ALTER TABLE "daily_stats" SET (fillfactor = 70);
--> statement-breakpoint
ALTER TABLE "kpi_snapshots" SET (fillfactor = 70);
--> statement-breakpoint
ALTER TABLE "fact_prices" SET (fillfactor = 85);
