import { createRequire, Module } from "node:module";

/** CRC-32C's polynomial (Castagnoli), bit-reversed: what Kafka's record batches carry. */
const POLYNOMIAL = 0x82f63b78;

/**
 * Eight tables of 256 entries: table 0 advances a CRC by one byte, table k by one byte followed by k
 * zero bytes, so that eight bytes are taken per step ("slicing by 8").
 */
const TABLES = (() => {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    t[n] = c;
  }
  for (let k = 1; k < 8; k++)
    for (let n = 0; n < 256; n++) {
      const previous = t[(k - 1) * 256 + n]!;
      t[k * 256 + n] = (previous >>> 8) ^ t[previous & 0xff]!;
    }
  return t;
})();

/** CRC-32C of `bytes`, unsigned, as Kafka checks a record batch. */
export function crc32c(bytes: Uint8Array): number {
  const t = TABLES;
  let crc = -1;
  let i = 0;
  const whole = bytes.length - (bytes.length % 8);
  for (; i < whole; i += 8) {
    const a = crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    crc =
      t[1792 + (a & 0xff)]! ^
      t[1536 + ((a >>> 8) & 0xff)]! ^
      t[1280 + ((a >>> 16) & 0xff)]! ^
      t[1024 + (a >>> 24)]! ^
      t[768 + bytes[i + 4]!]! ^
      t[512 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
  }
  for (; i < bytes.length; i++) crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** The kafkajs 2.2.4 module every record batch's checksum comes from (`module.exports = buffer => crc`). */
export const KAFKAJS_CRC32C_MODULE = "kafkajs/src/protocol/recordBatch/crc32C/index.js";

/**
 * Makes kafkajs checksum the record batches it produces with {@link crc32c}: its own takes a byte per
 * step, and was 6.7% of the stream worker's time in a backlog drain (a drain-1k --cpu-prof), all of it
 * on the live updates it produces. kafkajs loads that module lazily, with the first request that needs a
 * record batch, so putting this one in its place in the module cache before any produce or fetch is
 * enough (createKafkaClient does it). Returns whether kafkajs will use it: false when kafkajs had loaded
 * its own already.
 */
export function installFastCrc32cInKafkajs(): boolean {
  try {
    const require = createRequire(import.meta.url);
    const path = require.resolve(KAFKAJS_CRC32C_MODULE);
    const cached = require.cache[path];
    if (cached) return cached.exports === crc32c;
    const replacement = new Module(path);
    replacement.filename = path;
    replacement.loaded = true;
    replacement.exports = crc32c;
    require.cache[path] = replacement;
    return true;
  } catch {
    // No module cache to seed (a bundler's own module system): kafkajs keeps its own checksum.
    return false;
  }
}
