import { z } from "zod";

import { SYMBOL_PATTERN } from "@/lib/events/symbol";
import { kpiUpdateV1Schema } from "@/lib/events/kpi-update-v1";
import { symbolsKpiEnvelopeV2Schema, symbolsKpiUpdateV2Schema } from "@/lib/events/kpi-update-v2";

// Version 3 of the `market.kpis` symbols message says which updates left bars out. A symbol update
// carries at most MAX_BARS_PER_UPDATE changed bars (workers/handlers/kpi-updates.ts), the newest; in a
// backlog a pass can change more (a backfill, a replay, a worker catching up), and a page that merged
// only the bars sent kept a hole where the others were, until it was reloaded. v3 adds `omitted`: per
// such symbol, the start of the oldest changed bar left out, so that a consumer knows the bars from it
// up to the first bar sent changed as well and reads them back (REST). Everything else is v2's.

/** v2's fields, at version 3, and `omitted`. */
const v3Fields = {
  v: z.literal(3),
  /**
   * Per symbol of `updates` whose changed bars were more than it carries: the start (ts) of the oldest
   * changed bar; every changed bar from it to the update's first bar was left out. Empty when none was.
   */
  // Keys as sent: a key that symbolSchema would trim is refused, not rewritten (the contract is closed).
  omitted: z.record(z.string().regex(SYMBOL_PATTERN), z.number().int()),
};

/** Symbol updates of one pass (at most one per symbol; a large pass takes several messages). */
export const symbolsKpiUpdateV3Schema = symbolsKpiUpdateV2Schema.extend(v3Fields);

/**
 * The same message with its updates left unchecked: a consumer checks only the updates it uses, each
 * against symbolKpiUpdateV1Schema (lib/realtime/server.ts), so that one bad update costs only itself.
 */
export const symbolsKpiEnvelopeV3Schema = symbolsKpiEnvelopeV2Schema.extend(v3Fields);

export type SymbolsKpiUpdateV3 = z.infer<typeof symbolsKpiUpdateV3Schema>;

/**
 * A symbols message of any version a consumer reads (v2 from an older stream worker), its updates
 * unchecked (lib/realtime/server.ts).
 */
export const symbolsKpiEnvelopeSchema = z.discriminatedUnion("v", [
  symbolsKpiEnvelopeV2Schema,
  symbolsKpiEnvelopeV3Schema,
]);

/**
 * Any value on `market.kpis`: a v1 update (every movers update; a symbol update of an older stream
 * worker), a v2 symbols update (an older stream worker) or a v3 symbols update.
 */
export const kpiMessageSchema = z.union([
  kpiUpdateV1Schema,
  z.discriminatedUnion("v", [symbolsKpiUpdateV2Schema, symbolsKpiUpdateV3Schema]),
]);

export type KpiMessage = z.infer<typeof kpiMessageSchema>;
