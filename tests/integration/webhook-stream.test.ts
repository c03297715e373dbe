import http from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createWebhookSender } from "@/lib/alerts/webhook-sender";
import { createWebhookSecret, verifyWebhook } from "@/lib/alerts/webhook-signature";
import { parseWebhookHostPolicy } from "@/lib/alerts/webhook-url";
import { insertAlertRule } from "@/lib/db/queries/alert-rules";
import { insertSymbols } from "@/lib/db/queries/symbols";
import { insertWebhookEndpoint } from "@/lib/db/queries/webhook-endpoints";
import { tickV1Schema, type TickV1 } from "@/lib/events/tick-v1";
import { webhookPayloadSchema, type WebhookPayload } from "@/lib/events/webhook";
import { createProducer, type Producer } from "@/lib/kafka/client";
import { sendJsonBatch } from "@/lib/kafka/messages";
import type { StreamWorker } from "@/workers/stream/start-stream-worker";

import {
  createTestDatabase,
  createTestKafka,
  createTestTopics,
  runCleanup,
  startTestStreamWorker,
  uniqueId,
  waitFor,
  type TestDatabase,
  type TestTopics,
} from "./helpers";

const START = Date.parse("2026-03-16T14:30:00Z");
/** Closes of consecutive minutes: the close crosses 101 upwards at the fourth bar, and only there. */
const CLOSES = [100, 100.5, 100.9, 101.4, 101.2, 100.8];

function tick(i: number, close: number): TickV1 {
  return {
    v: 1,
    symbol: "AAPL",
    ts: START + i * 60_000,
    open: close,
    high: close + 0.1,
    low: close - 0.1,
    close,
    volume: 1_000 + i,
    source: "synthetic",
    producedAt: START + (i + 1) * 60_000,
  };
}

describe("the stream worker's webhook relay delivers an alert its own batch fired", () => {
  let database: TestDatabase;
  let topics: TestTopics;
  let producer: Producer;
  let worker: StreamWorker | undefined;
  const secret = createWebhookSecret();
  const received: { payload: WebhookPayload; isValid: boolean; id: string }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : v]),
      );
      const verdict = verifyWebhook(secret, headers, body, Math.floor(Date.now() / 1000));
      received.push({
        payload: webhookPayloadSchema.parse(JSON.parse(body)),
        isValid: verdict.ok,
        id: String(headers["webhook-id"]),
      });
      res.writeHead(204).end();
    });
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    topics = await createTestTopics(1);
    await insertSymbols(database.db, [
      { symbol: "AAPL", source: "external", status: "active", exchangeTimezone: "America/New_York" },
    ]);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    await insertWebhookEndpoint(database.db, {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`,
      description: "stream test",
      secret,
      ruleIds: [],
      symbols: [],
      isEnabled: true,
    });
    producer = createProducer(createTestKafka(uniqueId("hooks")), { idempotent: true });
    await producer.connect();
  });
  afterAll(async () => {
    await runCleanup("stopping the stream worker", () => worker?.stop());
    await runCleanup("disconnecting the producer", () => producer?.disconnect());
    await runCleanup("closing the receiver", () => new Promise((resolve) => server.close(resolve)));
    await database?.drop();
  });

  it("POSTs the alert fired by a produced bar, signed, once", async () => {
    const rule = await insertAlertRule(database.db, {
      name: "AAPL above 101",
      condition: { type: "price_cross", direction: "up", level: 101 },
      scope: { kind: "symbols", symbols: ["AAPL"] },
      cooldownMinutes: 0,
      status: "enabled",
    });
    worker = await startTestStreamWorker(database, topics, {
      webhooks: {
        send: createWebhookSender({ policy: parseWebhookHostPolicy("127.0.0.1"), timeoutMs: 3_000 }),
        retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 500 },
        intervalMs: 200,
      },
    });
    await sendJsonBatch(
      producer,
      topics.ticks,
      tickV1Schema,
      CLOSES.map((close, i) => ({ key: "AAPL", value: tick(i, close) })),
    );
    // Every bar applied and no delivery left pending: whatever the bars fired has been sent by then.
    await waitFor(
      "all bars applied and every delivery settled",
      async () => {
        const { rows } = await database.db.$client.query<{ applied: string; pending: string }>(
          `select (select coalesce(sum(next_offset), 0) from stream_offsets where topic = $1)::text as applied,
                  (select count(*) from webhook_deliveries where status = 'pending')::text as pending`,
          [topics.ticks],
        );
        return Number(rows[0]?.applied) === CLOSES.length && rows[0]?.pending === "0" && received.length > 0;
      },
      60_000,
    );
    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(delivery!.isValid).toBe(true);
    expect(delivery!.payload).toMatchObject({
      type: "alert.fired",
      data: {
        ruleId: rule.id,
        ruleName: "AAPL above 101",
        ruleType: "price_cross",
        symbol: "AAPL",
        barTs: START + 3 * 60_000,
        values: { level: 101, prevClose: 100.9, close: 101.4 },
        retractedAt: null,
        revision: 1,
      },
    });
    expect(delivery!.id).toBe(`alert-${delivery!.payload.data.id}-r1`);
    const { rows } = await database.db.$client.query<{ status: string; attempts: number }>(
      "select status, attempts from webhook_deliveries",
    );
    expect(rows).toEqual([{ status: "delivered", attempts: 1 }]);
  });
});
