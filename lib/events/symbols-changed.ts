import { z } from "zod";

import { symbolSummarySchema } from "@/lib/events/api-market";
import { symbolSchema } from "@/lib/events/symbol";

/** PostgreSQL channel the `symbols` trigger notifies on insert, delete and admin-relevant updates. */
export const SYMBOLS_CHANGED_CHANNEL = "symbols_changed";

/**
 * Payload of a `symbols_changed` notification, as the trigger in drizzle/0001_views_notify_bi.sql
 * builds it (json_build_object of TG_OP and the row's symbol). Any role that may NOTIFY can send one,
 * so the web process takes it as a hint only: it re-reads the symbol's row before telling browsers.
 */
export const symbolsChangedSchema = z.object({
  op: z.enum(["INSERT", "UPDATE", "DELETE"]),
  symbol: z.string().min(1),
});

export type SymbolsChanged = z.infer<typeof symbolsChangedSchema>;

/** Most changes one `symbols:changed` event carries; past it the event asks for a reload instead. */
export const SYMBOLS_DELTA_MAX_CHANGES = 200;

/**
 * One symbol's change as the web process read it back from PostgreSQL: `added` or `updated` with its
 * summary as GET /api/symbols answers it (status `removed` included), `deleted` when its row is gone.
 */
export const symbolChangeSchema = z.discriminatedUnion("op", [
  z.object({ op: z.enum(["added", "updated"]), summary: symbolSummarySchema }),
  z.object({ op: z.literal("deleted"), symbol: symbolSchema }),
]);

/**
 * Socket.IO `symbols:changed`, sent to every page: the symbol changes of a short interval, coalesced
 * (lib/realtime/symbols-relay.ts). `isReloadNeeded`: more changed than one event carries, or changes
 * may have been missed (the listener reconnected); `changes` is then empty and a page re-reads the
 * one page of symbols it shows, never the whole list.
 */
export const symbolsDeltaSchema = z.object({
  changes: z.array(symbolChangeSchema).max(SYMBOLS_DELTA_MAX_CHANGES),
  isReloadNeeded: z.boolean(),
});

export type SymbolChange = z.infer<typeof symbolChangeSchema>;
export type SymbolsDelta = z.infer<typeof symbolsDeltaSchema>;
