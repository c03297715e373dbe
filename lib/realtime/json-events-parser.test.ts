import { Decoder, Encoder, PacketType, type Packet } from "socket.io-parser";
import { describe, expect, it } from "vitest";

import type { MoversKpiUpdateV1 } from "@/lib/events/kpi-update-v1";
import { createJsonEventsParser } from "@/lib/realtime/json-events-parser";
import { makeSymbolUpdate } from "@/tests/support/symbol-update";

const { Encoder: LiveUpdateEncoder } = createJsonEventsParser(["symbol:updated", "movers:updated"]);

const symbolUpdate = makeSymbolUpdate({ publishedAt: 1_700_000_000_000 });
const moversUpdate: MoversKpiUpdateV1 = {
  v: 1,
  type: "movers",
  windowMinutes: 5,
  windowStart: 1_700_000_000_000,
  windowEnd: 1_700_000_300_000,
  gainers: [{ symbol: "MSFT", gainPct: 1.5, lastClose: 410.25, totalVolume: 1_000, rank: 1 }],
  losers: [],
  publishedAt: 1_700_000_000_500,
};

/** What a client's default parser reads back from the encoded parts. */
function decode(parts: unknown[]): Packet {
  const decoder = new Decoder();
  let decoded: Packet | undefined;
  decoder.on("decoded", (packet: Packet) => (decoded = packet));
  for (const part of parts) decoder.add(part);
  if (!decoded) throw new Error("nothing decoded");
  return decoded;
}

describe("the JSON-events parser's encoder", () => {
  it("writes the relayed live updates exactly as Socket.IO's default encoder does", () => {
    for (const packet of [
      { type: PacketType.EVENT, nsp: "/", data: ["symbol:updated", symbolUpdate] },
      { type: PacketType.EVENT, nsp: "/", data: ["movers:updated", moversUpdate] },
    ]) {
      const parts = new LiveUpdateEncoder().encode(packet);
      expect(parts).toEqual(new Encoder().encode(packet));
      expect(decode(parts)).toEqual(packet);
    }
  });

  it("leaves every other packet to the default encoder: binary payloads, acks, other namespaces and events", () => {
    const packets: Packet[] = [
      { type: PacketType.EVENT, nsp: "/", data: ["ops:updated", { raw: Buffer.from([1, 2, 3]) }] },
      { type: PacketType.EVENT, nsp: "/admin", data: ["symbol:updated", symbolUpdate] },
      { type: PacketType.EVENT, nsp: "/", id: 7, data: ["symbol:updated", symbolUpdate] },
      { type: PacketType.ACK, nsp: "/", id: 3, data: [{ ok: true, subscribed: ["symbol:AAPL"] }] },
      { type: PacketType.EVENT, nsp: "/", data: ["watchlist:updated", { ticks: [] }] },
      { type: PacketType.CONNECT, nsp: "/", data: { sid: "abc" } },
    ];
    for (const packet of packets) {
      const parts = new LiveUpdateEncoder().encode(packet);
      expect(parts).toEqual(new Encoder().encode(packet));
    }
    // The binary one really is binary (two parts: the text and its attachment).
    expect(new LiveUpdateEncoder().encode(packets[0]!)).toHaveLength(2);
  });
});
