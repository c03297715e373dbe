import {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSProtocolError,
  type Producer,
} from "kafkajs";
import { describe, expect, it } from "vitest";

import { isLostSequenceError, renewOnLostSequence } from "@/lib/kafka/idempotent-producer";

/** A broker refusal as kafkajs throws it from a send: the protocol error itself (it is not retriable). */
function rawRefusal(type: string): Error {
  return new KafkaJSProtocolError(Object.assign(new Error(`broker says ${type}`), { type, code: 45 }));
}

/** The same refusal wrapped, as kafkajs's retrier throws an error when it gives up, with it as cause. */
function refusal(type: string): Error {
  const protocol = rawRefusal(type);
  const NonRetriable = KafkaJSNonRetriableError as unknown as new (e: Error, o: { cause: Error }) => Error;
  return new NonRetriable(protocol, { cause: protocol });
}

/** Producers that record what is done to them; each send (connect) takes the next outcome of its list. */
function fakeProducers(outcomes: (Error | null)[], connectOutcomes: (Error | null | Promise<void>)[] = []) {
  const log: string[] = [];
  let made = 0;
  const make = (): Producer => {
    const id = ++made;
    const fake = {
      connect: () => {
        log.push(`connect ${id}`);
        const outcome = connectOutcomes.shift();
        if (outcome instanceof Promise) return outcome;
        return outcome ? Promise.reject(outcome) : Promise.resolve();
      },
      disconnect: () => (log.push(`disconnect ${id}`), Promise.resolve()),
      send: () => {
        log.push(`send ${id}`);
        const outcome = outcomes.shift();
        return outcome ? Promise.reject(outcome) : Promise.resolve([]);
      },
    };
    return fake as unknown as Producer;
  };
  return { make, log };
}

const record = { topic: "market.ticks", messages: [{ key: "AAPL", value: "{}" }] };

describe("isLostSequenceError", () => {
  it("recognises the refusals that leave kafkajs's sequence numbers unusable, wrapped or not", () => {
    expect(isLostSequenceError(refusal("OUT_OF_ORDER_SEQUENCE_NUMBER"))).toBe(true);
    expect(isLostSequenceError(refusal("UNKNOWN_PRODUCER_ID"))).toBe(true);
    expect(
      isLostSequenceError(
        new KafkaJSProtocolError(Object.assign(new Error("fenced"), { type: "INVALID_PRODUCER_EPOCH" })),
      ),
    ).toBe(true);
  });

  it("leaves other errors alone: a broker away or a bad request is not cured by a new producer id", () => {
    expect(isLostSequenceError(new KafkaJSConnectionError("Connection error: ECONNREFUSED"))).toBe(false);
    expect(isLostSequenceError(refusal("MESSAGE_TOO_LARGE"))).toBe(false);
    expect(isLostSequenceError(new Error("OUT_OF_ORDER_SEQUENCE_NUMBER"))).toBe(false);
    expect(isLostSequenceError("OUT_OF_ORDER_SEQUENCE_NUMBER")).toBe(false);
  });
});

describe("renewOnLostSequence", () => {
  it("rejects the refused send, then sends the retry on a new, connected producer and disconnects the old one", async () => {
    const { make, log } = fakeProducers([null, rawRefusal("OUT_OF_ORDER_SEQUENCE_NUMBER"), null]);
    const renewals: unknown[] = [];
    const producer = renewOnLostSequence(make, (error) => renewals.push(error));
    await producer.connect();
    await producer.send(record);
    await expect(producer.send(record)).rejects.toThrow("OUT_OF_ORDER_SEQUENCE_NUMBER");
    expect(renewals).toHaveLength(1);
    await producer.send(record);
    await producer.disconnect();
    expect(log).toEqual([
      "connect 1",
      "send 1",
      "send 1",
      "disconnect 1",
      "connect 2",
      "send 2",
      "disconnect 2",
    ]);
  });

  it("keeps its producer through other failures (kafkajs's own retries handle those)", async () => {
    const { make, log } = fakeProducers([new KafkaJSConnectionError("Connection error: ECONNREFUSED"), null]);
    const producer = renewOnLostSequence(make, () => {
      throw new Error("not renewed");
    });
    await producer.connect();
    await expect(producer.send(record)).rejects.toThrow("ECONNREFUSED");
    await producer.send(record);
    expect(log).toEqual(["connect 1", "send 1", "send 1"]);
  });

  it("tries to connect the new producer again at the next send while the broker stays away", async () => {
    const away = new KafkaJSConnectionError("Connection error: ECONNREFUSED");
    const { make, log } = fakeProducers([refusal("UNKNOWN_PRODUCER_ID"), null], [null, away]);
    const producer = renewOnLostSequence(make, () => undefined);
    await producer.connect();
    await expect(producer.send(record)).rejects.toThrow("UNKNOWN_PRODUCER_ID");
    await expect(producer.send(record)).rejects.toThrow("ECONNREFUSED");
    await producer.send(record);
    expect(log).toEqual(["connect 1", "send 1", "disconnect 1", "connect 2", "connect 2", "send 2"]);
  });

  it("does not connect a replacement its caller never asked to connect", async () => {
    const { make, log } = fakeProducers([refusal("OUT_OF_ORDER_SEQUENCE_NUMBER")]);
    const producer = renewOnLostSequence(make, () => undefined);
    await producer.connect();
    await expect(producer.send(record)).rejects.toThrow();
    await producer.disconnect();
    expect(log).toEqual(["connect 1", "send 1", "disconnect 1", "disconnect 2"]);
  });
  it("connects the new producer once for sends that come together after a renewal", async () => {
    const { make, log } = fakeProducers([refusal("OUT_OF_ORDER_SEQUENCE_NUMBER"), null, null]);
    const producer = renewOnLostSequence(make, () => undefined);
    await producer.connect();
    await expect(producer.send(record)).rejects.toThrow();
    await Promise.all([producer.send(record), producer.send(record)]);
    expect(log).toEqual(["connect 1", "send 1", "disconnect 1", "connect 2", "send 2", "send 2"]);
  });

  it("leaves the new producer disconnected, and the send rejected, when disconnect comes while it connects", async () => {
    let connected!: () => void;
    const slowConnect = new Promise<void>((resolve) => (connected = resolve));
    const { make, log } = fakeProducers([refusal("UNKNOWN_PRODUCER_ID"), null], [null, slowConnect]);
    const producer = renewOnLostSequence(make, () => undefined);
    await producer.connect();
    await expect(producer.send(record)).rejects.toThrow();
    const send = producer.send(record);
    await producer.disconnect();
    connected();
    await expect(send).rejects.toThrow("disconnected");
    expect(log).toEqual(["connect 1", "send 1", "disconnect 1", "connect 2", "disconnect 2", "disconnect 2"]);
  });
});
