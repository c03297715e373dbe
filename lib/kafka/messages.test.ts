import { describe, expect, it } from "vitest";

import type { Producer } from "@/lib/kafka/client";
import { sendTextBatch, type OutMessage } from "@/lib/kafka/messages";

// The chunking of sendTextBatch, with a producer that records each request (what kafkajs would send to
// the broker is covered by the integration tests that send through it).

type Sent = { messages: { key: string; value: string | Buffer }[]; encodedBefore: number };

function recordingProducer(sent: Sent[], encoded: () => number): Producer {
  const send = (request: { messages: Sent["messages"] }) => {
    sent.push({ messages: request.messages, encodedBefore: encoded() });
    return Promise.resolve([]);
  };
  return { send } as unknown as Producer;
}

/** A value whose JSON is about `kib` KiB. */
const valueOf = (n: number, kib: number) => ({ n, pad: "x".repeat(kib * 1_024) });

describe("sendTextBatch", () => {
  it("encodes each value as its request fills, so one request's encodings are held at a time", async () => {
    const sent: Sent[] = [];
    let encoded = 0;
    const producer = recordingProducer(sent, () => encoded);
    // About 300 KiB each: two fit in a request (768 KiB), a third does not.
    const messages: OutMessage<ReturnType<typeof valueOf>>[] = [0, 1, 2, 3, 4].map((n) => ({
      key: `k${n}`,
      value: valueOf(n, 300),
    }));

    await sendTextBatch(producer, "topic", messages, (value) => {
      encoded++;
      return JSON.stringify(value);
    });

    expect(sent.map((s) => s.messages.map((m) => m.key))).toEqual([["k0", "k1"], ["k2", "k3"], ["k4"]]);
    // A request goes out as soon as the value that does not fit in it is encoded, before any later one.
    expect(sent.map((s) => s.encodedBefore)).toEqual([3, 5, 5]);
    expect(JSON.parse(sent[2]!.messages[0]!.value as string)).toEqual(valueOf(4, 300));
  });

  it("rejects with the encoder's error after the requests already filled, sending none of the one it was filling", async () => {
    const sent: Sent[] = [];
    const producer = recordingProducer(sent, () => 0);
    const messages = [0, 1, 2, 3].map((n) => ({ key: `k${n}`, value: valueOf(n, 300) }));
    const refused = new Error("cannot encode k3");

    await expect(
      sendTextBatch(producer, "topic", messages, (value) => {
        if (value.n === 3) throw refused;
        return JSON.stringify(value);
      }),
    ).rejects.toBe(refused);
    expect(sent.map((s) => s.messages.map((m) => m.key))).toEqual([["k0", "k1"]]);
  });

  it("sends text and bytes as they are without an encoder, with their headers", async () => {
    const sent: Sent[] = [];
    const producer = recordingProducer(sent, () => 0);
    const bytes = Buffer.from([0xff, 0x00]);

    await sendTextBatch(producer, "topic", [
      { key: "a", value: "text", headers: { h: "1" } },
      { key: "b", value: bytes },
    ]);

    expect(sent).toHaveLength(1);
    expect(sent[0]!.messages).toEqual([
      { key: "a", value: "text", headers: { h: "1" } },
      { key: "b", value: bytes },
    ]);
  });
});
