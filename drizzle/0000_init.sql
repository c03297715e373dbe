CREATE TABLE "admin_audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"symbol" text,
	"before" jsonb,
	"after" jsonb,
	"client_ip" text
);
--> statement-breakpoint
CREATE TABLE "admin_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"client_ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "app_state" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "daily_stats" (
	"symbol" text NOT NULL,
	"trade_date" date NOT NULL,
	"open" double precision NOT NULL,
	"high" double precision NOT NULL,
	"low" double precision NOT NULL,
	"close" double precision NOT NULL,
	"volume" bigint NOT NULL,
	"prev_close" double precision,
	"change_pct" double precision,
	"day_range" double precision NOT NULL,
	"range_pct" double precision NOT NULL,
	"vwap" double precision,
	"bar_count" integer NOT NULL,
	"first_bar_at" timestamp with time zone NOT NULL,
	"last_bar_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "daily_stats_symbol_trade_date_pk" PRIMARY KEY("symbol","trade_date")
);
--> statement-breakpoint
CREATE TABLE "fact_prices" (
	"symbol" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"trade_date" date NOT NULL,
	"open" double precision NOT NULL,
	"high" double precision NOT NULL,
	"low" double precision NOT NULL,
	"close" double precision NOT NULL,
	"volume" bigint NOT NULL,
	"ma_5" double precision,
	"ma_20" double precision,
	"ema_20" double precision,
	"vwap" double precision,
	"is_final" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fact_prices_symbol_ts_pk" PRIMARY KEY("symbol","ts")
);
--> statement-breakpoint
CREATE TABLE "ingest_cursors" (
	"symbol" text PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"last_ts" timestamp with time zone NOT NULL,
	"replay_seq" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_snapshots" (
	"window_minutes" integer NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"symbol" text NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"avg_price" double precision NOT NULL,
	"vwap" double precision,
	"total_volume" bigint NOT NULL,
	"gain_pct" double precision NOT NULL,
	"first_open" double precision NOT NULL,
	"last_close" double precision NOT NULL,
	"high" double precision NOT NULL,
	"low" double precision NOT NULL,
	"bar_count" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpi_snapshots_window_minutes_window_start_symbol_pk" PRIMARY KEY("window_minutes","window_start","symbol")
);
--> statement-breakpoint
CREATE TABLE "raw_ticks" (
	"topic" text NOT NULL,
	"partition" integer NOT NULL,
	"kafka_offset" bigint NOT NULL,
	"symbol" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"open" double precision NOT NULL,
	"high" double precision NOT NULL,
	"low" double precision NOT NULL,
	"close" double precision NOT NULL,
	"volume" bigint NOT NULL,
	"source" text NOT NULL,
	"produced_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "raw_ticks_topic_partition_kafka_offset_pk" PRIMARY KEY("topic","partition","kafka_offset")
);
--> statement-breakpoint
CREATE TABLE "stream_offsets" (
	"consumer_group" text NOT NULL,
	"topic" text NOT NULL,
	"partition" integer NOT NULL,
	"next_offset" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stream_offsets_consumer_group_topic_partition_pk" PRIMARY KEY("consumer_group","topic","partition")
);
--> statement-breakpoint
CREATE TABLE "symbols" (
	"symbol" text PRIMARY KEY NOT NULL,
	"display_name" text,
	"source" text,
	"status" text DEFAULT 'active' NOT NULL,
	"status_reason" text,
	"market_state" text,
	"exchange_timezone" text DEFAULT 'America/New_York' NOT NULL,
	"poll_interval_seconds" integer DEFAULT 60 NOT NULL,
	"last_tick_at" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"removed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "symbols_status_check" CHECK ("symbols"."status" in ('active', 'paused', 'invalid', 'removed')),
	CONSTRAINT "symbols_source_check" CHECK ("symbols"."source" in ('yahoo', 'replay', 'synthetic', 'external')),
	CONSTRAINT "symbols_poll_interval_check" CHECK ("symbols"."poll_interval_seconds" between 5 and 3600)
);
--> statement-breakpoint
CREATE TABLE "worker_heartbeats" (
	"worker_id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"hostname" text NOT NULL,
	"pid" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_beat_at" timestamp with time zone NOT NULL,
	"info" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "admin_audit_log_at_idx" ON "admin_audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "admin_audit_log_symbol_idx" ON "admin_audit_log" USING btree ("symbol");--> statement-breakpoint
CREATE INDEX "daily_stats_trade_date_idx" ON "daily_stats" USING btree ("trade_date");--> statement-breakpoint
CREATE INDEX "fact_prices_ts_idx" ON "fact_prices" USING btree ("ts");--> statement-breakpoint
CREATE INDEX "fact_prices_symbol_trade_date_idx" ON "fact_prices" USING btree ("symbol","trade_date");--> statement-breakpoint
CREATE INDEX "fact_prices_open_bars_idx" ON "fact_prices" USING btree ("ts") WHERE not "fact_prices"."is_final";--> statement-breakpoint
CREATE INDEX "kpi_snapshots_symbol_idx" ON "kpi_snapshots" USING btree ("symbol","window_minutes","window_start");--> statement-breakpoint
CREATE INDEX "raw_ticks_received_at_idx" ON "raw_ticks" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "raw_ticks_symbol_ts_idx" ON "raw_ticks" USING btree ("symbol","ts");--> statement-breakpoint
CREATE INDEX "symbols_status_idx" ON "symbols" USING btree ("status");