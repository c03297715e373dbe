import { spawn } from "node:child_process";
import path from "node:path";

import { createProducer } from "@/lib/kafka/client";
import { pollUntil, sleep } from "@/lib/retry";
import { ROOT_DIR } from "@/scripts/stack/paths";

import type { BarComparison } from "./compare-rows";
import { getEventBar, getSeqOfVolume, listSymbolNames, planSteadyDataSet, type DataSet } from "./data-set";
import {
  addBuckets,
  computeHistogramQuantile,
  getHistogramMaxBound,
  subtractBuckets,
  type HistogramBucket,
} from "./histogram";
import { sampleLag, type LagSample } from "./lag";
import { producePaced } from "./produce";
import {
  createProduct,
  readProgress,
  readWorkerFigures,
  startProcesses,
  waitUntilReady,
  type BenchBase,
  type WorkerFigures,
} from "./product";
import { diffServerCpu, readServerCpu, type ServerCpu } from "./process-usage";
import type { ProcessFigures } from "./run-drain";
import { summarizeLatencies, type LatencySummary } from "./quantiles";
import { connectWatchers, type ReceivedBar } from "./socket-clients";
import { verifyStoredBars } from "./verify";

/** Quantiles (ms) read from the workers' latency histogram; `max` is the upper bound of its bucket. */
export type HistogramLatency = LatencySummary;

export type SteadyResult = {
  kind: "steady";
  label: string;
  rate: number;
  workers: number;
  /** Socket.IO clients besides the measuring ones (1,000 viewers on one web process). */
  extraClients: number;
  measuringClients: number;
  warmupSeconds: number;
  seconds: number;
  dataSet: DataSet;
  sent: number;
  achievedRate: number;
  windowEvents: number;
  /** Events and rows stored per second from the window's start until caught up (workers' counters). */
  eventsPerSecond: number;
  rowsPerSecond: number;
  committedLatency: HistogramLatency;
  socketLatency: LatencySummary;
  /** From the stream worker's publication of the update (its publishedAt) to receipt: the web's share. */
  socketFromPublished: LatencySummary;
  lag: LagSample[];
  lagAtWindowEnd: number;
  maxLag: number;
  /** Seconds after the producer stopped until every event was stored (null: not within the wait). */
  caughtUpAfter: number | null;
  cpuMicrosPerEvent: number;
  processes: (ProcessFigures & { windowCpuSeconds: number })[];
  /** CPU seconds of PostgreSQL and the broker in the same span as `windowCpuSeconds`. */
  servers: ServerCpu;
  comparison: BarComparison | null;
};

function toHistogramLatency(buckets: HistogramBucket[]): HistogramLatency {
  const ms = (x: number | null) => (x === null ? null : x * 1000);
  return {
    count: buckets.at(-1)?.count ?? 0,
    p50: ms(computeHistogramQuantile(0.5, buckets)),
    p95: ms(computeHistogramQuantile(0.95, buckets)),
    p99: ms(computeHistogramQuantile(0.99, buckets)),
    max: ms(getHistogramMaxBound(buckets)),
  };
}

/** Starts `count` Socket.IO viewers in a process of their own; resolves once all are subscribed. */
async function startViewerCrowd(
  url: string,
  count: number,
  symbols: readonly string[],
  defer: BenchBase["defer"],
) {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(ROOT_DIR, "scripts/bench/stream/socket-load.ts"),
      url,
      String(count),
      symbols.join(","),
    ],
    { stdio: ["ignore", "pipe", "inherit"], cwd: ROOT_DIR },
  );
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const stop = defer(async () => {
    if (child.exitCode !== null) return;
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  });
  await pollUntil(
    () => {
      if (child.exitCode !== null) throw new Error(`the Socket.IO crowd exited ${child.exitCode}`);
      return out.includes("ready");
    },
    { timeoutMs: 180_000, intervalMs: 200, what: `${count} Socket.IO clients to subscribe` },
  );
  return {
    pid: child.pid!,
    stop: async () => {
      await stop();
      return Number(/received (\d+)/.exec(out)?.[1] ?? 0);
    },
  };
}

/**
 * A steady-rate run: the product starts idle, the measuring Socket.IO clients (and the crowd, if any)
 * subscribe, then the producer holds `rate` events/s through a warm-up and the measured window. Then it
 * stops and the run waits for the workers to catch up before reading the figures.
 */
export async function runSteady(
  base: BenchBase,
  options: {
    name: string;
    label: string;
    rate: number;
    workers: number;
    symbols: number;
    warmupSeconds: number;
    seconds: number;
    extraClients: number;
    catchUpTimeoutMs: number;
  },
): Promise<SteadyResult> {
  const planned = Math.ceil(options.rate * (options.warmupSeconds + options.seconds) * 1.05) + 1_000;
  const dataSet = planSteadyDataSet(options.symbols, planned, Date.now());
  const symbols = listSymbolNames(dataSet);
  const product = await createProduct(base, options.name, symbols);
  try {
    const running = await startProcesses(base, product, options.workers);
    try {
      await waitUntilReady(running);
      const sentAt = new Float64Array(planned).fill(Number.NaN);
      const received = new Uint8Array(planned);
      const bars: ReceivedBar[] = [];
      const watchers = await connectWatchers(running.webUrl, symbols, (bar) => {
        const seq = getSeqOfVolume(bar.volume);
        // A bar shown again (a later bar moved its moving averages) counts once, at its first receipt.
        if (seq < 0 || seq >= planned || received[seq]) return;
        received[seq] = 1;
        bars.push(bar);
      });
      const crowd =
        options.extraClients > 0
          ? await startViewerCrowd(running.webUrl, options.extraClients, symbols, base.defer)
          : null;
      const processes = [...running.workers, running.web];
      const lag = sampleLag(product, 1_000);
      const producer = createProducer(base.kafka, { idempotent: true });
      await producer.connect();
      let before: WorkerFigures | null = null;
      const cpuBefore = new Map<number, number>();
      let serversBefore = readServerCpu();
      const production = await producePaced({
        producer,
        topic: product.topics.ticks,
        dataSet,
        rate: options.rate,
        warmupSeconds: options.warmupSeconds,
        seconds: options.seconds,
        sentAt,
        onWindowStart: async () => {
          before = await readWorkerFigures(running);
          for (const p of processes) cpuBefore.set(p.pid, running.usage(p)?.cpuSeconds ?? 0);
          serversBefore = readServerCpu();
        },
      });
      await producer.disconnect();
      const lagAtWindowEnd = lag.last()?.lag ?? 0;
      const stoppedAt = Date.now();
      const caughtUp = await pollUntil(
        async () => (await readProgress(product)).committed >= production.sent,
        {
          timeoutMs: options.catchUpTimeoutMs,
          intervalMs: 100,
          what: "the workers to catch up",
          isRetriable: () => true,
        },
      ).then(
        () => (Date.now() - stoppedAt) / 1000,
        () => null,
      );
      // Updates of the last batches are still on their way to the clients.
      await sleep(1_000);
      const after = await readWorkerFigures(running);
      const afterAt = Date.now();
      const servers = diffServerCpu(serversBefore, readServerCpu());
      const samples = await lag.stop();
      const usage = processes.map((p) => {
        const u = running.usage(p);
        return {
          name: p.name,
          cpuSeconds: u?.cpuSeconds ?? 0,
          peakRssMiB: u?.peakRssMiB ?? 0,
          windowCpuSeconds: (u?.cpuSeconds ?? 0) - (cpuBefore.get(p.pid) ?? 0),
        };
      });
      await crowd?.stop();
      watchers.close();

      const { window } = production;
      // From the first reading to the last: the window and the catch-up after it, when the events the
      // window produced were stored.
      const storingSeconds = (afterAt - window.startedAt) / 1000;
      const first = before as WorkerFigures | null;
      const latency = subtractBuckets(addBuckets(after.latency), addBuckets(first?.latency ?? []));
      const inWindow = bars.filter((b) => {
        const seq = getSeqOfVolume(b.volume);
        return seq >= window.fromSeq && seq < window.toSeq;
      });
      for (const b of inWindow.slice(0, 100)) {
        const bar = getEventBar(dataSet, getSeqOfVolume(b.volume));
        if (bar.symbol !== b.symbol || bar.ts !== b.ts)
          throw new Error(
            `received bar ${b.symbol}@${b.ts} does not match event ${getSeqOfVolume(b.volume)}`,
          );
      }
      const workerWindowCpu = usage
        .filter((p) => p.name.startsWith("bench-stream"))
        .reduce((n, p) => n + p.windowCpuSeconds, 0);
      const windowApplied = after.applied - (first?.applied ?? 0);
      const comparison = caughtUp === null ? null : await verifyStoredBars(product, dataSet, production.sent);
      return {
        kind: "steady",
        label: options.label,
        rate: options.rate,
        workers: options.workers,
        extraClients: options.extraClients,
        measuringClients: watchers.sockets,
        warmupSeconds: options.warmupSeconds,
        seconds: options.seconds,
        dataSet,
        sent: production.sent,
        achievedRate: window.achievedRate,
        windowEvents: window.toSeq - window.fromSeq,
        eventsPerSecond: windowApplied / storingSeconds,
        rowsPerSecond: (after.rows - (first?.rows ?? 0)) / storingSeconds,
        committedLatency: toHistogramLatency(latency),
        socketLatency: summarizeLatencies(
          inWindow.map((b) => b.receivedAt - sentAt[getSeqOfVolume(b.volume)]!),
        ),
        socketFromPublished: summarizeLatencies(inWindow.map((b) => b.receivedAt - b.publishedAt)),
        lag: samples,
        lagAtWindowEnd,
        maxLag: Math.max(0, ...samples.map((s) => s.lag)),
        caughtUpAfter: caughtUp,
        cpuMicrosPerEvent: windowApplied > 0 ? (workerWindowCpu * 1e6) / windowApplied : 0,
        processes: usage,
        servers,
        comparison,
      };
    } finally {
      await running.stop();
    }
  } finally {
    await product.dispose();
  }
}
