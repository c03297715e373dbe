import { z } from "zod";

import type { DeadLetterRejection } from "@/lib/events/dead-letter";
import { SYMBOL_PATTERN, symbolSchema, symbolSourceSchema } from "@/lib/events/symbol";
import { parseJson, parseWith } from "@/lib/events/parse-json";
import { isMinuteAligned } from "@/lib/kpi/durations";

/** The sources that produce ticks: every symbol source but `external`, whose bars come from elsewhere. */
export const tickSourceSchema = symbolSourceSchema.exclude(["external"]);
export type TickSource = z.infer<typeof tickSourceSchema>;

/** 2000-01-01 and 2100-01-01: a bar outside this range is a unit mistake (seconds vs ms). */
const MIN_TS = 946_684_800_000;
const MAX_TS = 4_102_444_800_000;

/**
 * Largest `market.ticks` message value the stream worker reads, in bytes. A real tick is about 200 bytes
 * of JSON; anything near this limit carries something else (padding, an embedded document) and is
 * dead-lettered before it is parsed.
 */
export const MAX_TICK_BYTES = 2_048;
/** Sane bounds: no listed instrument trades above this price, or this many units in one minute. */
export const MAX_PRICE = 10_000_000;
export const MAX_MINUTE_VOLUME = 1_000_000_000_000;

const priceSchema = z
  .number()
  .finite()
  .positive()
  .max(MAX_PRICE, `a price must be at most ${MAX_PRICE.toLocaleString("en-US")}`);

/**
 * Version 1 of the `market.ticks` event: one snapshot of one 1-minute OHLCV bar. The same (symbol, ts)
 * may be sent many times while the minute is open; the event with the highest offset wins. The object
 * is closed: an unknown field is refused (dead-lettered with its name), never stripped and stored, so
 * a producer's mistake is seen at once and a new field comes with a new version of the event.
 */
export const tickV1Schema = z
  .strictObject({
    v: z.literal(1),
    symbol: symbolSchema,
    ts: z
      .number()
      .int()
      .min(MIN_TS, "ts must be epoch milliseconds after 2000-01-01")
      .max(MAX_TS, "ts must be epoch milliseconds before 2100-01-01")
      .refine(isMinuteAligned, "ts must be the bar start, aligned to a whole minute"),
    open: priceSchema,
    high: priceSchema,
    low: priceSchema,
    close: priceSchema,
    volume: z
      .number()
      .int()
      .nonnegative()
      .max(
        MAX_MINUTE_VOLUME,
        `volume must be at most ${MAX_MINUTE_VOLUME.toLocaleString("en-US")} in one minute`,
      ),
    source: tickSourceSchema,
    producedAt: z.number().int().nonnegative(),
  })
  .superRefine((tick, ctx) => {
    if (tick.high < tick.low) {
      ctx.addIssue({ code: "custom", path: ["high"], message: `high ${tick.high} is below low ${tick.low}` });
      return;
    }
    for (const field of ["open", "close"] as const) {
      if (tick[field] > tick.high || tick[field] < tick.low) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `${field} ${tick[field]} is outside the bar's range [${tick.low}, ${tick.high}]`,
        });
      }
    }
  });

export type TickV1 = z.infer<typeof tickV1Schema>;

export type TickParseResult = { ok: true; tick: TickV1 } | ({ ok: false } & DeadLetterRejection);

/**
 * Parses raw bytes of a `market.ticks` message; never throws. A rejection names its class and a reason
 * a person can read.
 */
export function parseTickMessage(value: Buffer | string | null): TickParseResult {
  if (value === null || value.length === 0)
    return { ok: false, reasonClass: "empty", reason: "empty message value" };
  const bytes = typeof value === "string" ? Buffer.byteLength(value, "utf8") : value.length;
  if (bytes > MAX_TICK_BYTES) {
    return {
      ok: false,
      reasonClass: "too_large",
      reason: `message value of ${bytes} bytes exceeds the ${MAX_TICK_BYTES}-byte limit of a tick`,
    };
  }
  const json = parseJson(typeof value === "string" ? value : value.toString("utf8"));
  if (!json.ok) return { ok: false, reasonClass: "not_json", reason: json.reason };
  const { data } = json;
  if (typeof data === "object" && data !== null && "v" in data && data.v !== 1) {
    return {
      ok: false,
      reasonClass: "unknown_version",
      reason: `unknown schema version v=${JSON.stringify(data.v)} (this worker reads v=1)`,
    };
  }
  const valid = readValidTick(data);
  if (valid) return { ok: true, tick: valid };
  const tick = parseWith(tickV1Schema, data);
  return tick.ok ? { ok: true, tick: tick.data } : { ok: false, reasonClass: "schema", reason: tick.reason };
}

const TICK_KEYS = [
  "v",
  "symbol",
  "ts",
  "open",
  "high",
  "low",
  "close",
  "volume",
  "source",
  "producedAt",
] as const satisfies readonly (keyof TickV1)[];
const TICK_SOURCES: ReadonlySet<unknown> = new Set(tickSourceSchema.options);

function isPrice(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 && value <= MAX_PRICE;
}

/**
 * The tick when `data` passes every rule of {@link tickV1Schema} as a plain, well-formed event does;
 * null otherwise, and then the schema decides (and words the reason). The schema costs about ten
 * times as much per event, which a worker applying tens of thousands of events a second feels; this
 * check only ever accepts what the schema accepts, with the same output (tick-v1.test.ts compares them).
 */
function readValidTick(data: unknown): TickV1 | null {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return null;
  const d = data as Record<string, unknown>;
  // Counted without Object.keys' array: one per event was 2% of what a draining worker allocated.
  let keys = 0;
  for (const key in d) if (Object.hasOwn(d, key)) keys++;
  if (keys !== TICK_KEYS.length) return null;
  for (const key of TICK_KEYS) if (!Object.hasOwn(d, key)) return null;
  const { v, symbol, ts, open, high, low, close, volume, source, producedAt } = d;
  if (v !== 1) return null;
  // A symbol with surrounding space is trimmed by the schema: left to it.
  if (typeof symbol !== "string" || symbol.length > 21 || !SYMBOL_PATTERN.test(symbol)) return null;
  if (!Number.isSafeInteger(ts) || (ts as number) < MIN_TS || (ts as number) > MAX_TS) return null;
  if (!isMinuteAligned(ts as number)) return null;
  if (!isPrice(open) || !isPrice(high) || !isPrice(low) || !isPrice(close)) return null;
  if (high < low || open > high || open < low || close > high || close < low) return null;
  if (!Number.isSafeInteger(volume) || (volume as number) < 0 || (volume as number) > MAX_MINUTE_VOLUME)
    return null;
  if (!TICK_SOURCES.has(source)) return null;
  if (!Number.isSafeInteger(producedAt) || (producedAt as number) < 0) return null;
  // The parsed object itself: it holds exactly the tick's keys, each checked (no copy per event).
  return d as TickV1;
}
