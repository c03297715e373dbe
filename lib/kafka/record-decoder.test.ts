import { createRequire } from "node:module";
import { isDeepStrictEqual } from "node:util";

import { describe, expect, it } from "vitest";

import {
  createRecordDecoder,
  installFastRecordDecoderInKafkajs,
  KAFKAJS_RECORD_DECODER_MODULE,
  type KafkajsRecordDecoder,
  type RecordBatchContext,
  type RecordBytesDecoder,
} from "@/lib/kafka/record-decoder";

const require = createRequire(import.meta.url);
type Encoder = { buffer: Buffer };
const recordDir = require.resolve(KAFKAJS_RECORD_DECODER_MODULE).replace(/decoder\.js$/, "");
/** kafkajs's own record encoder and decoder and its decoder class, read from their files. */
const encodeRecord = require(`${recordDir}index.js`) as (record: {
  timestampDelta?: unknown;
  offsetDelta?: number;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, unknown>;
}) => Encoder;
const Decoder = require(require.resolve("kafkajs/src/protocol/decoder.js")) as new (
  buffer: Buffer,
) => RecordBytesDecoder;
const Long = require(require.resolve("kafkajs/src/utils/long.js")) as { fromValue(v: unknown): unknown };

/** kafkajs's own record decoder, loaded from its file apart from the module cache entry we seed. */
function loadKafkajsRecordDecoder(): KafkajsRecordDecoder {
  const path = require.resolve(KAFKAJS_RECORD_DECODER_MODULE);
  const cached = require.cache[path];
  delete require.cache[path];
  try {
    return require(path) as KafkajsRecordDecoder;
  } finally {
    if (cached) require.cache[path] = cached;
    else delete require.cache[path];
  }
}

const kafkajs = loadKafkajsRecordDecoder();
/** How many records the decoder under test handed to kafkajs's own (its fallback). */
let fallbacks = 0;
const fast = createRecordDecoder((decoder, context) => {
  fallbacks++;
  return kafkajs(decoder, context);
});

/** A record's bytes as a record batch holds them, without the length before them (as the batch decoder hands them over). */
function recordBytes(record: Parameters<typeof encodeRecord>[0]): Buffer {
  const framed = new Decoder(encodeRecord(record).buffer);
  return framed.readVarIntBytes()!;
}

/**
 * Both decoders' outcomes on the same bytes: the record (or the error) and where each decoder stopped,
 * and whether the one under test fell back to kafkajs's own.
 */
function decodeBoth(bytes: Buffer, context?: RecordBatchContext | null) {
  const run = (decode: KafkajsRecordDecoder) => {
    const decoder = new Decoder(bytes);
    try {
      return { record: decode(decoder, context as RecordBatchContext), offset: decoder.offset };
    } catch (error) {
      return { error: String(error), offset: decoder.offset };
    }
  };
  const before = fallbacks;
  const mine = run(fast);
  return { fast: mine, kafkajs: run(kafkajs), fellBack: fallbacks > before };
}

/** A record written field by field with kafkajs's encoder (for what its record encoder cannot write). */
function handWritten(write: (encoder: HandEncoder) => void): Buffer {
  const encoder = new KafkajsEncoder();
  write(encoder);
  return encoder.buffer;
}
type HandEncoder = {
  writeInt8(v: number): unknown;
  writeVarLong(v: number): unknown;
  writeVarInt(v: number): unknown;
  writeVarIntBytes(v: Buffer | string): unknown;
  writeVarIntString(v: string): unknown;
  buffer: Buffer;
};
const KafkajsEncoder = require(require.resolve("kafkajs/src/protocol/encoder.js")) as new () => HandEncoder;

const CONTEXT: RecordBatchContext = {
  firstOffset: "1234567",
  firstTimestamp: "1764000000000",
  magicByte: 2,
  isControlBatch: false,
  timestampType: 0,
  maxTimestamp: "1764000009999",
};

type RecordInput = Parameters<typeof encodeRecord>[0];

/** Asserts both decoders agree on `bytes` (record or error, fields in order, own header names, offset). */
function expectSame(bytes: Buffer, context: RecordBatchContext | null | undefined, label: string) {
  const { fast: mine, kafkajs: theirs, fellBack } = decodeBoth(bytes, context);
  // Node's strict deep equality (prototypes, undefined fields, an own `__proto__` header); toEqual for a diff.
  expect(mine, label).toEqual(theirs);
  expect(isDeepStrictEqual(mine, theirs), label).toBe(true);
  if ("record" in mine && "record" in theirs) {
    const [a, b] = [mine.record, theirs.record] as Record<string, unknown>[];
    expect(Object.keys(a!), label).toEqual(Object.keys(b!));
    expect(Reflect.ownKeys(a!.headers as object), label).toEqual(Reflect.ownKeys(b!.headers as object));
    expect(Object.getPrototypeOf(a!.headers), label).toBe(Object.getPrototypeOf(b!.headers));
  }
  return { mine, fellBack };
}

const label = (record: RecordInput, context?: RecordBatchContext | null) =>
  JSON.stringify({ record, context }, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));

describe("the record decoder", () => {
  it("decodes records exactly as kafkajs's own does, by itself for timestamp deltas of up to seven bytes", () => {
    const short: [RecordInput, RecordBatchContext][] = [
      [{ timestampDelta: 0, offsetDelta: 0, key: "AAPL", value: '{"v":1}' }, CONTEXT],
      [{ timestampDelta: 61_000, offsetDelta: 17, key: null, value: null }, CONTEXT],
      [{ timestampDelta: 3, offsetDelta: -4, key: "K", value: "V" }, CONTEXT],
      // Deltas before and after the batch's first timestamp, of every varlong length up to seven bytes
      // (±2^48 - 1 and -2^48 are the largest that fit).
      ...[-5, -(2 ** 20), 2 ** 27, 2 ** 34 - 1, 2 ** 41, -(2 ** 47), 2 ** 48 - 1, -(2 ** 48)].map(
        (delta): [RecordInput, RecordBatchContext] => [
          { timestampDelta: Long.fromValue(delta), offsetDelta: 3, key: "K", value: "V" },
          CONTEXT,
        ],
      ),
      // Sums past 2^53 and bases that are not safe integers written as JS writes them: Long's arithmetic.
      ...["9007199254740990", "9223372036854775806", "-1", "007", "-0", " 5", "0x10", ""].map(
        (firstOffset): [RecordInput, RecordBatchContext] => [
          { timestampDelta: 7, offsetDelta: 9, key: "K", value: "V" },
          { ...CONTEXT, firstOffset },
        ],
      ),
      [
        { timestampDelta: 7, key: "K", value: "V" },
        { ...CONTEXT, firstTimestamp: "9007199254740990" },
      ],
      // The broker's append time, when the batch says so (and its first timestamp then unread).
      [
        { timestampDelta: 5, key: "K", value: "V" },
        { ...CONTEXT, timestampType: 1 },
      ],
      [
        { timestampDelta: 5, key: "K", value: "V" },
        { ...CONTEXT, timestampType: 1, maxTimestamp: "" },
      ],
      [
        { timestampDelta: 5, key: "K", value: "V" },
        { ...CONTEXT, timestampType: 1, firstTimestamp: undefined },
      ],
      // A partial batch context: what is missing fails (or stays undefined) as in kafkajs.
      [
        { timestampDelta: 5, key: "K", value: "V" },
        { ...CONTEXT, firstOffset: undefined },
      ],
      [
        { timestampDelta: 5, key: "K", value: "V" },
        { firstOffset: "1", firstTimestamp: "2" },
      ],
      // Headers: one value, several under one key (an array, in order), inherited names, `__proto__`.
      [
        {
          key: "K",
          value: "V",
          headers: {
            producedAt: "1764000000123",
            trace: ["a", "b", "c"],
            toString: "x",
            constructor: ["y", "z"],
            ["__proto__"]: ["p", "q"],
          },
        },
        { ...CONTEXT, isControlBatch: true },
      ],
    ];
    for (const [record, context] of short) {
      const { fellBack } = expectSame(recordBytes(record), context, label(record, context));
      expect(fellBack, label(record, context)).toBe(false);
    }
  });

  it("hands longer timestamp deltas to kafkajs's own decoder, which a number would round", () => {
    for (const delta of [
      2 ** 48,
      -(2 ** 48) - 1,
      2 ** 50,
      "9007199254740993",
      "-9007199254740995",
      "-9223372036854775808",
    ]) {
      const record: RecordInput = {
        timestampDelta: Long.fromValue(delta),
        offsetDelta: 1,
        key: "K",
        value: "V",
      };
      const { mine, fellBack } = expectSame(recordBytes(record), CONTEXT, label(record));
      expect(fellBack, String(delta)).toBe(true);
      expect("record" in mine).toBe(true);
    }
  });

  it("fails where kafkajs's own fails: no batch context, a null one, a header count below -1", () => {
    const bytes = recordBytes({ timestampDelta: 1, key: "K", value: "V" });
    for (const context of [undefined, null]) {
      const { mine } = expectSame(bytes, context, String(context));
      expect("error" in mine).toBe(true);
    }
    // The header count is the record's last varint: 0 (no header) becomes 3, zigzag for -2.
    const badCount = Buffer.from(bytes);
    badCount[badCount.length - 1] = 3;
    const { mine, fellBack } = expectSame(badCount, CONTEXT, "header count -2");
    expect("error" in mine).toBe(true);
    expect(fellBack).toBe(true);
  });

  it("reads what kafkajs's record encoder cannot write as kafkajs's own does: null header keys and values, a count of -1", () => {
    const fields = (encoder: HandEncoder) => {
      encoder.writeInt8(0);
      encoder.writeVarLong(3);
      encoder.writeVarInt(1);
      encoder.writeVarIntBytes("K");
      encoder.writeVarIntBytes("V");
    };
    const nulls = handWritten((encoder) => {
      fields(encoder);
      encoder.writeVarInt(4);
      encoder.writeVarIntString("empty");
      encoder.writeVarInt(-1); // no value
      encoder.writeVarIntString("empty");
      encoder.writeVarIntBytes("x");
      encoder.writeVarInt(-1); // no key: "null", as kafkajs names it
      encoder.writeVarIntBytes("n");
      encoder.writeVarIntString("null");
      encoder.writeVarIntBytes("m");
    });
    const { mine } = expectSame(nulls, CONTEXT, "null header key and value");
    expect((mine as { record: { headers: unknown } }).record.headers).toEqual({
      empty: [null, Buffer.from("x")],
      null: [Buffer.from("n"), Buffer.from("m")],
    });
    const noHeaders = handWritten((encoder) => {
      fields(encoder);
      encoder.writeVarInt(-1);
    });
    const none = expectSame(noHeaders, CONTEXT, "header count -1");
    expect((none.mine as { record: { headers: unknown } }).record.headers).toStrictEqual({});
    expect(none.fellBack).toBe(false);
  });

  it("writes a safe sum as kafkajs does and goes to Long past it", () => {
    const bytes = recordBytes({ timestampDelta: 1, offsetDelta: 2, key: "K", value: "V" });
    const at = (firstOffset: string) =>
      (decodeBoth(bytes, { ...CONTEXT, firstOffset }).fast as { record: { offset: string } }).record.offset;
    expect(at("9007199254740989")).toBe("9007199254740991");
    expect(at("9007199254740990")).toBe("9007199254740992");
    expect(at("18446744073709551615")).toBe("18446744073709551617");
  });

  it("reads records cut anywhere, a timestamp delta cut inside included, as kafkajs's own does", () => {
    for (const delta of [2 ** 40, 2 ** 52]) {
      const bytes = recordBytes({
        timestampDelta: Long.fromValue(delta),
        offsetDelta: 5,
        key: "K",
        value: "V",
        headers: { a: "1", b: ["2", "3"] },
      });
      for (let length = 0; length < bytes.length; length++)
        expectSame(bytes.subarray(0, length), CONTEXT, `delta ${delta}, first ${length} bytes`);
    }
  });

  it("is the record decoder kafkajs's record batch decoder loads", () => {
    expect(installFastRecordDecoderInKafkajs()).toBe(true);
    const batchDecoder = require.resolve("kafkajs/src/protocol/recordBatch/v0/decoder.js");
    const fromBatch = createRequire(batchDecoder)("../record/v0/decoder") as KafkajsRecordDecoder &
      Record<symbol, unknown>;
    expect(fromBatch[Symbol.for("tickstream.kafkajs-record-decoder")]).toBe(true);
    const bytes = recordBytes({ timestampDelta: 9, offsetDelta: 4, key: "K", value: "V" });
    const decoded = fromBatch(new Decoder(bytes), CONTEXT) as { offset: string; timestamp: string };
    expect([decoded.offset, decoded.timestamp]).toEqual(["1234571", "1764000000009"]);
    // Installed once: a second call finds it in place.
    expect(installFastRecordDecoderInKafkajs()).toBe(true);
  });
});
