// One side of `npm run bench kafka` in a process of its own (so that kafkajs's encoder is patched or not
// from the start): encodes a produce request of live updates as kafkajs's connection would send it.
// Usage: node --import tsx kafka-encode-run.ts <kafkajs|rope>; prints one line of JSON.
import { toKpiHeaders } from "@/lib/events/produced-at-headers";
import { installFastCrc32cInKafkajs } from "@/lib/kafka/crc32c";
import { installRopeEncoderInKafkajs } from "@/lib/kafka/encoder";

const variant = process.argv[2];
// Both sides with the project's checksum (fourteenth step), which must be in place before kafkajs's record
// batch module loads its own: only the encoder differs.
if (!installFastCrc32cInKafkajs()) throw new Error("kafkajs loaded its own checksum first");
if (variant === "rope" && !installRopeEncoderInKafkajs()) throw new Error("kafkajs's encoder is not patched");
const { default: produceRequest } = await import("kafkajs/src/protocol/requests/produce/v3/request.js");
const { default: frameRequest } = await import("kafkajs/src/protocol/request.js");

// About what a drain's pass publishes to one partition: 40 v2 messages of ~50 KB of bars.
const bar = (i: number) => ({
  ts: 1_773_667_800_000 + i * 60_000,
  open: 48.21 + i / 100,
  high: 48.41,
  low: 47.9,
  close: 48.1,
  volume: 1_109 + i,
  symbol: `S${i % 1_000}`,
  tradeDate: "2026-03-16",
  ma5: 48.522000000000006,
  ma20: null,
  ema20: null,
  vwap: 48.13674716756112,
  isFinal: true,
});
const value = JSON.stringify({
  v: 2,
  type: "symbols",
  updates: Array.from({ length: 200 }, (_, i) => bar(i)),
});
const messages = Array.from({ length: 40 }, () => ({
  key: "symbols",
  value,
  headers: toKpiHeaders(1_796_304_679_848, null, 200),
  timestamp: Date.now(),
}));
const topicData = [{ topic: "bench.kpis", partitions: [{ partition: 0, firstSequence: 0, messages }] }];

async function encodeOnce(): Promise<number> {
  const request = produceRequest({ acks: -1, timeout: 30_000, compression: 0, topicData });
  const framed = await frameRequest({ correlationId: 1, clientId: "bench", request });
  return framed.buffer.length;
}

let bytes = 0;
for (let i = 0; i < 30; i++) bytes = await encodeOnce();
const runs = 200;
const startedAt = performance.now();
for (let i = 0; i < runs; i++) await encodeOnce();
const ms = (performance.now() - startedAt) / runs;
process.stdout.write(`${JSON.stringify({ variant, bytes, ms })}\n`);
