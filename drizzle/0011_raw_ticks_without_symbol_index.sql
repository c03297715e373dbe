-- Issue 14: every event landed in raw_ticks paid for an entry in this (symbol, ts) index, about a quarter
-- of PostgreSQL's work in a backlog drain (README, "Eighteenth step"), while only an admin's purge of a
-- removed symbol looks raw_ticks up by symbol. That purge now scans the landing table, which retention
-- bounds (RAW_TICKS_RETENTION_HOURS): about 0.3-0.45 s for 48 hours of 1,000 symbols' minutes.
DROP INDEX IF EXISTS "raw_ticks_symbol_ts_idx";
