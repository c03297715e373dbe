import type { Producer } from "kafkajs";

/**
 * Broker refusals after which an idempotent producer's sequence numbers can never be accepted again:
 * kafkajs numbers each partition's batches from its producer id and takes a batch's numbers back when
 * its request fails, so every later send repeats the refused numbers. kafkajs throws these refusals
 * as the protocol error itself (they are not retriable), or wrapped with it as `cause`.
 */
const LOST_SEQUENCE_ERRORS = new Set([
  // A retry that differs from the request the broker stored before its acknowledgement was lost.
  "OUT_OF_ORDER_SEQUENCE_NUMBER",
  // The broker no longer knows the producer id (its records were deleted, or its state was lost).
  "UNKNOWN_PRODUCER_ID",
  "INVALID_PRODUCER_EPOCH",
  "INVALID_PRODUCER_ID_MAPPING",
]);

/** Whether a kafkajs error (or one it wraps, as its retrier does) is such a refusal. */
export function isLostSequenceError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++)
    if ("type" in e && typeof e.type === "string" && LOST_SEQUENCE_ERRORS.has(e.type)) return true;
  return false;
}

/**
 * An idempotent producer that outlives a refusal of its sequence numbers instead of failing every send
 * from then on: the send that meets one rejects as before, and the kafkajs producer behind it is
 * replaced by a new one (a new producer id, sequences from 0; connected at the next send if the old one
 * was), so that the caller's retry goes out. What the broker had stored of the refused send may then be
 * stored twice: the KPI tables take such a duplicate as the same bar again, `raw_ticks` (keyed by
 * offset) lands it twice; a stuck producer would lose every event after it.
 * Listeners added with `on` stay with the producer they were added to.
 */
export function renewOnLostSequence(make: () => Producer, onRenew: (error: unknown) => void): Producer {
  let current = make();
  let connected = false;
  /** The connection of a renewed producer, shared by every send that finds it unconnected. */
  let reconnecting: Promise<void> | null = null;
  let renewed = false;

  async function ensureConnected(): Promise<void> {
    if (renewed && connected) {
      renewed = false;
      const producer = current;
      reconnecting = producer.connect().catch((error: unknown) => {
        if (current === producer) renewed = true;
        throw error;
      });
    }
    if (!reconnecting) return;
    const pending = reconnecting;
    try {
      await pending;
    } finally {
      if (reconnecting === pending) reconnecting = null;
    }
    // disconnect() came while it connected: the producer must not stay connected behind the caller.
    if (!connected) {
      await current.disconnect().catch(() => undefined);
      throw new Error("the producer was disconnected");
    }
  }

  async function guarded<T>(send: (producer: Producer) => Promise<T>): Promise<T> {
    await ensureConnected();
    const producer = current;
    try {
      return await send(producer);
    } catch (error) {
      if (isLostSequenceError(error) && producer === current) {
        current = make();
        renewed = true;
        onRenew(error);
        await producer.disconnect().catch(() => undefined);
      }
      throw error;
    }
  }

  return {
    connect: async () => {
      await current.connect();
      connected = true;
      renewed = false;
    },
    disconnect: async () => {
      connected = false;
      await current.disconnect();
    },
    send: (record) => guarded((producer) => producer.send(record)),
    sendBatch: (batch) => guarded((producer) => producer.sendBatch(batch)),
    isIdempotent: () => true,
    get events() {
      return current.events;
    },
    on: ((...args: Parameters<Producer["on"]>) => current.on(...args)) as Producer["on"],
    transaction: () => current.transaction(),
    logger: () => current.logger(),
  };
}
