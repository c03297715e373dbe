import os from "node:os";

import { createProducer } from "@/lib/kafka/client";
import { describeError } from "@/lib/log";
import { pollUntil, sleep } from "@/lib/retry";

import type { BarComparison } from "./compare-rows";
import { runConsumerPerformance, type ConsumerPerformanceResult } from "./consumer-performance";
import { computeCpuBudget, type CpuBudget } from "./cpu-budget";
import { countEvents, listSymbolNames, type DataSet } from "./data-set";
import { runKafkajsCeiling, type KafkajsCeilingResult } from "./kafkajs-ceiling";
import { sampleLag, type LagSample } from "./lag";
import {
  busyShareBetween,
  diffServerCpu,
  readMachineCpu,
  readServerCpu,
  type MachineCpu,
  type ServerCpu,
} from "./process-usage";
import { sendEvents } from "./produce";
import {
  assertAllAlive,
  createProduct,
  isRetriableUnlessExited,
  ProductProcessExited,
  readProgress,
  readWorkerFigures,
  startProcesses,
  type BenchBase,
} from "./product";
import { verifyStoredBars } from "./verify";

export type ProcessFigures = { name: string; cpuSeconds: number; peakRssMiB: number };

/** CPU seconds so far of the workers (summed), the web server and the servers, and the machine's. */
type CpuSnapshot = { workers: number; web: number; servers: ServerCpu; machine: MachineCpu };

export type DrainResult = {
  kind: "drain";
  label: string;
  dataSet: DataSet;
  events: number;
  workers: number;
  produceSeconds: number;
  drained: boolean;
  /** From the first partition assignment to the last commit. */
  seconds: number;
  /** From the spawn of the processes to the last commit. */
  secondsWithStartup: number;
  eventsPerSecond: number;
  eventsPerSecondWithStartup: number;
  rowsPerSecond: number;
  /**
   * Events the workers fetched and parsed a second time and then skipped as already applied (a
   * rebalance that handed a partition over before its batches in flight had committed).
   */
  skippedEvents: number;
  cpuMicrosPerEvent: number;
  processes: ProcessFigures[];
  /** CPU seconds of PostgreSQL and the broker from the workers' start until drained. */
  servers: ServerCpu;
  /** What the machine's CPU allows at the CPU each event cost (null when nothing was stored). */
  cpuBudget: CpuBudget | null;
  consumerPerformance: ConsumerPerformanceResult | { error: string };
  kafkajs: KafkajsCeilingResult | { error: string };
  lag: LagSample[];
  comparison: BarComparison | null;
};

/**
 * A backlog drain: every event of `dataSet` is on a fresh topic before anything reads it; Kafka's
 * ConsumerPerformance and a do-nothing kafkajs consumer read it first (one consumer at a time), then
 * the web server starts, then (once it answers) the stream workers, and the clock runs until every
 * event is stored. CPU figures count from the workers' start.
 */
export async function runDrain(
  base: BenchBase,
  options: { name: string; label: string; dataSet: DataSet; workers: number; timeoutMs: number },
): Promise<DrainResult> {
  const { dataSet } = options;
  const events = countEvents(dataSet);
  const product = await createProduct(base, options.name, listSymbolNames(dataSet));
  try {
    const producer = createProducer(base.kafka, { idempotent: true });
    await producer.connect();
    const t0 = performance.now();
    await sendEvents(producer, product.topics.ticks, dataSet, 0, events);
    const produceSeconds = (performance.now() - t0) / 1000;
    await producer.disconnect();

    const consumerPerformance = await runConsumerPerformance({
      connection: base.broker.admin,
      topic: product.topics.ticks,
      messages: events,
      groupId: `${product.groupId}-ceiling-java`,
    }).catch((error: unknown) => ({ error: describeError(error) }));
    const kafkajs = await runKafkajsCeiling({
      kafka: base.kafka,
      topic: product.topics.ticks,
      messages: events,
      groupId: `${product.groupId}-ceiling-kafkajs`,
      logger: base.logger,
      fetchMaxBytes: base.env.STREAM_FETCH_MAX_BYTES,
    }).catch((error: unknown) => ({ error: describeError(error) }));
    // Let the machine settle after the ceilings before the pipeline starts.
    await sleep(2_000);

    const running = await startProcesses(base, product, options.workers);
    try {
      const lag = sampleLag(product, 250, running.startedAt);
      let assignedAt: number | null = null;
      let doneAt: number | null = null;
      // The CPU budget's span is the rate's, from the first assignment to the last commit: the workers'
      // start-up (loading modules, connecting, joining) and the scrapes after the drain stay out of it.
      const readCpu = (): CpuSnapshot => ({
        workers: running.workers.reduce((n, p) => n + (running.usage(p)?.cpuSeconds ?? 0), 0),
        web: running.usage(running.web)?.cpuSeconds ?? 0,
        servers: readServerCpu(),
        machine: readMachineCpu(),
      });
      let cpuAtAssignment: CpuSnapshot | null = null;
      let cpuAtDone: CpuSnapshot | null = null;
      await pollUntil(
        async () => {
          assertAllAlive(running);
          if (assignedAt === null) {
            const figures = await readWorkerFigures(running).catch(() => null);
            if (figures && figures.assigned > 0) {
              assignedAt = Date.now();
              cpuAtAssignment = readCpu();
            }
          }
          const { committed } = await readProgress(product);
          if (committed >= events) {
            doneAt = Date.now();
            cpuAtDone = readCpu();
          }
          return doneAt !== null;
        },
        {
          timeoutMs: options.timeoutMs,
          intervalMs: 100,
          what: `the drain of ${events} events`,
          isRetriable: isRetriableUnlessExited,
        },
      ).catch(async (error: unknown) => {
        // Not drained in time is a figure of the run; a process gone is the end of it (and of the
        // lag sampler, which would otherwise go on reading a product that is being disposed).
        if (error instanceof ProductProcessExited) {
          await lag.stop();
          throw error;
        }
      });
      const samples = await lag.stop();
      const end = doneAt ?? Date.now();
      const start = assignedAt ?? running.startedAt;
      const figures = await readWorkerFigures(running);
      const servers = diffServerCpu(running.atWorkersStart.servers, readServerCpu());
      const processes = [...running.workers, running.web].map((p) => {
        const usage = running.usage(p);
        return {
          name: p.name,
          cpuSeconds:
            (usage?.cpuSeconds ?? 0) - (p === running.web ? running.atWorkersStart.webCpuSeconds : 0),
          peakRssMiB: usage?.peakRssMiB ?? 0,
        };
      });
      const workerCpu = processes
        .filter((p) => p.name.startsWith("bench-stream"))
        .reduce((n, p) => n + p.cpuSeconds, 0);
      const committed = doneAt === null ? (await readProgress(product)).committed : events;
      const seconds = (end - start) / 1000;
      const from: CpuSnapshot = cpuAtAssignment ?? {
        workers: 0,
        web: running.atWorkersStart.webCpuSeconds,
        servers: running.atWorkersStart.servers,
        machine: running.atWorkersStart.machine,
      };
      const to = cpuAtDone ?? readCpu();
      const serversInSpan = diffServerCpu(from.servers, to.servers);
      const cpuBudget = computeCpuBudget({
        events: committed,
        cores: os.availableParallelism(),
        workerCount: options.workers,
        machineBusyShare: busyShareBetween(from.machine, to.machine),
        cpuSeconds: {
          workers: to.workers - from.workers,
          web: to.web - from.web,
          postgres: serversInSpan.postgres,
          kafka: serversInSpan.kafka,
        },
      });
      const comparison = doneAt === null ? null : await verifyStoredBars(product, dataSet, events);
      return {
        kind: "drain",
        label: options.label,
        dataSet,
        events,
        workers: options.workers,
        produceSeconds,
        drained: doneAt !== null,
        seconds,
        secondsWithStartup: (end - running.startedAt) / 1000,
        eventsPerSecond: committed / seconds,
        eventsPerSecondWithStartup: (committed * 1000) / (end - running.startedAt),
        rowsPerSecond: figures.rows / seconds,
        skippedEvents: figures.skippedEvents,
        cpuMicrosPerEvent: committed > 0 ? (workerCpu * 1e6) / committed : 0,
        processes,
        servers,
        cpuBudget,
        consumerPerformance,
        kafkajs,
        lag: samples,
        comparison,
      };
    } finally {
      await running.stop();
    }
  } finally {
    await product.dispose();
  }
}
