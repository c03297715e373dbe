import type { Producer } from "@/lib/kafka/client";
import { sendTextBatch } from "@/lib/kafka/messages";
import { sleep } from "@/lib/retry";

import { getEventBar, toTick, type DataSet } from "./data-set";
import { computeAchievedRate, countDueEvents, splitIntoSends } from "./pacing";

const MAX_PER_SEND = 5_000;
const TICK_MS = 50;

/**
 * Sends events [from, to) of the data set, each with producedAt = the moment its batch is sent. Encoded
 * without the schema parse of sendJsonBatch, which cost the benchmark's producer most of its CPU at
 * 10,000 events/s on a loaded machine: data-set.test.ts checks that the events pass the tick schema.
 */
export async function sendEvents(
  producer: Producer,
  topic: string,
  dataSet: DataSet,
  from: number,
  to: number,
  sentAt?: Float64Array,
): Promise<void> {
  let seq = from;
  for (const size of splitIntoSends(to - from, MAX_PER_SEND)) {
    const producedAt = Date.now();
    const messages = [];
    for (let i = 0; i < size; i++, seq++) {
      const bar = getEventBar(dataSet, seq);
      if (sentAt) sentAt[seq] = producedAt;
      messages.push({ key: bar.symbol, value: JSON.stringify(toTick(bar, producedAt)) });
    }
    await sendTextBatch(producer, topic, messages);
  }
}

export type PacedProduction = {
  sent: number;
  seconds: number;
  achievedRate: number;
  /** Events and time of the measured part (after the warm-up). */
  window: { fromSeq: number; toSeq: number; startedAt: number; endedAt: number; achievedRate: number };
};

/**
 * Holds `rate` events/s for `warmupSeconds + seconds`, sending on a 50 ms timer (each send's events
 * get producedAt = that send's time, recorded in `sentAt` by sequence number). `onWindowStart` runs
 * when the warm-up ends (the caller takes its first readings there).
 */
export async function producePaced(options: {
  producer: Producer;
  topic: string;
  dataSet: DataSet;
  rate: number;
  warmupSeconds: number;
  seconds: number;
  sentAt: Float64Array;
  onWindowStart: () => Promise<void>;
}): Promise<PacedProduction> {
  const { rate } = options;
  const startedAt = Date.now();
  const totalMs = (options.warmupSeconds + options.seconds) * 1000;
  const warmupMs = options.warmupSeconds * 1000;
  let sent = 0;
  let window: { fromSeq: number; startedAt: number } | null = null;
  for (;;) {
    const elapsed = Date.now() - startedAt;
    if (window === null && elapsed >= warmupMs) {
      window = { fromSeq: sent, startedAt: Date.now() };
      await options.onWindowStart();
      window.startedAt = Date.now();
      window.fromSeq = sent;
    }
    if (elapsed >= totalMs) break;
    const due = Math.min(countDueEvents(rate, elapsed, sent), countDueEvents(rate, totalMs, sent));
    if (due > 0) {
      await sendEvents(options.producer, options.topic, options.dataSet, sent, sent + due, options.sentAt);
      sent += due;
    }
    await sleep(Math.max(0, TICK_MS - ((Date.now() - startedAt) % TICK_MS)));
  }
  const endedAt = Date.now();
  const w = window ?? { fromSeq: 0, startedAt };
  return {
    sent,
    seconds: (endedAt - startedAt) / 1000,
    achievedRate: computeAchievedRate(sent, endedAt - startedAt),
    window: {
      fromSeq: w.fromSeq,
      toSeq: sent,
      startedAt: w.startedAt,
      endedAt,
      achievedRate: computeAchievedRate(sent - w.fromSeq, endedAt - w.startedAt),
    },
  };
}
