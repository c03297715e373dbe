import type { Bar } from "@/lib/kpi/types";

/** 32-bit FNV-1a hash of a string: the per-symbol seed. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small, fast, deterministic PRNG returning floats in [0, 1). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * A deterministic seeded random walk of 1-minute bars for one symbol: the same (seed, symbol) always
 * gives the same bars. Each bar opens at the previous close and walks four sub-steps (σ ≈ 0.08 % per
 * minute); high/low enclose open, close and the path; volume is log-normal around a per-symbol level.
 * Prices are rounded to cents, and OHLC stay consistent after rounding.
 */
export function createSyntheticWalk(seed: number, symbol: string) {
  const symbolSeed = hashSeed(`${seed}:${symbol}`);
  const startPrice = round2(20 + (symbolSeed % 48_000) / 100);
  const baseVolume = 2_000 + (symbolSeed % 50_000);
  let random = createRandom(symbolSeed);
  let index = -1;
  let close = startPrice;
  let last: Bar | null = null;

  function step(): Bar {
    const open = close;
    let price = open;
    let high = open;
    let low = open;
    for (let i = 0; i < 4; i++) {
      price = Math.max(0.05, price * Math.exp(0.0004 * gaussian(random)));
      high = Math.max(high, price);
      low = Math.min(low, price);
    }
    const c = round2(price);
    const bar: Bar = {
      ts: 0,
      open: round2(open),
      close: c,
      high: Math.max(round2(high), round2(open), c),
      low: Math.max(0.01, Math.min(round2(low), round2(open), c)),
      volume: Math.round(baseVolume * Math.exp(0.6 * gaussian(random))),
    };
    close = c;
    index++;
    last = bar;
    return bar;
  }

  return {
    startPrice,
    /** The bar at minute `m` of the walk (m ≥ 0). Sequential calls are O(1); going back restarts. */
    barAt(m: number): Bar {
      if (m < index) {
        random = createRandom(symbolSeed);
        index = -1;
        close = startPrice;
      }
      while (index < m) step();
      return { ...last! };
    },
  };
}

export type SyntheticWalk = ReturnType<typeof createSyntheticWalk>;
