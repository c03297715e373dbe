import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";

import { io as connectSocket, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { MoversKpiUpdateV1, SymbolKpiUpdateV1 } from "@/lib/events/kpi-update-v1";
import { KPI_HEADERS } from "@/lib/events/topics";
import { createConsumer, createProducer, type Producer } from "@/lib/kafka/client";
import { sendTextBatch, type OutMessage } from "@/lib/kafka/messages";
import type { SymbolUpdatedEvent } from "@/lib/realtime/events";
import { attachRealtime, type Emitted } from "@/lib/realtime/server";
import { toKpiMessages, toSymbolsMessages } from "@/workers/handlers/kpi-updates";

import { createTestKafka, createTestTopics, testLogger, uniqueId, waitFor } from "./helpers";

// The web process's relay of market.kpis (lib/realtime/server.ts) on a real broker: what a page
// watches is decoded, checked and sent; what nobody watches is only timed from its headers.

let web: HttpServer;
let realtime: ReturnType<typeof attachRealtime>;
let producer: Producer;
let topic: string;
const sockets: Socket[] = [];
const emitted: Emitted[] = [];
const gathered: SymbolUpdatedEvent[] = [];
const received: SymbolUpdatedEvent[] = [];
let nextPublishedAt = 1_700_000_000_000;

function symbolUpdate(symbol: string): SymbolKpiUpdateV1 {
  return { v: 1, type: "symbol", symbol, bars: [], day: null, windows: [], publishedAt: nextPublishedAt++ };
}

function moversUpdate(windowMinutes: number): MoversKpiUpdateV1 {
  const windowStart = Date.parse("2026-03-12T14:00:00Z");
  return {
    v: 1,
    type: "movers",
    windowMinutes,
    windowStart,
    windowEnd: windowStart + windowMinutes * 60_000,
    gainers: [],
    losers: [],
    publishedAt: nextPublishedAt++,
  };
}

/** The messages the stream worker would send for `updates` (key, KPI headers, JSON value). */
function asSent(...updates: (SymbolKpiUpdateV1 | MoversKpiUpdateV1)[]): OutMessage<string>[] {
  return toKpiMessages(updates).map((m) => ({ ...m, value: JSON.stringify(m.value) }));
}

/**
 * The v3 messages the stream worker would send for the symbol updates of one pass (one publishedAt),
 * with the bars it left out of them (`omitted`, per symbol).
 */
function asSentTogether(
  updates: SymbolKpiUpdateV1[],
  omitted: ReadonlyMap<string, number> = new Map(),
): OutMessage<string>[] {
  const publishedAt = nextPublishedAt++;
  return toSymbolsMessages({ updates: updates.map((u) => ({ ...u, publishedAt })), omitted }).map((m) => ({
    ...m,
    value: JSON.stringify(m.value),
  }));
}

/** Sends `messages`, then a valid AAPL update, and waits until the watching page has that one. */
async function sendAndSettle(messages: OutMessage<string>[]): Promise<void> {
  const marker = symbolUpdate("AAPL");
  await sendTextBatch(producer, topic, [...messages, ...asSent(marker)]);
  await waitFor("the AAPL page to get the marker update", () =>
    received.some((u) => u.publishedAt === marker.publishedAt),
  );
}

async function connectPage(url: string, subscribe: (socket: Socket) => Promise<boolean>): Promise<Socket> {
  const socket = connectSocket(url, { transports: ["websocket"] });
  sockets.push(socket);
  await waitFor("a page to connect and subscribe", () => socket.connected && subscribe(socket));
  return socket;
}

/** A second page watching `symbol`, and the `symbol:updated` events it receives. */
async function watchSymbol(symbol: string): Promise<{ page: Socket; events: SymbolUpdatedEvent[] }> {
  const url = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  const page = await connectPage(url, (s) =>
    s.emitWithAck("symbol:subscribe", [symbol]).then((ack: { ok: boolean }) => ack.ok),
  );
  const events: SymbolUpdatedEvent[] = [];
  page.on("symbol:updated", (u: SymbolUpdatedEvent) => events.push(u));
  return { page, events };
}

beforeAll(async () => {
  topic = (await createTestTopics(1)).kpis;
  web = createServer();
  realtime = attachRealtime(web, {
    consumer: createConsumer(createTestKafka(), { groupId: uniqueId("web") }),
    topic,
    logger: testLogger,
    moversWindows: [5, 15],
    onEmitted: (e) => emitted.push(e),
    onSymbolUpdated: (u) => gathered.push(u),
  });
  await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  const page = await connectPage(url, (s) =>
    s.emitWithAck("symbol:subscribe", ["AAPL"]).then((ack: { ok: boolean }) => ack.ok),
  );
  page.on("symbol:updated", (u: SymbolUpdatedEvent) => received.push(u));
  producer = createProducer(createTestKafka());
  await producer.connect();
  // The relay reads from the newest offset once it has joined: send until the page gets one.
  await waitFor(
    "the relay to join and pass an update on",
    async () => {
      await sendTextBatch(producer, topic, asSent(symbolUpdate("AAPL")));
      return received.length > 0;
    },
    60_000,
    1_000,
  );
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await producer?.disconnect();
  await realtime?.close();
  await new Promise((resolve) => web?.close(resolve));
});

describe("the market.kpis relay", () => {
  it("decodes what a page watches: a valid update reaches it, a bad one is counted and dropped", async () => {
    const before = realtime.stats().invalid;
    const bad = { ...symbolUpdate("AAPL"), rsi14: 50 };
    await sendAndSettle([
      { key: "AAPL", value: JSON.stringify(bad), headers: asSent(symbolUpdate("AAPL"))[0]!.headers },
    ]);
    expect(realtime.stats().invalid).toBe(before + 1);
    expect(received.some((u) => u.publishedAt === bad.publishedAt)).toBe(false);
  });

  it("passes over an update nobody watches without decoding it, timed from its published-at header", async () => {
    const before = realtime.stats().invalid;
    // Not even JSON: had it been decoded, it would have been counted as invalid.
    const [unwatched] = asSent(symbolUpdate("MSFT"));
    const publishedAt = Number(unwatched!.headers![KPI_HEADERS.publishedAt]);
    await sendAndSettle([{ ...unwatched!, value: "not json" }]);
    expect(realtime.stats().invalid).toBe(before);
    const timed = emitted.find((e) => "publishedAt" in e && e.publishedAt === publishedAt);
    expect(timed).toMatchObject({ event: "symbol:updated", watched: false });
    // The marker went to the AAPL page: an emit.
    expect(emitted.at(-1)).toMatchObject({ event: "symbol:updated", watched: true });
    expect(gathered.some((u) => u.symbol === "MSFT")).toBe(false);
  });

  it("still decodes an update without the header (an older worker), and one whose key names no route", async () => {
    const before = realtime.stats().invalid;
    await sendAndSettle([
      { key: "MSFT", value: "not json" },
      { key: "not a key", value: "not json", headers: asSent(symbolUpdate("MSFT"))[0]!.headers },
    ]);
    expect(realtime.stats().invalid).toBe(before + 2);
  });

  it("refuses an update whose key is not its own: it was routed by that key", async () => {
    const before = realtime.stats().invalid;
    const [msft] = asSent(symbolUpdate("MSFT"));
    // Keyed AAPL (watched, so decoded) but an MSFT update.
    await sendAndSettle([{ ...msft!, key: "AAPL" }]);
    expect(realtime.stats().invalid).toBe(before + 1);
  });

  it("relays a movers update to its window's pages and passes over a window nobody watches", async () => {
    const url = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
    const page = await connectPage(url, (s) =>
      s.emitWithAck("movers:subscribe", [5]).then((ack: { ok: boolean }) => ack.ok),
    );
    const got: MoversKpiUpdateV1[] = [];
    page.on("movers:updated", (u: MoversKpiUpdateV1) => got.push(u));
    const before = realtime.stats().invalid;
    const watched = moversUpdate(5);
    const [unwatched] = asSent(moversUpdate(15));
    await sendAndSettle([...asSent(watched), { ...unwatched!, value: "not json" }]);
    await waitFor("the movers page to get its update", () => got.length > 0);
    expect(got.map((u) => u.publishedAt)).toEqual([watched.publishedAt]);
    expect(realtime.stats().invalid).toBe(before);
    const timed = emitted.find(
      (e) => "publishedAt" in e && e.publishedAt === Number(unwatched!.headers![KPI_HEADERS.publishedAt]),
    );
    expect(timed).toMatchObject({ event: "movers:updated", watched: false });
  });

  it("decodes every symbol update while a page shows the watchlist, and none once it leaves", async () => {
    const url = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
    const watchlist = await connectPage(url, (s) =>
      s.emitWithAck("watchlist:subscribe").then((ack: { ok: boolean }) => ack.ok),
    );
    const shown = symbolUpdate("MSFT");
    await sendAndSettle(asSent(shown));
    expect(gathered.map((u) => u.publishedAt)).toContain(shown.publishedAt);

    await watchlist.emitWithAck("watchlist:unsubscribe");
    const hidden = symbolUpdate("MSFT");
    await sendAndSettle(asSent(hidden));
    expect(gathered.map((u) => u.publishedAt)).not.toContain(hidden.publishedAt);
  });

  it("relays each watched update of a message of many symbols to its page, and a bad one costs only itself", async () => {
    const { events: msftPage } = await watchSymbol("MSFT");
    const before = realtime.stats();
    const [message] = asSentTogether([symbolUpdate("AAPL"), symbolUpdate("IBM"), symbolUpdate("MSFT")]);
    const value = JSON.parse(message!.value) as { updates: Record<string, unknown>[]; publishedAt: number };
    // The unwatched IBM update is bad but never checked; a second, bad AAPL update is refused alone.
    value.updates[1] = { ...value.updates[1], rsi14: 50 };
    value.updates.push({ ...value.updates[0], bars: "none" });
    await sendAndSettle([{ ...message!, value: JSON.stringify(value) }]);
    await waitFor("the MSFT page to get its update", () => msftPage.length > 0);

    const sent = (symbol: string) => value.updates.filter((u) => u.symbol === symbol)[0];
    expect(received.filter((u) => u.publishedAt === value.publishedAt)).toStrictEqual([sent("AAPL")]);
    expect(msftPage).toStrictEqual([sent("MSFT")]);
    expect(realtime.stats().invalid).toBe(before.invalid + 1);
    // AAPL, IBM and MSFT, and the marker update sendAndSettle sent after it.
    expect(realtime.stats().relayed).toBe(before.relayed + 4);
    // One relay for the metrics: the message, watched, with its headers and its emits (AAPL, MSFT).
    const timed = emitted.filter((e) => "publishedAt" in e && e.publishedAt === value.publishedAt);
    expect(timed).toMatchObject([
      {
        event: "symbol:updated",
        watched: true,
        emits: 2,
        headers: { [KPI_HEADERS.publishedAt]: String(value.publishedAt) },
      },
    ]);
  });

  it("tells a page where the bars a message left out of its symbol's update start, and still reads an older worker's v2", async () => {
    const { page, events: orclPage } = await watchSymbol("ORCL");
    const [message] = asSentTogether(
      [symbolUpdate("AAPL"), symbolUpdate("ORCL")],
      new Map([["ORCL", 1_700_000_060_000]]),
    );
    await sendAndSettle([message!]);
    await waitFor("the ORCL page to get its update", () => orclPage.length > 0);
    const publishedAt = Number(message!.headers![KPI_HEADERS.publishedAt]);
    expect(orclPage).toMatchObject([{ symbol: "ORCL", publishedAt, omittedFrom: 1_700_000_060_000 }]);
    // AAPL lost no bar: its update is the v1 update as sent, with nothing added.
    const aapl = received.filter((u) => u.publishedAt === publishedAt);
    expect(aapl).toHaveLength(1);
    expect(aapl[0]).not.toHaveProperty("omittedFrom");

    const [v3] = asSentTogether([symbolUpdate("ORCL")]);
    const { omitted, ...rest } = JSON.parse(v3!.value) as { omitted: unknown };
    expect(omitted).toEqual({});
    await sendAndSettle([{ ...v3!, value: JSON.stringify({ ...rest, v: 2 }) }]);
    const olderAt = Number(v3!.headers![KPI_HEADERS.publishedAt]);
    await waitFor("the ORCL page to get the v2 update", () =>
      orclPage.some((u) => u.publishedAt === olderAt),
    );
    expect(orclPage.at(-1)).not.toHaveProperty("omittedFrom");
    page.disconnect();
  });

  it("refuses a symbols message that is not one, and gives its updates to the watchlist as v1's, with where the bars left out start", async () => {
    const before = realtime.stats().invalid;
    const [message] = asSentTogether([symbolUpdate("AAPL")]);
    await sendAndSettle([
      { ...message!, value: "not json" },
      { ...message!, value: JSON.stringify({ ...JSON.parse(message!.value), v: 1 }) },
      { ...message!, value: JSON.stringify({ ...JSON.parse(message!.value), updates: [] }) },
      // v3 without `omitted`, and v2 with it: each version is closed.
      { ...message!, value: JSON.stringify({ ...JSON.parse(message!.value), omitted: undefined }) },
      { ...message!, value: JSON.stringify({ ...JSON.parse(message!.value), v: 2 }) },
    ]);
    expect(realtime.stats().invalid).toBe(before + 5);

    const url = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
    const watchlist = await connectPage(url, (s) =>
      s.emitWithAck("watchlist:subscribe").then((ack: { ok: boolean }) => ack.ok),
    );
    const before2 = realtime.stats().invalid;
    const [shown] = asSentTogether([symbolUpdate("IBM"), symbolUpdate("ORCL"), symbolUpdate("SAP")]);
    // A symbol the schema would trim was sent, and so routed, as another: refused.
    const sent = JSON.parse(shown!.value) as { updates: { symbol: string }[] };
    sent.updates[2]!.symbol = "IBM ";
    await sendAndSettle([{ ...shown!, value: JSON.stringify(sent) }]);
    const publishedAt = Number(shown!.headers![KPI_HEADERS.publishedAt]);
    expect(gathered.filter((u) => u.publishedAt === publishedAt).map((u) => u.symbol)).toEqual([
      "IBM",
      "ORCL",
    ]);
    expect(realtime.stats().invalid).toBe(before2 + 1);

    // The watchlist's sparkline needs to know of a cut as much as the symbol's page does.
    const [cut] = asSentTogether(
      [symbolUpdate("IBM"), symbolUpdate("ORCL")],
      new Map([["ORCL", 1_700_000_060_000]]),
    );
    await sendAndSettle([cut!]);
    const cutAt = Number(cut!.headers![KPI_HEADERS.publishedAt]);
    const ofCut = gathered.filter((u) => u.publishedAt === cutAt);
    expect(ofCut).toMatchObject([{ symbol: "IBM" }, { symbol: "ORCL", omittedFrom: 1_700_000_060_000 }]);
    expect(ofCut[0]).not.toHaveProperty("omittedFrom");
    await watchlist.emitWithAck("watchlist:unsubscribe");
  });

  it("counts and times a symbols message from its headers, undecoded, while no page watches a symbol or the watchlist", async () => {
    // The AAPL page leaves its room; every other page (MSFT, the watchlist) goes away.
    const [aaplPage, ...others] = sockets;
    await aaplPage!.emitWithAck("symbol:unsubscribe", ["AAPL"]);
    for (const s of others) s.disconnect();
    await waitFor("the other pages to be gone", () => realtime.stats().connections === 1);
    const before = realtime.stats();
    // Not JSON: decoded, either would be counted as invalid. The second lacks the count (an older worker).
    const [counted] = asSentTogether([symbolUpdate("AAPL"), symbolUpdate("IBM"), symbolUpdate("MSFT")]);
    const [older] = asSentTogether([symbolUpdate("AAPL")]);
    const { [KPI_HEADERS.updates]: count, ...olderHeaders } = older!.headers!;
    expect(count).toBe("1");
    await sendTextBatch(producer, topic, [
      { ...counted!, value: "not json" },
      { ...older!, headers: olderHeaders, value: "not json" },
    ]);
    await waitFor("the relay to read both", () => realtime.stats().invalid > before.invalid);
    expect(realtime.stats().invalid).toBe(before.invalid + 1);
    expect(realtime.stats().relayed).toBe(before.relayed + 3);
    const publishedAt = Number(counted!.headers![KPI_HEADERS.publishedAt]);
    expect(emitted.filter((e) => "publishedAt" in e && e.publishedAt === publishedAt)).toMatchObject([
      { event: "symbol:updated", watched: false, emits: 0, headers: { [KPI_HEADERS.updates]: "3" } },
    ]);

    // Back in its room, the page gets a symbols message's update again: decoded once a symbol is watched.
    await aaplPage!.emitWithAck("symbol:subscribe", ["AAPL"]);
    const [shown] = asSentTogether([symbolUpdate("IBM"), symbolUpdate("AAPL")]);
    await sendAndSettle([shown!]);
    const shownAt = Number(shown!.headers![KPI_HEADERS.publishedAt]);
    expect(received.filter((u) => u.publishedAt === shownAt).map((u) => u.symbol)).toEqual(["AAPL"]);
  });
});
