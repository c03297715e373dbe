import { tickV1Schema, type TickSource, type TickV1 } from "@/lib/events/tick-v1";
import { formatIssues } from "@/lib/events/format-issues";
import type { TickPublisherMetrics } from "@/lib/events/worker-metrics";
import type { OutMessage } from "@/lib/kafka/messages";
import { describeError, type Logger } from "@/lib/log";
import type { IngestMetrics } from "@/lib/metrics/ingest-metrics";
import { createBackoff, sleep } from "@/lib/retry";

/** Where a symbol stands after its bars reached Kafka: the newest bar start and, for replay, its newest final minute. */
export type PublishedCursor = {
  symbol: string;
  source: TickSource;
  lastTs: number;
  replaySeq: number | null;
};

export type TickPublisherDeps = {
  /** Sends one batch to `market.ticks` (keyed by symbol); rejects if Kafka did not take all of it. */
  send: (messages: OutMessage<TickV1>[]) => Promise<void>;
  /** Persists cursors of bars Kafka acknowledged; may fail (database down), then it is retried. */
  saveCursors: (cursors: PublishedCursor[]) => Promise<void>;
  logger: Logger;
  /** Most events held while Kafka is unavailable; sources pause (never drop) when it is full. */
  maxBuffered: number;
  batchSize?: number;
  /** Prometheus series of the ingest worker (none in unit tests). */
  metrics?: IngestMetrics;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
};

type Pending = { tick: TickV1; replaySeq: number | null };

/**
 * The ingest worker's only way to Kafka: a bounded FIFO of validated tick events, sent in batches by
 * one loop. A failed send keeps the batch at the head and retries it with backoff, so per-symbol order
 * holds and nothing is dropped; the buffer fills and the sources pause until Kafka is back.
 */
export function createTickPublisher(deps: TickPublisherDeps) {
  const queue: Pending[] = [];
  const batchSize = deps.batchSize ?? 2_000;
  const wait = deps.sleep ?? sleep;
  // A send failure waits 250–500 ms at first, doubling up to 5–10 s while Kafka stays away.
  const backoff = createBackoff({ baseMs: 500, maxMs: 10_000 });
  const dirtyCursors = new Map<string, PublishedCursor>();
  const metrics: Omit<TickPublisherMetrics, "buffered" | "pendingCursors"> = {
    published: {},
    rejected: 0,
    sendFailures: 0,
    lastSendAt: 0,
    kafkaAvailable: true,
    lastError: null,
  };
  /**
   * How many events at the head of the queue the last failed send tried (0: none failed). The retry
   * sends exactly those: the producer is idempotent, and the broker recognises a batch it stored before
   * the acknowledgement was lost only by the same sequence numbers; a retry grown by bars that arrived
   * meanwhile would be refused as out of order, again and again. Exact only while a batch goes as one
   * produce request: `sendTextBatch` (lib/kafka/messages.ts) splits at 5,000 messages or 768 KiB, and a
   * valid tick takes at most about 330 bytes there (its JSON is under 250), so the default 2,000 fit.
   * Beyond that, lib/kafka renews a producer whose numbers are refused (a retried piece may land twice).
   */
  let failedHead = 0;
  let running = false;
  let cursorsFailing = false;
  let wake: (() => void) | null = null;
  let loop: Promise<void> | null = null;
  let stopped = new AbortController();

  function enqueue(ticks: readonly TickV1[], replaySeqs?: readonly (number | null)[]): number {
    let accepted = 0;
    ticks.forEach((tick, i) => {
      // Producers parse before sending: a bad bar is a bug at its source, reported and never sent.
      const parsed = tickV1Schema.safeParse(tick);
      if (!parsed.success) {
        metrics.rejected++;
        deps.metrics?.eventsRejected.inc({ source: tick.source });
        deps.logger.error(
          { symbol: tick.symbol, ts: tick.ts, reason: formatIssues(parsed.error.issues) },
          "source produced an invalid bar; not sent",
        );
        return;
      }
      queue.push({ tick: parsed.data, replaySeq: replaySeqs?.[i] ?? null });
      accepted++;
    });
    deps.metrics?.bufferedEvents.set(queue.length);
    wake?.();
    return accepted;
  }

  async function flushCursors(): Promise<void> {
    if (dirtyCursors.size === 0) return;
    const cursors = [...dirtyCursors.values()];
    try {
      await deps.saveCursors(cursors);
      for (const c of cursors) if (dirtyCursors.get(c.symbol) === c) dirtyCursors.delete(c.symbol);
      if (cursorsFailing) deps.logger.info("ingest cursors saved again");
      cursorsFailing = false;
    } catch (error) {
      // Once per outage: the bars themselves keep flowing to Kafka; only the restart position waits.
      if (!cursorsFailing)
        deps.logger.warn(
          { err: describeError(error), symbols: cursors.length },
          "could not save ingest cursors (database unreachable?); retrying",
        );
      cursorsFailing = true;
    }
  }

  async function sendHead(): Promise<boolean> {
    const batch = queue.slice(0, failedHead || batchSize);
    const endTimer = deps.metrics?.produceDuration.startTimer();
    try {
      await deps.send(batch.map(({ tick }) => ({ key: tick.symbol, value: tick })));
    } catch (error) {
      endTimer?.({ outcome: "error" });
      deps.metrics?.produceRetries.inc();
      deps.metrics?.kafkaAvailable.set(0);
      metrics.sendFailures++;
      failedHead = batch.length;
      metrics.lastError = describeError(error);
      if (metrics.kafkaAvailable)
        deps.logger.warn(
          { err: metrics.lastError, buffered: queue.length },
          "Kafka send failed; holding bars and retrying",
        );
      metrics.kafkaAvailable = false;
      return false;
    }
    endTimer?.({ outcome: "ok" });
    failedHead = 0;
    queue.splice(0, batch.length);
    if (!metrics.kafkaAvailable)
      deps.logger.info({ buffered: queue.length }, "Kafka is back; sending held bars");
    metrics.kafkaAvailable = true;
    metrics.lastError = null;
    metrics.lastSendAt = Date.now();
    observeSent(batch);
    for (const { tick, replaySeq } of batch) {
      const bySource = (metrics.published[tick.source] ??= {});
      bySource[tick.symbol] = (bySource[tick.symbol] ?? 0) + 1;
      const prev = dirtyCursors.get(tick.symbol);
      if (!prev || prev.lastTs <= tick.ts)
        dirtyCursors.set(tick.symbol, {
          symbol: tick.symbol,
          source: tick.source,
          lastTs: tick.ts,
          replaySeq,
        });
    }
    return true;
  }

  function observeSent(batch: readonly Pending[]): void {
    const m = deps.metrics;
    if (!m) return;
    const bySource = new Map<TickSource, number>();
    for (const { tick } of batch) bySource.set(tick.source, (bySource.get(tick.source) ?? 0) + 1);
    for (const [source, count] of bySource) {
      m.eventsProduced.inc({ source }, count);
      m.lastProduced.set({ source }, metrics.lastSendAt / 1000);
    }
    m.produceBatchSize.observe(batch.length);
    m.bufferedEvents.set(queue.length);
    m.kafkaAvailable.set(1);
  }

  async function run(): Promise<void> {
    while (running || queue.length > 0) {
      if (queue.length === 0) {
        await flushCursors();
        if (!running) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 1_000);
        });
        wake = null;
        continue;
      }
      if (await sendHead()) {
        backoff.reset();
        if (queue.length === 0 || dirtyCursors.size > 500) await flushCursors();
      } else {
        if (!running) break; // stopping with Kafka down: what is left stays unsent, cursors say so
        // stop() cuts the wait short by aborting it (the rejection is that, not a failure): the loop
        // then makes its one last attempt.
        await wait(backoff.next(), stopped.signal).catch(() => undefined);
      }
    }
    await flushCursors();
  }

  return {
    enqueue,
    /** Whether sources may produce more now (the buffer has room). */
    canAccept: () => queue.length < deps.maxBuffered,
    get buffered() {
      return queue.length;
    },
    metrics: (): TickPublisherMetrics => ({
      ...metrics,
      buffered: queue.length,
      pendingCursors: dirtyCursors.size,
    }),
    start(): void {
      if (running) return;
      running = true;
      stopped = new AbortController();
      loop = run();
    },
    /** Stops after sending what is buffered (one attempt if Kafka is down) and saving cursors. */
    async stop(): Promise<void> {
      running = false;
      stopped.abort();
      wake?.();
      await loop;
    },
  };
}

export type TickPublisher = ReturnType<typeof createTickPublisher>;
