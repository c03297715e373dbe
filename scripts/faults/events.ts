import type { Bar } from "@/lib/kpi/types";

/**
 * The fault suite's input: the recorded real bars of data/minute-bars under symbols of the suite's own
 * (FLT-<recorded symbol>), sent with revisions, duplicates and late arrivals as a live feed sends them,
 * mixed with malformed events of every class and a flood of unknown symbols. Deterministic (seeded).
 */
export const SYMBOL_PREFIX = "FLT-";

/** What the suite sends as one Kafka message: the key and the value's exact text. */
export type OutEvent = { key: string; value: string };

/** A bad event and the dead-letter class the stream worker must give it (lib/events/dead-letter.ts). */
export type BadEvent = OutEvent & { category: BadCategory; expectedClass: string };

/** The malformed categories of issue 12, each sent BAD_PER_CATEGORY times. */
export const BAD_CATEGORIES = [
  "empty",
  "not_json",
  "missing_field",
  "too_large",
  "price_out_of_bounds",
  "volume_out_of_bounds",
  "unknown_field",
  "unknown_version",
  "key_mismatch",
  "future_bar",
] as const;
export type BadCategory = (typeof BAD_CATEGORIES)[number];

/** The dead-letter class each category must get: closed v1 schema, size and clock limits. */
export const EXPECTED_CLASS: Record<BadCategory, string> = {
  empty: "empty",
  not_json: "not_json",
  missing_field: "schema",
  too_large: "too_large",
  price_out_of_bounds: "schema",
  volume_out_of_bounds: "schema",
  unknown_field: "schema",
  unknown_version: "unknown_version",
  key_mismatch: "key_mismatch",
  future_bar: "future_bar",
};

export type SuiteBar = Bar & { symbol: string };

const tick = (bar: SuiteBar, producedAt: number) => ({
  v: 1,
  symbol: bar.symbol,
  ts: bar.ts,
  open: bar.open,
  high: bar.high,
  low: bar.low,
  close: bar.close,
  volume: bar.volume,
  source: "replay",
  producedAt,
});

/** The recorded bars under the suite's symbols: the truth the tables must equal. */
export function renameRecordedBars(recorded: ReadonlyMap<string, readonly Bar[]>): SuiteBar[] {
  return [...recorded].flatMap(([symbol, bars]) =>
    bars.map((bar) => ({ ...bar, symbol: `${SYMBOL_PREFIX}${symbol}` })),
  );
}

/**
 * The good events: every bar once with its true values as the last event of its (symbol, minute), in
 * the order a feed sends them, with 10 % first sent as an earlier revision (close at the low, volume
 * halved), 3 % sent twice, and blocks of 40 events shuffled so that bars arrive late.
 */
export function buildGoodEvents(bars: readonly SuiteBar[], random: () => number): OutEvent[] {
  const ordered = [...bars].sort((a, b) => a.ts - b.ts || a.symbol.localeCompare(b.symbol));
  const items: { bar: SuiteBar; revised: boolean; doubled: boolean }[] = ordered.map((bar) => ({
    bar,
    revised: random() < 0.1,
    doubled: random() < 0.03,
  }));
  for (let start = 0; start < items.length; start += 40) {
    const block = items.slice(start, start + 40);
    for (let i = block.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [block[i], block[j]] = [block[j]!, block[i]!];
    }
    items.splice(start, block.length, ...block);
  }
  const out: OutEvent[] = [];
  // The true version of a revised bar follows its first version a few events later (still later offset:
  // same key, same partition).
  const pending: { due: number; event: OutEvent }[] = [];
  items.forEach(({ bar, revised, doubled }, i) => {
    const truth = { key: bar.symbol, value: JSON.stringify(tick(bar, bar.ts + 60_000)) };
    if (revised) {
      const early = { ...bar, close: bar.low, volume: Math.floor(bar.volume / 2) };
      out.push({ key: bar.symbol, value: JSON.stringify(tick(early, bar.ts + 30_000)) });
      pending.push({ due: i + 1 + Math.floor(random() * 5), event: truth });
    } else out.push(truth);
    if (doubled && !revised) out.push(truth);
    for (let p = pending.length - 1; p >= 0; p--) {
      if (pending[p]!.due <= i) out.push(...pending.splice(p, 1).map((x) => x.event));
    }
  });
  out.push(...pending.map((p) => p.event));
  return out;
}

/** `count` malformed events of `category`, each carrying a registered symbol (`symbols`). */
export function buildBadEvents(
  category: BadCategory,
  count: number,
  symbols: readonly string[],
  now: number,
): BadEvent[] {
  const out: BadEvent[] = [];
  for (let i = 0; i < count; i++) {
    const symbol = symbols[i % symbols.length]!;
    const bar: SuiteBar = {
      symbol,
      // Minute-aligned past bars, never in the data set's days (2020): only their own fault matters.
      ts: Date.UTC(2020, 0, 6, 14, 30) + i * 60_000,
      open: 100,
      high: 101,
      low: 99,
      close: 100.5,
      volume: 1_000,
    };
    const valid = tick(bar, now + i);
    let key = symbol;
    let value: string;
    switch (category) {
      case "empty":
        value = "";
        break;
      case "not_json":
        value = `{"v":1,"symbol":"${symbol}","ts":${bar.ts},`;
        break;
      case "missing_field": {
        const { close: _close, ...rest } = valid;
        value = JSON.stringify(rest);
        break;
      }
      case "too_large":
        // Valid fields plus padding, as in the audit (it stored 600 KB events); 3 KB is over the limit.
        value = JSON.stringify({ ...valid, padding: "x".repeat(3_000) });
        break;
      case "price_out_of_bounds":
        value = JSON.stringify({ ...valid, open: 5e9, high: 5e9, close: 5e9 });
        break;
      case "volume_out_of_bounds":
        value = JSON.stringify({ ...valid, volume: 5e15 });
        break;
      case "unknown_field":
        value = JSON.stringify({ ...valid, exchange: "XNAS" });
        break;
      case "unknown_version":
        value = JSON.stringify({ ...valid, v: 2 });
        break;
      case "key_mismatch":
        key = symbols[(i + 1) % symbols.length]!;
        value = JSON.stringify(valid);
        break;
      case "future_bar":
        // Two such events made a symbol the top mover of every window in the audit.
        value = JSON.stringify({ ...valid, ts: Date.UTC(2099, 0, 2, 15, 0) + i * 60_000 });
        break;
    }
    out.push({ key, value, category, expectedClass: EXPECTED_CLASS[category] });
  }
  return out;
}

/** `count` valid events for `symbolCount` symbols nobody registered (FLD-00000…). */
export function buildUnknownSymbolFlood(count: number, symbolCount: number, now: number): OutEvent[] {
  const out: OutEvent[] = [];
  for (let i = 0; i < count; i++) {
    const symbol = `FLD-${String(i % symbolCount).padStart(5, "0")}`;
    const ts = Date.UTC(2020, 0, 6, 14, 30) + Math.floor(i / symbolCount) * 60_000;
    const bar = { symbol, ts, open: 10, high: 11, low: 9, close: 10.5, volume: 100 };
    out.push({ key: symbol, value: JSON.stringify(tick(bar, now)) });
  }
  return out;
}

/** Spreads `extra` evenly (seeded) through `base`, keeping each list's own order. */
export function interleave<T>(base: readonly T[], extra: readonly T[], random: () => number): T[] {
  const slots = extra.map(() => Math.floor(random() * (base.length + 1))).sort((a, b) => a - b);
  const out: T[] = [];
  let e = 0;
  base.forEach((item, i) => {
    while (e < extra.length && slots[e]! <= i) out.push(extra[e++]!);
    out.push(item);
  });
  while (e < extra.length) out.push(extra[e++]!);
  return out;
}

/** A seeded Fisher–Yates shuffle (a copy). */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
