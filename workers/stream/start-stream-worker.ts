import type { Registry } from "prom-client";

import type { Db } from "@/lib/db/client";
import { listenForNotifications } from "@/lib/db/listen";
import { createPartitionClaims } from "@/lib/db/partition-claims";
import { finalizeFactPricesUpTo } from "@/lib/db/queries/fact-prices";
import { deleteDeadLettersPublishedBefore } from "@/lib/db/queries/dead-letters";
import { deleteRawTicksBefore } from "@/lib/db/queries/raw-ticks";
import { deleteFinishedWebhookDeliveriesBefore } from "@/lib/db/queries/webhook-deliveries";
import { listStreamOffsets } from "@/lib/db/queries/stream-offsets";
import type { KpiUpdateV1 } from "@/lib/events/kpi-update-v1";
import type { SymbolsKpiUpdateV3 } from "@/lib/events/kpi-update-v3";
import type { SymbolPolicy } from "@/lib/events/symbol-policy";
import type { StreamWorkerMetrics } from "@/lib/events/worker-metrics";
import { SYMBOLS_CHANGED_CHANNEL, symbolsChangedSchema } from "@/lib/events/symbols-changed";
import { createConsumer, createProducer, type EachBatchPayload, type KafkaClient } from "@/lib/kafka/client";
import { waitWithHeartbeats } from "@/lib/kafka/heartbeat";
import { isTransientKafkaError } from "@/lib/kafka/kafkajs-log";
import { sendTextBatch, toInMessage, type OutMessage } from "@/lib/kafka/messages";
import { computeLastFinalTs } from "@/lib/kpi/bar-finality";
import { describeError, type Logger } from "@/lib/log";
import { summarizeProducedAt } from "@/lib/events/produced-at-headers";
import { createMetricsRegistry } from "@/lib/metrics/registry";
import { createStreamMetrics, forgetPartitions, recordAppliedBatch } from "@/lib/metrics/stream-metrics";
import {
  buildMoversUpdates,
  buildSymbolUpdates,
  toKpiMessages,
  toSymbolsMessages,
} from "@/workers/handlers/kpi-updates";
import { createTickBatchHandler } from "@/workers/handlers/tick-batch";
import { startAlertRuntime } from "@/workers/stream/alert-runtime";
import { createLagOffsets } from "@/workers/stream/lag-offsets";
import { createLiveUpdatePublisher } from "@/workers/stream/live-update-publisher";
import { createMoversPublisher } from "@/workers/stream/movers-publisher";
import { createDeadLetterRelay, DEAD_LETTER_RETENTION_MS } from "@/workers/stream/dead-letter-relay";
import {
  createWebhookRelay,
  WEBHOOK_DELIVERY_RETENTION_MS,
  type WebhookRelayOptions,
} from "@/workers/stream/webhook-relay";

/**
 * The stream worker's least time between two heartbeats. When a member joins (or leaves) the group, no
 * partition is assigned again until every member has rejoined, which each does at its next beat: at
 * kafkajs's usual sixth of the session timeout (1 s at 6 s), a worker joining a backlog drain waited
 * more than a second for its partitions. A beat is one small request.
 */
const HEARTBEAT_INTERVAL_MS = 250;

/**
 * The stream worker's fetch wait (lib/kafka `fetchMaxWaitMs`). Every join pauses the partitions until
 * their stored offsets are sought (GROUP_JOIN below), and kafkajs, finding everything paused, sleeps a
 * whole fetch wait before it looks again: at 250 ms a new owner's first batch came 0.34 s after the
 * assignment, at 50 ms 0.16 s. Events arrive as soon as there are some either way; idle, a worker sends
 * 20 empty fetches a second.
 */
const STREAM_FETCH_MAX_WAIT_MS = 50;

/**
 * How long a worker that was assigned partitions waits in all for their previous owners' claims: those
 * owners' handed-over batches commit first (about 0.7 s for a batch of 12,000 events here). Beyond it the
 * worker goes on and fetches from the offsets stored so far (the batch check keeps exactly once), as a
 * hung previous owner would otherwise hold the partitions up.
 */
const PARTITION_CLAIM_WAIT_MS = 3_000;

export type StreamWorkerOptions = {
  db: Db;
  kafka: KafkaClient;
  logger: Logger;
  topics: { ticks: string; kpis: string; ticksDlq: string };
  groupId: string;
  windows: readonly number[];
  finalGraceSeconds: number;
  /** Time zone of the symbols registered from the topic (register mode). */
  defaultTimeZone: string;
  /** UNKNOWN_SYMBOLS and MAX_REGISTERED_SYMBOLS. */
  symbolPolicy: SymbolPolicy;
  /** STREAM_MAX_CACHED_SYMBOLS: symbols whose state stays in memory between batches. */
  maxCachedSymbols: number;
  /** STREAM_MAX_CACHED_BARS: bars over those symbols' states kept in memory between batches. */
  maxCachedBars: number;
  /** STREAM_FETCH_MAX_BYTES: most bytes fetched per partition per request (bounds a batch). */
  fetchMaxBytes: number;
  /** How long a refused symbol is refused without asking PostgreSQL again; 30 s unless set. */
  refusalTtlMs?: number;
  rawTicksRetentionHours: number;
  sessionTimeoutMs?: number;
  /** The member id of a dead worker of the group, to join as (STREAM_HANDED_OVER_MEMBER_ID). */
  handedOverMemberId?: string;
  /** Called with the worker's member id after each join of its group (the supervisor keeps it). */
  onJoin?: (memberId: string) => void;
  /** When set, the worker LISTENs for symbol changes (time zone, purge) and forgets their state. */
  databaseUrl?: string;
  clock?: () => number;
  /** A bar starting more than this after the clock is dead-lettered; 60 s unless set. */
  futureBarToleranceSeconds?: number;
  /** Interval of the finality and retention sweeps (0 disables them). */
  housekeepingMs?: number;
  /** Interval of the dead-letter relay's timer pass (besides its kick after each batch with letters). */
  deadLetterRelayMs?: number;
  /** Webhook delivery of alerts (workers/stream/webhook-relay.ts); without it, deliveries wait in the outbox. */
  webhooks?: Pick<WebhookRelayOptions, "send" | "retry"> & { intervalMs?: number };
  /**
   * Batches of different partitions handed over at once (kafkajs's eachBatch calls); 4 unless set.
   * A handed-over batch is applied in its own transaction while kafkajs fetches the next (per-partition
   * order stays), so each assigned partition may hold a pooled connection: with more partitions per
   * worker than the pool's connections, batches wait for one.
   */
  partitionsConsumedConcurrently?: number;
  /**
   * Least time between two movers passes (each ranks the touched windows and day over every symbol);
   * 1 s unless set. Symbol updates are not held back by it.
   */
  moversIntervalMs?: number;
  /** How long a join waits in all for the previous owners' claims; PARTITION_CLAIM_WAIT_MS unless set. */
  partitionClaimWaitMs?: number;
  /** Where the worker's Prometheus series go (default: a registry of its own, see `registry`). */
  registry?: Registry;
};

/**
 * Runs the stream worker's consumer until `stop()`: market.ticks in consumer group `groupId`, one
 * PostgreSQL transaction per batch with the partition offsets and the batch's dead letters (relayed to
 * the DLQ topic after the commit), live updates to the KPI topic after each commit, off the fetch path
 * (createLiveUpdatePublisher).
 */
export async function startStreamWorker(options: StreamWorkerOptions) {
  const { db, logger, topics } = options;
  const clock = options.clock ?? Date.now;
  // Dead letters are recorded with their batch (dead_letters) and published by the relay after commit,
  // through the idempotent producer so that its own retries never double or reorder them. Live updates
  // are best effort and go through their own producer, so that a failed update can never disturb the
  // dead-letter sequence.
  const producer = createProducer(options.kafka, { idempotent: true });
  const liveProducer = createProducer(options.kafka);
  const metrics: Omit<StreamWorkerMetrics, "kind" | "cachedSymbols"> = {
    batches: 0,
    applied: 0,
    deadLettered: 0,
    skipped: 0,
    failedBatches: 0,
    lastBatchAt: 0,
    lastError: null,
    partitions: [],
  };

  const registry = options.registry ?? createMetricsRegistry("stream", { withProcessMetrics: false });
  const observed = createStreamMetrics(registry);
  observed.cachedSymbolsCapacity.set(options.maxCachedSymbols);
  observed.cachedBarsCapacity.set(options.maxCachedBars);

  const alerts = startAlertRuntime({ db, logger, clock, databaseUrl: options.databaseUrl });
  const handler = createTickBatchHandler({
    db,
    logger,
    clock,
    evaluateAlerts: alerts.evaluate,
    config: {
      groupId: options.groupId,
      windows: options.windows,
      finalGraceMs: options.finalGraceSeconds * 1000,
      defaultTimeZone: options.defaultTimeZone,
      symbolPolicy: options.symbolPolicy,
      maxCachedSymbols: options.maxCachedSymbols,
      maxCachedBars: options.maxCachedBars,
      // Short enough that a symbol added by an admin, or room made under the limit, is seen within
      // half a minute even if its NOTIFY was missed; long enough that a flood costs one read a while.
      refusalTtlMs: options.refusalTtlMs ?? 30_000,
      landRawTicks: options.rawTicksRetentionHours > 0,
      futureToleranceMs: (options.futureBarToleranceSeconds ?? 60) * 1000,
    },
  });
  /** The state cache as the last batch left it, in Prometheus. */
  const observeCache = () => {
    observed.cachedSymbols.set(handler.cachedSymbols);
    observed.cachedBars.set(handler.cachedBars);
  };
  const relay = createDeadLetterRelay({
    db,
    producer,
    topic: topics.ticksDlq,
    logger: logger.child({ component: "dead-letter-relay" }),
    clock,
    metrics: observed,
  });

  const webhookRelay = options.webhooks
    ? createWebhookRelay({
        db,
        ...options.webhooks,
        logger: logger.child({ component: "webhook-relay" }),
        clock,
      })
    : null;
  /** `count`: the updates the messages carry (a v3 symbols message carries many). */
  const sendUpdates = async (messages: OutMessage<KpiUpdateV1 | SymbolsKpiUpdateV3>[], count: number) => {
    // Checked against the contract by toKpiMessages and toSymbolsMessages; sent as JSON text, written
    // as each request fills.
    await sendTextBatch(liveProducer, topics.kpis, messages, (value) => JSON.stringify(value));
    observed.kpiUpdates.inc({ outcome: "sent" }, count);
  };
  const onUpdateError = (error: unknown) => {
    observed.kpiUpdates.inc({ outcome: "failed" });
    logger.warn({ err: describeError(error) }, "live KPI update not published (the rows are committed)");
  };
  const publisher = createLiveUpdatePublisher({
    publish: async ({ changes, ticks }) => {
      const pass = buildSymbolUpdates(changes, clock());
      if (pass.updates.length === 0) return;
      // The ticks' producedAt travel as headers (KPI_HEADERS), outside the v1 update contract.
      const produced = summarizeProducedAt(ticks);
      await sendUpdates(
        toSymbolsMessages(pass, (symbol) => produced.bySymbol.get(symbol) ?? null),
        pass.updates.length,
      );
    },
    onError: onUpdateError,
  });
  const movers = createMoversPublisher({
    intervalMs: options.moversIntervalMs ?? 1_000,
    publish: async (touched) => {
      const updates = await buildMoversUpdates(db, touched, clock, options.defaultTimeZone);
      await sendUpdates(
        toKpiMessages(updates, () => touched.produced),
        updates.length,
      );
    },
    onError: onUpdateError,
  });
  // Kafka's own committed offset only serves lag monitoring; the truth is stream_offsets.
  const lagOffsets = createLagOffsets({
    intervalMs: 1_000,
    commit: (offsets) => consumer.commitOffsets(offsets),
    onError: (error) => logger.debug({ err: describeError(error) }, "could not commit offsets to Kafka"),
  });

  const consumer = createConsumer(options.kafka, {
    groupId: options.groupId,
    sessionTimeoutMs: options.sessionTimeoutMs,
    heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
    handedOverMemberId: options.handedOverMemberId,
    maxBytesPerPartition: options.fetchMaxBytes,
    fetchMaxWaitMs: STREAM_FETCH_MAX_WAIT_MS,
    restartOnFailure: (error) => {
      // An expected broker condition was already logged as one line by the kafkajs log (lib/kafka/kafkajs-log).
      if (isTransientKafkaError(error)) logger.debug({ err: describeError(error) }, "consumer restarts");
      else logger.warn({ err: describeError(error) }, "consumer failed; kafkajs restarts it");
      return Promise.resolve(true);
    },
  });

  // Per partition, the batch handed over by eachBatch and still being applied, and the error of one
  // that rolled back after its hand-over (thrown by the partition's next eachBatch).
  const applying = new Map<number, Promise<void>>();
  const failures = new Map<number, unknown>();
  /** Set by stop(): eachBatch hands nothing more over, so that what is handed over can settle. */
  let stopping = false;
  /** Resolves when every handed-over batch is committed or rolled back. */
  const settleApplying = async () => {
    while (applying.size > 0) await Promise.allSettled([...applying.values()]);
  };
  /** Moves a partition's fetch position; nothing to move once the consumer has left its group. */
  const seekQuietly = (partition: number, offset: number) => {
    try {
      consumer.seek({ topic: topics.ticks, partition, offset: String(offset) });
    } catch (error) {
      logger.debug({ partition, err: describeError(error) }, "no seek: the consumer is not running");
    }
  };

  // The partitions this member applies, claimed in PostgreSQL (lib/db/partition-claims.ts): released on
  // a rejoin only once their handed-over batches have settled, and claimed by a new owner before it reads
  // their stored offsets, so that it starts after the old owner's last commit instead of fetching and
  // parsing those batches again only to skip them. A claim not granted in time, or no claims at all,
  // costs that double work only.
  const claims = createPartitionClaims({
    db,
    consumerGroup: options.groupId,
    topic: topics.ticks,
    waitMs: options.partitionClaimWaitMs ?? PARTITION_CLAIM_WAIT_MS,
  });
  const claimPartitions = async (partitions: readonly number[], isStale: () => boolean) => {
    try {
      const { unclaimed, waitedMs } = await claims.hold(partitions, isStale);
      if (unclaimed.length > 0)
        logger.info(
          { partitions: unclaimed, waitedMs: Math.round(waitedMs) },
          "partitions not claimed in time; going on",
        );
      else if (waitedMs >= 100)
        logger.debug(
          { partitions, waitedMs: Math.round(waitedMs) },
          "waited for the previous owner's batches",
        );
    } catch (error) {
      logger.debug({ err: describeError(error) }, "partitions not claimed: no connection for the claims");
    }
  };

  // On every (re)assignment: keep the in-memory state only of partitions that stayed with this member
  // and that nobody else applied meanwhile (handler.keepPartitions), and seek to the offsets stored
  // with the rows. Batches re-check the stored offset in their transaction, so a fetch that raced ahead
  // of this seek is still applied exactly once.
  let joins = 0;
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    const partitions = event.payload.memberAssignment[topics.ticks] ?? [];
    logger.info({ partitions }, "partitions assigned");
    // Paused here, synchronously, before the fetch loop of this generation starts: nothing is fetched
    // from Kafka's committed offsets (which may trail the stored ones by a batch, or more after a crash)
    // until each partition is sought to its stored offset. Only the newest join resumes, and none once
    // the worker stops (stop() counts as a join): its consumer has left the group, and kafkajs throws on
    // a seek or resume then, which would reject this promise with nobody to catch it.
    const join = ++joins;
    consumer.pause([{ topic: topics.ticks }]);
    options.onJoin?.(event.payload.memberId);
    // A rejoin while the worker stops (a rebalance seen as its last batches commit): the consumer is
    // about to leave the group, so this generation stays paused and nothing is sought.
    if (stopping) return;
    // kafkajs rejoined without waiting for the batches handed over before: their commits come first, so
    // that the offsets read below include them. Then the claims: the revoked partitions are released,
    // the assigned ones claimed (waiting for their previous owners' commits), and only then are their
    // stored offsets read, which tell what in memory may be kept: nothing runs meanwhile, as every
    // partition stays paused until it is sought.
    void settleApplying()
      .then(() => {
        if (join !== joins) return;
        failures.clear();
        // After the settle: a revoked partition's last batch records its lag series before they go.
        forgetPartitions(
          observed,
          metrics.partitions.filter((p) => !partitions.includes(p)),
        );
        observed.assignedPartitions.set(partitions.length);
        metrics.partitions = partitions;
        return claimPartitions(partitions, () => join !== joins);
      })
      .then(() =>
        join !== joins ? new Map<number, number>() : listStreamOffsets(db, options.groupId, topics.ticks),
      )
      .then((stored) => {
        if (join !== joins) return;
        const kept = handler.keepPartitions(partitions, stored);
        logger.debug({ partitions, keptSymbols: kept }, "symbol states kept through the join");
        for (const partition of partitions) {
          const offset = stored.get(partition);
          if (offset !== undefined) consumer.seek({ topic: topics.ticks, partition, offset: String(offset) });
        }
      })
      .catch((error: unknown) => {
        // Nothing tells whether memory is current: all of it goes.
        handler.reset();
        logger.warn(
          { err: describeError(error) },
          "could not read stored offsets; the batch check still applies",
        );
      })
      .finally(() => {
        if (join !== joins) return;
        try {
          consumer.resume([{ topic: topics.ticks }]);
        } catch (error) {
          // The consumer crashed for good between the join and now: there is nothing left to resume.
          logger.debug({ err: describeError(error) }, "partitions not resumed: the consumer left its group");
        }
      });
  });
  let crashed: ((error: Error) => void) | null = null;
  consumer.on(consumer.events.CRASH, (event) => {
    const { error, restart } = event.payload;
    if (restart) {
      // kafkajs restarts the consumer; its own log and restartOnFailure above said why.
      logger.debug({ err: describeError(error) }, "consumer crashed; kafkajs restarts it");
      return;
    }
    logger.error({ err: describeError(error) }, "consumer crashed and kafkajs gave up; the worker exits");
    crashed?.(error);
  });

  await producer.connect();
  await liveProducer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.ticks], fromBeginning: true });

  /**
   * Applies one fetched batch (the batch's transaction, then its metrics, lag offset and live updates).
   * Rejects when the batch failed and rolled back.
   */
  async function applyBatch(batch: EachBatchPayload["batch"]): Promise<void> {
    const startedAt = performance.now();
    const messages = batch.messages.map((m) => toInMessage(batch.partition, m));
    let result;
    observed.batchSize.observe(messages.length);
    const endTimer = observed.batchDuration.startTimer();
    const evictedBefore = handler.evictedSymbols;
    try {
      result = await handler.handleBatch({ topic: batch.topic, partition: batch.partition, messages });
    } catch (error) {
      endTimer();
      observeCache();
      observed.batches.inc({ outcome: "failed" });
      metrics.failedBatches++;
      metrics.lastError = describeError(error);
      logger.warn(
        { partition: batch.partition, err: metrics.lastError },
        "batch failed and rolled back; it will be retried",
      );
      throw error;
    }
    endTimer();
    observed.evictedSymbols.inc(handler.evictedSymbols - evictedBefore);
    observeCache();
    if (result.kind === "gap") {
      observed.batches.inc({ outcome: "gap" });
      logger.warn(
        { partition: batch.partition, seekTo: result.seekTo },
        "stored offset is behind this batch; re-reading from it",
      );
      seekQuietly(batch.partition, result.seekTo);
      return;
    }
    metrics.batches++;
    metrics.applied += result.applied;
    metrics.deadLettered += result.deadLettered;
    for (const reason of result.deadLetterClasses) observed.deadLetters.inc({ reason });
    // The letters are committed: publish them now rather than at the relay's next timer pass.
    if (result.deadLettered > 0) relay.kick();
    metrics.skipped += result.skipped;
    observed.registeredSymbols.inc(result.registered);
    metrics.lastBatchAt = clock();
    // At debug (BENCH_LOG_LEVEL=debug in the benchmark): each batch on a timeline of joins and commits.
    logger.debug(
      { partition: batch.partition, events: messages.length, ms: Math.round(performance.now() - startedAt) },
      "batch committed",
    );
    metrics.lastError = null;
    const changes = [...result.changes.values()];
    const count = (rows: (c: (typeof changes)[number]) => readonly unknown[]) =>
      changes.reduce((n, c) => n + rows(c).length, 0);
    recordAppliedBatch(observed, {
      partition: batch.partition,
      highWatermark: Number(batch.highWatermark),
      nextOffset: result.nextOffset,
      ticks: result.ticks,
      skipped: result.skipped,
      rows: {
        fact_prices: count((c) => c.bars),
        daily_stats: count((c) => c.days),
        kpi_snapshots: count((c) => c.windows),
        raw_ticks: options.rawTicksRetentionHours > 0 ? result.applied : 0,
        stream_offsets: 1,
      },
      committedAt: metrics.lastBatchAt,
    });
    lagOffsets.record(batch.topic, batch.partition, result.nextOffset);
    // Published off the fetch path: the next batch is fetched while this one's updates go out.
    publisher.enqueue({ changes: result.changes, ticks: result.ticks });
    movers.touch(result.changes, summarizeProducedAt(result.ticks).all);
  }

  // Connected while the consumer joins its group rather than on the first join, which would wait for it
  // before reading its offsets (after the connects above, so that a failed start leaves no connection).
  void claims
    .open()
    .catch((error: unknown) =>
      logger.debug(
        { err: describeError(error) },
        "no connection for the claims yet; the first join tries again",
      ),
    );
  await consumer.run({
    autoCommit: false,
    // Partitions are independent (own offsets row, own symbols): while one batch waits for PostgreSQL,
    // another partition's batch is parsed and computed.
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 4,
    eachBatchAutoResolve: false,
    // kafkajs fetches again only once every batch of its last fetch is handled. A batch is therefore
    // handed over here and applied after this returns (one per partition at a time, in offset order): the
    // next fetch overlaps its transaction instead of leaving the worker idle for a round trip after it.
    eachBatch: async (payload) => {
      const { batch } = payload;
      // The partition's previous batch first (offset order). Its transaction can take long (a big batch,
      // a slow PostgreSQL): the member beats meanwhile, so that it neither stalls a rebalance that the
      // rest of the group waits on nor is removed from the group for its silence.
      const previous = applying.get(batch.partition);
      if (previous) await waitWithHeartbeats(previous, () => payload.heartbeat(), HEARTBEAT_INTERVAL_MS);
      if (stopping) return;
      if (failures.has(batch.partition)) {
        // The previous batch rolled back after its hand-over: fail here, as it would have failed in
        // eachBatch, so that kafkajs retries (from the offset it was sought back to) with its backoff,
        // and restarts the consumer when its retries run out.
        const error = failures.get(batch.partition);
        failures.delete(batch.partition);
        throw error;
      }
      if (!payload.isRunning() || payload.isStale() || batch.messages.length === 0) return;
      const partition = batch.partition;
      const firstOffset = batch.messages[0]!.offset;
      const work = applyBatch(batch).catch((error: unknown) => {
        failures.set(partition, error);
        // Fetched again, so that a next eachBatch of this partition reports the failure even when no
        // newer event comes (the batches fetched after this one are dropped by the seek).
        seekQuietly(partition, Number(firstOffset));
      });
      applying.set(partition, work);
      void work.finally(() => {
        if (applying.get(partition) === work) applying.delete(partition);
      });
      payload.resolveOffset(batch.lastOffset());
      await payload.heartbeat();
    },
  });

  // Housekeeping: bars whose minute and grace are over become final even if no later bar comes (the
  // last bar of a session); raw_ticks and published dead letters are kept for their retention periods.
  const graceMs = options.finalGraceSeconds * 1000;
  const housekeepingMs = options.housekeepingMs ?? 15_000;
  const housekeeping =
    housekeepingMs > 0
      ? setInterval(() => {
          void finalizeFactPricesUpTo(db, computeLastFinalTs(clock(), graceMs)).catch((error: unknown) =>
            logger.debug({ err: describeError(error) }, "finalize sweep failed"),
          );
          void deleteDeadLettersPublishedBefore(db, clock() - DEAD_LETTER_RETENTION_MS).catch(
            (error: unknown) => logger.debug({ err: describeError(error) }, "dead_letters retention failed"),
          );
          void deleteFinishedWebhookDeliveriesBefore(db, clock() - WEBHOOK_DELIVERY_RETENTION_MS).catch(
            (error: unknown) => logger.debug({ err: describeError(error) }, "webhook retention failed"),
          );
          if (options.rawTicksRetentionHours > 0) {
            void deleteRawTicksBefore(db, clock() - options.rawTicksRetentionHours * 3_600_000).catch(
              (error: unknown) => logger.debug({ err: describeError(error) }, "raw_ticks retention failed"),
            );
          }
        }, housekeepingMs)
      : undefined;

  // The timer publishes what no kick did: letters left by a crash or a Kafka outage, and those recorded
  // while another worker's relay held the lock.
  relay.kick();
  const relayTimer = setInterval(() => relay.kick(), options.deadLetterRelayMs ?? 5_000);
  // Webhooks on a timer of their own, never in the batch path: a due delivery waits at most this long.
  webhookRelay?.kick();
  const webhookTimer = webhookRelay
    ? setInterval(() => webhookRelay.kick(), options.webhooks?.intervalMs ?? 1_000)
    : undefined;

  const symbolsListener = options.databaseUrl
    ? listenForNotifications({
        url: options.databaseUrl,
        channel: SYMBOLS_CHANGED_CHANNEL,
        schema: symbolsChangedSchema,
        logger,
        onNotify: ({ symbol }) => handler.forget(symbol),
        onReconnect: () => handler.reset(),
      })
    : null;

  return {
    registry,
    metrics: (): StreamWorkerMetrics => ({
      kind: "stream",
      ...metrics,
      cachedSymbols: handler.cachedSymbols,
    }),
    /** Resolves with the error if the consumer gives up for good. */
    failed: new Promise<Error>((resolve) => (crashed = resolve)),
    /** Finishes the batch in flight (or abandons it atomically), then disconnects. */
    async stop(): Promise<void> {
      joins++; // a join still reading its stored offsets neither seeks nor resumes
      stopping = true;
      clearInterval(housekeeping);
      clearInterval(relayTimer);
      clearInterval(webhookTimer);
      await webhookRelay?.stop();
      await symbolsListener?.stop();
      await alerts.stop();
      // The batches handed over commit (nothing more is handed over), then the last offsets reach
      // Kafka's group while the consumer is still a member.
      await settleApplying();
      // Nothing is applied after the settle: the claims go (and a join still waiting for one stops).
      await claims.close();
      await lagOffsets.flush();
      await consumer.disconnect();
      // The updates of the last committed batches go out before their producer disconnects.
      await publisher.flush();
      await movers.flush();
      await relay.stop();
      await producer.disconnect();
      // A pass that was still sending fails now; its letters stay unpublished for the next start.
      await relay.stop(2_000);
      await liveProducer.disconnect();
    },
  };
}

export type StreamWorker = Awaited<ReturnType<typeof startStreamWorker>>;
