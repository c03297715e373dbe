-- Issue 14: landing an event in raw_ticks cost PostgreSQL as much as all the KPI rows it produces
-- (a backlog drain of 110,000 events: 1.8-1.9 of 3.6-4.0 CPU s), and the index on (symbol, ts) was the
-- largest part of that: every event added an entry at a random place in it. Nothing reads raw_ticks by
-- symbol on a hot path: only the purge of a removed symbol's history (an admin action, confirmed by
-- hand) deletes by symbol, and it now scans the landing table, which RAW_TICKS_RETENTION_HOURS bounds.
-- Retention keeps its index on received_at (appended at its right edge, cheap).
DROP INDEX "raw_ticks_symbol_ts_idx";
