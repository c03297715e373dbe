import { createRequire } from "node:module";

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
const fast = createRecordDecoder(kafkajs);

/** A record's bytes as a record batch holds them, without the length before them (as the batch decoder hands them over). */
function recordBytes(record: Parameters<typeof encodeRecord>[0]): Buffer {
  const framed = new Decoder(encodeRecord(record).buffer);
  return framed.readVarIntBytes()!;
}

/** Both decoders' outcomes on the same bytes: the record (or the error) and where each decoder stopped. */
function decodeBoth(bytes: Buffer, context?: RecordBatchContext) {
  const run = (decode: KafkajsRecordDecoder) => {
    const decoder = new Decoder(bytes);
    try {
      return { record: decode(decoder, context), offset: decoder.offset };
    } catch (error) {
      return { error: String(error), offset: decoder.offset };
    }
  };
  return { fast: run(fast), kafkajs: run(kafkajs) };
}

const CONTEXT: RecordBatchContext = {
  firstOffset: "1234567",
  firstTimestamp: "1764000000000",
  magicByte: 2,
  isControlBatch: false,
  timestampType: 0,
  maxTimestamp: "1764000009999",
};

describe("the record decoder", () => {
  it("decodes records exactly as kafkajs's own does: offsets, timestamps, key, value, headers", () => {
    const cases: [Parameters<typeof encodeRecord>[0], RecordBatchContext][] = [
      [{ timestampDelta: 0, offsetDelta: 0, key: "AAPL", value: '{"v":1}' }, CONTEXT],
      [{ timestampDelta: 61_000, offsetDelta: 17, key: null, value: null }, CONTEXT],
      // A delta before the batch's first timestamp, and large ones of every varlong length up to seven bytes.
      ...[-5, -(2 ** 20), 2 ** 27, 2 ** 34 - 1, 2 ** 41, -(2 ** 47), 2 ** 48 - 1].map(
        (delta): [Parameters<typeof encodeRecord>[0], RecordBatchContext] => [
          { timestampDelta: Long.fromValue(delta), offsetDelta: 3, key: "K", value: "V" },
          CONTEXT,
        ],
      ),
      // Longer than seven bytes: kafkajs's own decoding.
      [{ timestampDelta: Long.fromValue(2 ** 50), offsetDelta: 1, key: "K", value: "V" }, CONTEXT],
      [{ timestampDelta: Long.fromValue("-9223372036854775808"), key: "K", value: "V" }, CONTEXT],
      // Eight bytes and past 2^53: a number would round these.
      [{ timestampDelta: Long.fromValue("9007199254740993"), key: "K", value: "V" }, CONTEXT],
      [{ timestampDelta: Long.fromValue("-9007199254740995"), key: "K", value: "V" }, CONTEXT],
      // Sums past 2^53 and offsets near 2^63: Long's exact arithmetic.
      [
        { timestampDelta: 7, offsetDelta: 9, key: "K", value: "V" },
        { ...CONTEXT, firstOffset: "9007199254740990" },
      ],
      [
        { offsetDelta: 1, key: "K", value: "V" },
        { ...CONTEXT, firstOffset: "9223372036854775806" },
      ],
      [
        { offsetDelta: 1, key: "K", value: "V" },
        { ...CONTEXT, firstTimestamp: "-1" },
      ],
      [
        { offsetDelta: 1, key: "K", value: "V" },
        { ...CONTEXT, firstOffset: "007" },
      ],
      // The broker's append time, when the batch says so.
      [
        { timestampDelta: 5, key: "K", value: "V" },
        { ...CONTEXT, timestampType: 1 },
      ],
      [
        { timestampDelta: 5, key: "K", value: "V" },
        { ...CONTEXT, timestampType: 1, maxTimestamp: "" },
      ],
      // Headers: one value, several under one key (an array, in order), a null value, inherited names.
      [
        {
          key: "K",
          value: "V",
          headers: {
            producedAt: "1764000000123",
            trace: ["a", "b", "c"],
            toString: "x",
            constructor: ["y", "z"],
            ["__proto__"]: "p",
          },
        },
        { ...CONTEXT, isControlBatch: true },
      ],
    ];
    for (const [record, context] of cases) {
      const bytes = recordBytes(record);
      const { fast: mine, kafkajs: theirs } = decodeBoth(bytes, context);
      expect(
        mine,
        JSON.stringify({ record, context }, (_k, v: unknown) => String(v)),
      ).toEqual(theirs);
      expect("record" in mine).toBe(true);
      // The same fields in the same order, and the same own header names.
      const [a, b] = [mine, theirs].map((r) => (r as { record: Record<string, unknown> }).record);
      expect(Object.keys(a!)).toEqual(Object.keys(b!));
      expect(Reflect.ownKeys(a!.headers as object)).toEqual(Reflect.ownKeys(b!.headers as object));
    }
  });

  it("reads a header without a value (length -1) as kafkajs's own does", () => {
    // kafkajs's record encoder cannot write one: the record's fields by hand, a null header value last.
    const KafkajsEncoder = require(require.resolve("kafkajs/src/protocol/encoder.js")) as new () => {
      writeInt8(v: number): unknown;
      writeVarLong(v: number): unknown;
      writeVarInt(v: number): unknown;
      writeVarIntBytes(v: Buffer | string): unknown;
      writeVarIntString(v: string): unknown;
      buffer: Buffer;
    };
    const encoder = new KafkajsEncoder();
    encoder.writeInt8(0);
    encoder.writeVarLong(3);
    encoder.writeVarInt(1);
    encoder.writeVarIntBytes("K");
    encoder.writeVarIntBytes("V");
    encoder.writeVarInt(2);
    encoder.writeVarIntString("empty");
    encoder.writeVarInt(-1);
    encoder.writeVarIntString("empty");
    encoder.writeVarIntBytes("x");
    const { fast: mine, kafkajs: theirs } = decodeBoth(encoder.buffer, CONTEXT);
    expect(mine).toEqual(theirs);
    expect((mine as { record: { headers: unknown } }).record.headers).toEqual({
      empty: [null, Buffer.from("x")],
    });
  });

  it("writes a safe sum as kafkajs does and goes to Long past it", () => {
    const bytes = recordBytes({ timestampDelta: 1, offsetDelta: 2, key: "K", value: "V" });
    const at = (firstOffset: string) =>
      (decodeBoth(bytes, { ...CONTEXT, firstOffset }).fast as { record: { offset: string } }).record.offset;
    expect(at("9007199254740989")).toBe("9007199254740991");
    expect(at("9007199254740990")).toBe("9007199254740992");
    expect(at("18446744073709551615")).toBe("18446744073709551617");
  });

  it("fails where kafkajs's own fails: no batch context, a header count below -1", () => {
    const bytes = recordBytes({ timestampDelta: 1, key: "K", value: "V" });
    const noContext = decodeBoth(bytes, undefined);
    expect(noContext.fast).toEqual(noContext.kafkajs);
    expect("error" in noContext.fast).toBe(true);
    // The header count is the record's last varint: 0 (no header) becomes 3, zigzag for -2.
    const badCount = Buffer.from(bytes);
    badCount[badCount.length - 1] = 3;
    const bad = decodeBoth(badCount, CONTEXT);
    expect(bad.fast).toEqual(bad.kafkajs);
    expect("error" in bad.fast).toBe(true);
  });

  it("reads bytes cut anywhere, or a timestamp delta cut inside, as kafkajs's own does", () => {
    const bytes = recordBytes({
      timestampDelta: Long.fromValue(2 ** 40),
      offsetDelta: 5,
      key: "K",
      value: "V",
      headers: { a: "1" },
    });
    for (let length = 0; length < bytes.length; length++) {
      const { fast: mine, kafkajs: theirs } = decodeBoth(bytes.subarray(0, length), CONTEXT);
      expect(mine, `first ${length} bytes`).toEqual(theirs);
    }
  });

  it("is the record decoder kafkajs's record batch decoder loads", () => {
    expect(installFastRecordDecoderInKafkajs()).toBe(true);
    const batchDecoder = require.resolve("kafkajs/src/protocol/recordBatch/v0/decoder.js");
    const fromBatch = createRequire(batchDecoder)("../record/v0/decoder") as KafkajsRecordDecoder;
    expect(fromBatch).not.toBe(kafkajs);
    const bytes = recordBytes({ timestampDelta: 9, offsetDelta: 4, key: "K", value: "V" });
    const decoded = fromBatch(new Decoder(bytes), CONTEXT) as { offset: string; timestamp: string };
    expect([decoded.offset, decoded.timestamp]).toEqual(["1234571", "1764000000009"]);
    // Installed once: a second call finds it in place.
    expect(installFastRecordDecoderInKafkajs()).toBe(true);
  });
});
