import type { Product } from "./product";
import { readProgress } from "./product";

/** One reading of the consumer lag: events on the topic not yet stored, `at` seconds into the run. */
export type LagSample = { at: number; lag: number; committed: number };

/** Samples the lag every `intervalMs` until stopped (a failed reading is skipped). */
export function sampleLag(product: Product, intervalMs: number, startedAt = Date.now()) {
  const samples: LagSample[] = [];
  let stopped = false;
  const read = async () => {
    const t = Date.now();
    try {
      const { committed, produced } = await readProgress(product);
      samples.push({ at: (t - startedAt) / 1000, lag: Math.max(0, produced - committed), committed });
    } catch {
      /* one missed reading: the next one follows */
    }
    return t;
  };
  const loop = (async () => {
    while (!stopped) {
      const t = await read();
      await new Promise((r) => setTimeout(r, Math.max(0, intervalMs - (Date.now() - t))));
    }
  })();
  return {
    samples,
    last: () => samples.at(-1) ?? null,
    /** Stops after one last reading, so that the series ends with the state at the stop. */
    stop: async () => {
      stopped = true;
      await loop;
      await read();
      return samples;
    },
  };
}

/** At most `points` readings, evenly spread and always with the last: "12k@3s 4k@6s 0@9s". */
export function formatLagSeries(samples: readonly LagSample[], points = 12): string {
  if (samples.length === 0) return "(no readings)";
  const step = Math.max(1, Math.ceil(samples.length / points));
  const picked = samples.filter((_, i) => i % step === 0);
  if (picked.at(-1) !== samples.at(-1)) picked.push(samples.at(-1)!);
  const count = (n: number) =>
    n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1_000 ? `${(n / 1000).toFixed(1)}k` : String(n);
  return picked.map((s) => `${count(s.lag)}@${Math.round(s.at)}s`).join(" ");
}
