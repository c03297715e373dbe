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
 * them 352–411 MiB in eight runs. The price is the extra collections: worker CPU +35% at 2,000 events/s
 * (30 instead of 22–25 CPU s a minute), the 1,000-symbol drain 55 instead of 40 µs per event (19,000
 * instead of 23,000–26,000 events/s), steady 10,000/s +15%. `BENCH_STREAM_WORKER_FLAGS=""` runs the
 * benchmark without them. Not a heap limit: a cap near the live set made the worker thrash at high
 * rates; `--heap-growing-percent=100` alone still reached 543 MiB.
 */
export const STREAM_WORKER_NODE_FLAGS: readonly string[] = [
  // Young generation ≤ 3 × 16 MB (the default grows to 134 MB here).
  "--max-semi-space-size=16",
  // Old generation grows to 1.5× its live size before the next full collection.
  "--heap-growing-percent=50",
];
