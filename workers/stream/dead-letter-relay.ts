import type { Db } from "@/lib/db/client";
import {
  getUnpublishedDeadLetterStats,
  listUnpublishedDeadLetters,
  markDeadLettersPublished,
  recordDeadLetterAttempt,
  withDeadLetterRelayLock,
} from "@/lib/db/queries/dead-letters";
import type { DeadLetterRow } from "@/lib/db/schema";
import { DLQ_HEADERS } from "@/lib/events/topics";
import type { Producer } from "@/lib/kafka/client";
import { sendTextBatch, type OutMessage } from "@/lib/kafka/messages";
import { describeError, type Logger } from "@/lib/log";
import type { StreamMetrics } from "@/lib/metrics/stream-metrics";

/**
 * Published letters are deleted after this long: as long as the DLQ topic keeps them (the broker's
 * log.retention.hours=168 that scripts/stack/kafka.ts sets, which is also Kafka's default), so the
 * table and the topic tell the same week.
 */
export const DEAD_LETTER_RETENTION_MS = 7 * 24 * 3_600_000;

/** Letters per relay pass: bounds how big one send is. */
const DEFAULT_BATCH_SIZE = 200;

export type DeadLetterRelayOptions = {
  db: Db;
  /** An idempotent producer the caller connects and disconnects. */
  producer: Producer;
  topic: string;
  logger: Logger;
  clock: () => number;
  batchSize?: number;
  metrics?: Pick<
    StreamMetrics,
    "deadLettersPublished" | "deadLettersUnpublished" | "deadLettersOldestUnpublishedAge"
  >;
};

/**
 * What the DLQ topic carries for a recorded letter: the original key ("" when it had none), the
 * received bytes (bounded, see MAX_DEAD_LETTER_VALUE_BYTES) and the DLQ_HEADERS, among them the source
 * coordinates by which any consumer drops a re-published letter.
 */
export function toDeadLetterMessage(row: DeadLetterRow): OutMessage<Buffer> {
  return {
    key: row.messageKey ?? "",
    value: row.value ?? Buffer.alloc(0),
    headers: {
      [DLQ_HEADERS.reason]: row.reason,
      [DLQ_HEADERS.reasonClass]: row.reasonClass,
      [DLQ_HEADERS.sourceTopic]: row.sourceTopic,
      [DLQ_HEADERS.sourcePartition]: String(row.sourcePartition),
      [DLQ_HEADERS.sourceOffset]: String(row.sourceOffset),
      [DLQ_HEADERS.failedAt]: row.failedAt.toISOString(),
      [DLQ_HEADERS.valueBytes]: String(row.valueBytes),
    },
  };
}

/** A send that failed: its letters stay unpublished, with the attempt recorded. */
class PublishFailed extends Error {
  constructor(
    readonly seqs: number[],
    readonly error: unknown,
  ) {
    super(`publishing ${seqs.length} dead letters failed: ${describeError(error)}`);
  }
}

/**
 * Publishes the dead-letter outbox (`dead_letters`) to the DLQ topic. One pass takes the relay lock
 * (one relay per database at a time), reads the oldest unpublished letters in recording order, sends
 * them and waits for the broker's acknowledgement, then marks them published; it repeats while full
 * batches come back. No transaction stays open across the send (see withSessionLock). A pass that fails leaves its letters unpublished for the next one (the worker
 * kicks the relay after each batch that recorded letters and on a timer), so a Kafka outage holds up
 * only the letters, never the batches.
 *
 * At-least-once on the topic, exactly once in PostgreSQL: if the process dies (or the database fails)
 * after the broker acknowledged a send and before the mark commits, the next pass sends those letters
 * again, with the same source-coordinate headers, which is how a consumer recognises the repeat.
 */
export function createDeadLetterRelay(options: DeadLetterRelayOptions) {
  const { db, producer, topic, logger, metrics } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let running: Promise<void> | null = null;
  let isKickPending = false;
  let isStopping = false;

  /**
   * One relay pass; null when another relay holds the lock. Its statements commit one by one, so no
   * transaction is open while it waits for the broker's acknowledgement.
   */
  async function publishOnce(): Promise<number | null> {
    return withDeadLetterRelayLock(db, async (connection) => {
      const rows = await listUnpublishedDeadLetters(connection, batchSize);
      if (rows.length === 0) return 0;
      try {
        await sendTextBatch(producer, topic, rows.map(toDeadLetterMessage));
      } catch (error) {
        throw new PublishFailed(
          rows.map((r) => r.seq),
          error,
        );
      }
      await markDeadLettersPublished(
        connection,
        rows.map((r) => r.seq),
      );
      return rows.length;
    });
  }

  async function updateGauges(): Promise<void> {
    if (!metrics) return;
    const stats = await getUnpublishedDeadLetterStats(db);
    metrics.deadLettersUnpublished.set(stats.count);
    const age = stats.oldestFailedAt ? (options.clock() - stats.oldestFailedAt.getTime()) / 1000 : 0;
    metrics.deadLettersOldestUnpublishedAge.set(Math.max(0, age));
  }

  /** Publishes until no full batch is left; returns how many letters this call published. */
  async function drain(): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const published = await publishOnce();
        if (published === null) break;
        total += published;
        if (published > 0) metrics?.deadLettersPublished.inc(published);
        if (published < batchSize || isStopping) break;
      }
      if (total > 0) logger.info({ published: total, topic }, "dead letters published");
    } catch (error) {
      if (error instanceof PublishFailed) {
        logger.warn(
          { err: describeError(error.error), letters: error.seqs.length, topic },
          "dead letters not published; they wait in dead_letters and the relay tries again",
        );
        await recordDeadLetterAttempt(db, error.seqs, describeError(error.error)).catch((err: unknown) =>
          logger.debug({ err: describeError(err) }, "could not record the failed dead-letter attempt"),
        );
      } else {
        // Before a send: nothing left PostgreSQL. After one (the mark failed to commit): the broker has
        // the letters, and the next pass sends them again with the same source coordinates.
        logger.warn({ err: describeError(error) }, "dead-letter relay pass failed; it tries again");
      }
    }
    await updateGauges().catch((err: unknown) =>
      logger.debug({ err: describeError(err) }, "could not count unpublished dead letters"),
    );
    return total;
  }

  return {
    /**
     * Starts a drain, or asks the running one to go round once more (letters committed after its last
     * read would otherwise wait for the timer). Never rejects; failures are logged.
     */
    kick(): void {
      if (isStopping) return;
      if (running) {
        isKickPending = true;
        return;
      }
      running = (async () => {
        do {
          isKickPending = false;
          await drain();
        } while (isKickPending && !isStopping);
      })().finally(() => (running = null));
    },
    /** Runs one drain now and returns the number of letters it published (tests, shutdown). */
    async drain(): Promise<number> {
      await running;
      return drain();
    },
    /**
     * Stops kicking and waits up to `graceMs` for the pass in flight (idempotent). A pass still sending
     * after that fails once the caller disconnects the producer, and its letters stay unpublished for
     * the next start: nothing is lost.
     */
    async stop(graceMs = 5_000): Promise<void> {
      isStopping = true;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    },
  };
}

export type DeadLetterRelay = ReturnType<typeof createDeadLetterRelay>;
