import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";

import { describe, expect, it } from "vitest";

import { crc32c, KAFKAJS_CRC32C_MODULE, installFastCrc32cInKafkajs } from "@/lib/kafka/crc32c";

const require = createRequire(import.meta.url);
/** kafkajs's own checksum, read from its file rather than through the module cache this file seeds. */
function kafkajsOwnCrc32c(): (bytes: Buffer) => number {
  const path = require.resolve(KAFKAJS_CRC32C_MODULE);
  const crc32cFile = require.resolve("./crc32C", { paths: [path.replace(/index\.js$/, "")] });
  const table = require(crc32cFile) as (bytes: Buffer) => number;
  return (bytes) => table(bytes) >>> 0;
}

describe("crc32c", () => {
  it("gives CRC-32C's check value and RFC 3720's test vectors", () => {
    expect(crc32c(Buffer.from("123456789"))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it("equals kafkajs's own on random bytes of every length up to 64, and on longer views into a buffer", () => {
    const own = kafkajsOwnCrc32c();
    for (let length = 0; length <= 64; length++) {
      const bytes = randomBytes(length);
      expect(crc32c(bytes), `length ${length}`).toBe(own(bytes));
    }
    const big = randomBytes(300_000);
    for (const [start, end] of [
      [0, 300_000],
      [3, 299_995],
      [17, 100_018],
    ] as const) {
      const view = big.subarray(start, end);
      expect(crc32c(view), `${start}..${end}`).toBe(own(view));
    }
  });

  it("is the checksum kafkajs loads for its record batches", () => {
    expect(installFastCrc32cInKafkajs()).toBe(true);
    const recordBatch = require.resolve("kafkajs/src/protocol/recordBatch/v0/index.js");
    expect(require(require.resolve(KAFKAJS_CRC32C_MODULE))).toBe(crc32c);
    // What kafkajs's record batch module requires, from where it requires it.
    const fromRecordBatch: unknown = createRequire(recordBatch)("../crc32C");
    expect(fromRecordBatch).toBe(crc32c);
  });
});
