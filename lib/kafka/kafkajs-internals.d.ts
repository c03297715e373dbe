// kafkajs 2.2.4's files that lib/kafka reaches into (it declares types for its entry point only).

declare module "kafkajs/src/protocol/encoder.js" {
  /** The class every request is encoded with; lib/kafka/encoder.ts describes what it uses of it. */
  const Encoder: unknown;
  export default Encoder;
}

declare module "kafkajs/src/protocol/requests/produce/v3/request.js" {
  /** A Produce v3 request: `encode()` gives its payload's encoder (scripts/bench/kafka-encode-run.ts). */
  const produceRequest: (options: {
    acks: number;
    timeout: number;
    compression: number;
    topicData: {
      topic: string;
      partitions: {
        partition: number;
        firstSequence: number;
        messages: { key: string; value: string; headers: Record<string, string>; timestamp: number }[];
      }[];
    }[];
  }) => { apiKey: number; apiVersion: number; encode(): Promise<unknown> };
  export default produceRequest;
}

declare module "kafkajs/src/protocol/request.js" {
  /** A request framed for the wire (size, header, payload), as kafkajs's connection sends it. */
  const frameRequest: (options: {
    correlationId: number;
    clientId: string;
    request: { apiKey: number; apiVersion: number; encode(): Promise<unknown> };
  }) => Promise<{ buffer: Buffer }>;
  export default frameRequest;
}

declare module "kafkajs/src/consumer/consumerGroup.js" {
  /** A consumer's membership of its group; lib/kafka/member-handover.ts describes what it uses of it. */
  const ConsumerGroup: unknown;
  export default ConsumerGroup;
}

declare module "kafkajs/src/utils/long.js" {
  /** kafkajs's 64-bit integer, a BigInt inside (lib/kafka/record-decoder.ts adds with it as kafkajs does). */
  type KafkajsLong = { add(addend: unknown): KafkajsLong; toString(): string };
  const Long: { fromValue(value: unknown): KafkajsLong };
  export default Long;
}

declare module "kafkajs/src/protocol/recordBatch/record/v0/decoder.js" {
  /** Decodes one record of a record batch (lib/kafka/record-decoder.ts wraps it). */
  const decodeRecord: (decoder: unknown, batchContext?: unknown) => unknown;
  export default decodeRecord;
}
