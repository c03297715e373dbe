/**
 * The V8 flags the stream worker runs with, wherever it is launched (`npm start`, the `worker:stream`
 * script the container runs, the stream benchmark; a test pins package.json to this list).
 *
 * A batch's objects live across its database round trips, so they outlive a young-generation
 * collection and are promoted; on a machine with plenty of memory V8 then lets both generations grow
 * far beyond the live set (a 134 MB young generation, an old generation collected only at several times
 * its live size), and the pages it touched stay resident. On the 10,000-symbol drain
 * (`npm run bench -- stream --only=drain-10k`) without these flags the peak RSS was 359–393 MiB in four
 * runs and 665 MiB in a fifth (640–690 MiB before the live updates stopped being copied by zod); with
 * them 352–411 MiB in eight runs. The price is the extra collections, and it depends on the pair: with
 * a 16 MB young generation and the old one grown by half (the flags until 2026-12-02) the 1,000-symbol
 * drain cost 75–93 µs of worker CPU an event and the 10,000-symbol one 172–199 µs (peaks 398–410 MiB;
 * 506 MiB once on another machine); with an 8 MB young generation and the old one allowed to double, in
 * the same runs alternated, 57–67 µs and 144–158 µs (peaks 412–462 MiB; 469 MiB once on the other
 * machine); with no flags 52 µs but a 606 MiB peak. `BENCH_STREAM_WORKER_FLAGS=""` runs the benchmark
 * without them. Not a heap limit: a cap near the live set made the worker thrash at high rates;
 * `--heap-growing-percent=100` alone, with the default young generation, still reached 543 MiB.
 */
export const STREAM_WORKER_NODE_FLAGS: readonly string[] = [
  // Young generation ≤ 3 × 8 MB (the default grows to 134 MB here).
  "--max-semi-space-size=8",
  // Old generation grows to at most twice its live size before the next full collection.
  "--heap-growing-percent=100",
];
