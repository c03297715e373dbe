-- Failed sign-in counters per client address and per account, shared by every web instance
-- (lib/auth/sign-in-throttle.ts applies them; lib/auth/sign-in-delay.ts holds the delay rule).
CREATE TABLE "sign_in_throttle" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"last_failure_at" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sign_in_throttle_scope_key_pk" PRIMARY KEY("scope","key"),
	CONSTRAINT "sign_in_throttle_scope_check" CHECK ("sign_in_throttle"."scope" in ('address', 'account')),
	CONSTRAINT "sign_in_throttle_failures_check" CHECK ("sign_in_throttle"."failures" >= 0)
);
--> statement-breakpoint
CREATE INDEX "sign_in_throttle_updated_at_idx" ON "sign_in_throttle" USING btree ("updated_at");