import { z } from "zod";

import { tieSchema } from "@/lib/events/same-shape";
import { symbolSchema } from "@/lib/events/symbol";
import { MAX_PRICE } from "@/lib/events/tick-v1";
import type { AlertCondition, AlertConditionType } from "@/lib/kpi/alert-rules";

// The one definition of an alert rule's shape. Each condition variant is tied to its type in
// lib/kpi/alert-rules.ts (where the pure evaluation lives), so a parameter added on one side only
// fails typecheck.

type Variant<T extends AlertConditionType> = Extract<AlertCondition, { type: T }>;

/** Most previous bars a volume spike may average over (the worker reads older bars when it must). */
export const MAX_VOLUME_LOOKBACK_BARS = 240;

const priceSchema = z.number().positive().finite();
/** A percentage threshold; ±1000 % is beyond anything a 1-minute feed should ever need. */
const percentSchema = z.number().finite().min(-1000).max(1000);

export const priceCrossConditionSchema = tieSchema<Variant<"price_cross">>()(
  z.strictObject({ type: z.literal("price_cross"), direction: z.enum(["up", "down"]), level: priceSchema }),
);
export const indicatorCrossConditionSchema = tieSchema<Variant<"indicator_cross">>()(
  z.strictObject({
    type: z.literal("indicator_cross"),
    indicator: z.enum(["ma20", "ema20"]),
    direction: z.enum(["up", "down"]),
  }),
);
export const maCrossConditionSchema = tieSchema<Variant<"ma_cross">>()(
  z.strictObject({ type: z.literal("ma_cross"), kind: z.enum(["golden", "death"]) }),
);
export const windowGainConditionSchema = tieSchema<Variant<"window_gain">>()(
  z.strictObject({
    type: z.literal("window_gain"),
    windowMinutes: z.union([z.literal(5), z.literal(15), z.literal(60)]),
    direction: z.enum(["above", "below"]),
    thresholdPct: percentSchema,
  }),
);
export const volumeSpikeConditionSchema = tieSchema<Variant<"volume_spike">>()(
  z.strictObject({
    type: z.literal("volume_spike"),
    factor: z.number().finite().min(1).max(1000),
    lookbackBars: z.number().int().min(1).max(MAX_VOLUME_LOOKBACK_BARS),
  }),
);
export const dayChangeConditionSchema = tieSchema<Variant<"day_change">>()(
  z.strictObject({
    type: z.literal("day_change"),
    direction: z.enum(["above", "below"]),
    thresholdPct: percentSchema,
  }),
);
export const openingGapConditionSchema = tieSchema<Variant<"opening_gap">>()(
  z.strictObject({
    type: z.literal("opening_gap"),
    direction: z.enum(["up", "down"]),
    minGapPct: z.number().finite().min(0).max(1000),
  }),
);
export const staleDataConditionSchema = tieSchema<Variant<"stale_data">>()(
  z.strictObject({
    type: z.literal("stale_data"),
    minutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
  }),
);

export const alertConditionSchema = z.discriminatedUnion("type", [
  priceCrossConditionSchema,
  indicatorCrossConditionSchema,
  maCrossConditionSchema,
  windowGainConditionSchema,
  volumeSpikeConditionSchema,
  dayChangeConditionSchema,
  openingGapConditionSchema,
  staleDataConditionSchema,
]) satisfies z.ZodType<AlertCondition>;

export const alertConditionTypeSchema = z.enum([
  "price_cross",
  "indicator_cross",
  "ma_cross",
  "window_gain",
  "volume_spike",
  "day_change",
  "opening_gap",
  "stale_data",
]) satisfies z.ZodType<AlertConditionType>;

/**
 * A rule id as text (a URL segment, a typed filter) read as its number: a positive whole number of at
 * most 16 digits, else null.
 */
export function parseRuleIdText(text: string): number | null {
  if (!/^[1-9]\d{0,15}$/.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : null;
}

/** Most symbols a rule may list; a rule for more uses scope `all`. */
export const MAX_RULE_SYMBOLS = 500;

/** Which symbols a rule watches: every symbol, or a list (one symbol is a list of one). */
export const alertScopeSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("all") }),
  z.strictObject({
    kind: z.literal("symbols"),
    symbols: z.array(symbolSchema).min(1).max(MAX_RULE_SYMBOLS),
  }),
]);
export type AlertScope = z.infer<typeof alertScopeSchema>;

export const alertRuleStatusSchema = z.enum(["enabled", "paused"]);
export type AlertRuleStatus = z.infer<typeof alertRuleStatusSchema>;

/** Longest cooldown: a week of bar time. */
export const MAX_COOLDOWN_MINUTES = 7 * 24 * 60;

/** A rule's own fields, as stored. */
const alertRuleFields = {
  name: z.string().trim().min(1).max(120),
  condition: alertConditionSchema,
  scope: alertScopeSchema,
  cooldownMinutes: z.number().int().min(0).max(MAX_COOLDOWN_MINUTES),
  status: alertRuleStatusSchema,
};

/**
 * A condition an admin may write now: a price level beyond any price a tick may carry (MAX_PRICE) could
 * never be crossed, so it is refused. Rules stored before this check keep loading (alertRuleSchema), and
 * an edit must bring the level down.
 */
const writableConditionSchema = alertConditionSchema.refine(
  (condition) => condition.type !== "price_cross" || condition.level <= MAX_PRICE,
  {
    message: `a price level must be at most ${MAX_PRICE.toLocaleString("en-US")}, the highest price a tick may carry`,
    path: ["level"],
  },
);

/** What an admin writes: a rule without its identity and bookkeeping (create and edit bodies). */
export const alertRuleInputSchema = z.strictObject({
  ...alertRuleFields,
  condition: writableConditionSchema,
});
export type AlertRuleInput = z.infer<typeof alertRuleInputSchema>;

/** A stored rule. `version` is bumped by the database when the condition, scope or cooldown changes. */
export const alertRuleSchema = z.strictObject({
  ...alertRuleFields,
  id: z.number().int().positive(),
  version: z.number().int().positive(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type AlertRule = z.infer<typeof alertRuleSchema>;

/** PostgreSQL channel the alert_rules trigger notifies on every change (a hint: rules are re-read). */
export const ALERT_RULES_CHANGED_CHANNEL = "alert_rules_changed";

export const alertRulesChangedSchema = z.object({
  op: z.enum(["INSERT", "UPDATE", "DELETE"]),
  id: z.number().int(),
});
export type AlertRulesChanged = z.infer<typeof alertRulesChangedSchema>;
