import { z } from "zod";

/** PostgreSQL channel the `symbols` trigger notifies on insert, delete and admin-relevant updates. */
export const SYMBOLS_CHANGED_CHANNEL = "symbols_changed";

/**
 * Payload of a `symbols_changed` notification, as the trigger in drizzle/0001_views_notify_bi.sql
 * builds it (json_build_object of TG_OP and the row's symbol). The web process relays it to browsers
 * as `symbols:changed` (Socket.IO, the same shape), where `symbol` may also be "*": the listener
 * reconnected and any row may have changed meanwhile, so re-read everything.
 */
export const symbolsChangedSchema = z.object({
  op: z.enum(["INSERT", "UPDATE", "DELETE"]),
  symbol: z.string().min(1),
});

export type SymbolsChanged = z.infer<typeof symbolsChangedSchema>;
