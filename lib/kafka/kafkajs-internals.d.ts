// kafkajs 2.2.4's files that lib/kafka reaches into (it declares types for its entry point only).

declare module "kafkajs/src/protocol/encoder.js" {
  /** The class every request is encoded with; lib/kafka/encoder.ts describes what it uses of it. */
  const Encoder: unknown;
  export default Encoder;
}
