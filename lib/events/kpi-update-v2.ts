import { z } from "zod";

import { symbolKpiUpdateV1Schema } from "@/lib/events/kpi-update-v1";

// Version 2 of the `market.kpis` event adds one type beside v1's: the symbol updates of one pass of
// the stream worker, many to a message (key SYMBOLS_UPDATE_KEY). Each element is a v1 symbol update,
// unchanged, and is what a browser gets in `symbol:updated` (with `omittedFrom` since v3). Movers
// updates stay v1, one per window.
// One message per symbol cost the worker, the broker and the web server about a third of a 2-core
// machine at 2,000 events/s (README, "Twelfth step"); a message of many costs them one record. Stream
// workers now send version 3 (lib/events/kpi-update-v3.ts); consumers still read v2 from older ones.

/** The fields of a symbols update besides its updates. */
const symbolsEnvelope = {
  v: z.literal(2),
  type: z.literal("symbols"),
  /** When the stream worker sent it, as each update's own `publishedAt`. */
  publishedAt: z.number().int(),
};

/** Symbol updates of one pass (at most one per symbol; a large pass takes several messages). */
export const symbolsKpiUpdateV2Schema = z.strictObject({
  ...symbolsEnvelope,
  updates: z.array(symbolKpiUpdateV1Schema).min(1),
});

/**
 * The same message with its updates left unchecked: a consumer checks only the updates it uses, each
 * against symbolKpiUpdateV1Schema (lib/realtime/server.ts), so that one bad update costs only itself.
 */
export const symbolsKpiEnvelopeV2Schema = z.strictObject({
  ...symbolsEnvelope,
  updates: z.array(z.unknown()).min(1),
});

export type SymbolsKpiUpdateV2 = z.infer<typeof symbolsKpiUpdateV2Schema>;
