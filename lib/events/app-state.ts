import { z } from "zod";

// The small durable values workers keep in the app_state table (key → JSON). Each key has its schema;
// a stored value that no longer matches it is read as absent (and logged), never trusted as is.

/** The ingest worker has seeded DEFAULT_SYMBOLS once (admins may remove them later). */
export const SYMBOLS_SEEDED_KEY = "symbols.seeded";
export const symbolsSeededSchema = z.literal(true);

/** `synthetic.clock.<seed>`: bar `position` of the synthetic feed starts at `startTs + position` minutes. */
export const syntheticClockSchema = z.object({
  startTs: z.number().int(),
  position: z.number().int().nonnegative(),
});

export type SyntheticClock = z.infer<typeof syntheticClockSchema>;
