import { z } from "zod";

/**
 * `symbols:changed` (Socket.IO) and the `symbols` table's NOTIFY payload: which row changed. `symbol`
 * is "*" when the listener reconnected and any row may have changed meanwhile.
 */
export const symbolsChangedSchema = z.object({
  op: z.enum(["INSERT", "UPDATE", "DELETE"]),
  symbol: z.string(),
});

export type SymbolsChanged = z.infer<typeof symbolsChangedSchema>;
