// kafkajs 2.2.4's decoder of one record of a fetched record batch (`module.exports = (decoder,
// batchContext) => record`), replaced in its module cache the way lib/kafka/crc32c.ts replaces its checksum.
import { createRequire } from "node:module";

import kafkajsRecordDecoder from "kafkajs/src/protocol/recordBatch/record/v0/decoder.js";
import Long from "kafkajs/src/utils/long.js";

/** The kafkajs 2.2.4 module that decodes each record of a record batch (required by the batch's decoder). */
export const KAFKAJS_RECORD_DECODER_MODULE = "kafkajs/src/protocol/recordBatch/record/v0/decoder.js";
/** The module that requires it when it is loaded: too late to replace the record decoder once it is. */
const KAFKAJS_RECORD_BATCH_DECODER_MODULE = "kafkajs/src/protocol/recordBatch/v0/decoder.js";

/** Marks the decoder installed in kafkajs's module cache. */
const FAST = Symbol.for("tickstream.kafkajs-record-decoder");

/** kafkajs's protocol/timestampTypes.js: the batch's timestamps are the broker's append time. */
const LOG_APPEND_TIME = 1;

/** What a record's decoding reads from kafkajs's decoder (protocol/decoder.js) over the record's bytes. */
export type RecordBytesDecoder = {
  buffer: Buffer;
  offset: number;
  readInt8(): number;
  readVarInt(): number;
  readVarLong(): unknown;
  readVarIntBytes(): Buffer | null;
  readVarIntString(): string | null;
};

/** The batch's fields each of its records carries (kafkajs's recordBatch/v0/decoder.js `recordContext`). */
export type RecordBatchContext = {
  firstOffset?: string;
  firstTimestamp?: string;
  magicByte?: number;
  isControlBatch?: boolean;
  timestampType?: number;
  maxTimestamp?: string;
};

export type KafkajsRecordDecoder = (
  decoder: RecordBytesDecoder,
  batchContext?: RecordBatchContext,
) => unknown;

/**
 * A zigzag varlong of at most seven bytes (49 bits, exact as a number) at the decoder's offset, which it
 * moves past it; null, the offset unmoved, for a longer one or one that runs past the bytes.
 */
function readShortZigZagVarLong(decoder: RecordBytesDecoder): number | null {
  const { buffer } = decoder;
  let at = decoder.offset;
  let raw = 0;
  let scale = 1;
  for (let i = 0; i < 7 && at < buffer.length; i++) {
    const byte = buffer[at++]!;
    raw += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      decoder.offset = at;
      return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    }
    scale *= 128;
  }
  return null;
}

/** A decimal string last parsed, and its value (null when it is not a safe integer written as JS writes it). */
type ParsedDecimal = { text: string | null; value: number | null };

// The batch's first offset and first timestamp, each with a slot of its own: every record of a batch
// shares the batch's two strings, so each is parsed once a batch.
const firstOffsets: ParsedDecimal = { text: null, value: null };
const firstTimestamps: ParsedDecimal = { text: null, value: null };

function parseSafeDecimal(text: string, last: ParsedDecimal): number | null {
  if (text === last.text) return last.value;
  const value = Number(text);
  last.text = text;
  last.value = Number.isSafeInteger(value) && String(value) === text ? value : null;
  return last.value;
}

/**
 * `base + delta` in decimal, as kafkajs writes a record's offset and timestamp (`Long.fromValue(base)
 * .add(delta).toString()`, exact BigInt arithmetic): with numbers when both and the sum are safe integers,
 * by kafkajs's Long otherwise (and with its errors, for a missing base).
 */
function addDecimal(base: string | undefined, delta: unknown, last: ParsedDecimal): string {
  if (typeof base === "string" && typeof delta === "number") {
    const start = parseSafeDecimal(base, last);
    if (start !== null) {
      const sum = start + delta;
      if (Number.isSafeInteger(sum)) return String(sum);
    }
  }
  return Long.fromValue(base).add(delta).toString();
}

/**
 * The record's headers as kafkajs gathers them: a key's one value as it is, several as an array in
 * order. kafkajs folds them with an object spread per header; this sets each on one object, with the
 * same reads (`obj[key] === undefined` sees inherited properties, as there) and an own `__proto__`.
 */
function readHeaders(decoder: RecordBytesDecoder, count: number): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const key = String(decoder.readVarIntString());
    const value = decoder.readVarIntBytes();
    const before = headers[key];
    const next =
      before === undefined ? value : Array.isArray(before) ? before.concat([value]) : [before, value];
    if (key === "__proto__")
      Object.defineProperty(headers, key, {
        value: next,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else headers[key] = next;
  }
  return headers;
}

/**
 * kafkajs's record decoder without its 64-bit arithmetic where numbers are exact: it decoded each
 * record's timestamp delta into a BigInt-backed Long (several per byte), and added the delta and the
 * offset delta to the batch's first timestamp and offset parsed from their strings into more of them,
 * about 9% of what the stream worker allocated in a backlog drain (a heap sampling of drain-1k). The
 * record it returns is the same, field for field and in the same order (lib/kafka/record-decoder.test.ts
 * compares the two on the same bytes); a timestamp delta longer than seven bytes, bytes that end inside
 * it, or a header count below -1 go to `fallback` (kafkajs's own) from the record's start.
 */
export function createRecordDecoder(fallback: KafkajsRecordDecoder): KafkajsRecordDecoder {
  return (decoder, batchContext = {}) => {
    const start = decoder.offset;
    const {
      firstOffset,
      firstTimestamp,
      magicByte,
      isControlBatch = false,
      timestampType,
      maxTimestamp,
    } = batchContext;
    const attributes = decoder.readInt8();
    const timestampDelta = readShortZigZagVarLong(decoder);
    if (timestampDelta === null) {
      decoder.offset = start;
      return fallback(decoder, batchContext);
    }
    const timestamp =
      timestampType === LOG_APPEND_TIME && maxTimestamp
        ? maxTimestamp
        : addDecimal(firstTimestamp, timestampDelta, firstTimestamps);
    const offset = addDecimal(firstOffset, decoder.readVarInt(), firstOffsets);
    const key = decoder.readVarIntBytes();
    const value = decoder.readVarIntBytes();
    const headerCount = decoder.readVarInt();
    if (headerCount < -1) {
      decoder.offset = start;
      return fallback(decoder, batchContext);
    }
    const headers = readHeaders(decoder, headerCount);
    return {
      magicByte,
      attributes,
      timestamp,
      offset,
      key,
      value,
      headers,
      isControlRecord: isControlBatch,
      batchContext,
    };
  };
}

/**
 * Makes kafkajs decode the records it fetches with {@link createRecordDecoder} around its own decoder.
 * kafkajs loads its record batch decoder lazily, with the first fetch response it decodes, and that
 * takes the record decoder from the module cache, where this file's import of kafkajs's own (the
 * fallback) put it: replacing that entry's exports before (createKafkaClient does it) is enough. Returns
 * whether kafkajs will use it: false when it had loaded its batch decoder already, or there is no module
 * cache to seed (a bundle's own).
 */
export function installFastRecordDecoderInKafkajs(): boolean {
  try {
    const require = createRequire(import.meta.url);
    const cached = require.cache[require.resolve(KAFKAJS_RECORD_DECODER_MODULE)];
    if (!cached) return false;
    if ((cached.exports as { [FAST]?: true })[FAST]) return true;
    if (require.cache[require.resolve(KAFKAJS_RECORD_BATCH_DECODER_MODULE)]) return false;
    cached.exports = Object.assign(createRecordDecoder(kafkajsRecordDecoder), { [FAST]: true as const });
    return true;
  } catch {
    return false;
  }
}
