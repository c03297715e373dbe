import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { dirname } from "node:path";

import { describe, expect, it } from "vitest";

import {
  installRopeEncoder,
  installRopeEncoderInKafkajs,
  REFERENCE_MIN_BYTES,
  type Encoder as RopeEncoder,
  type EncoderClass as RopeEncoderClass,
} from "@/lib/kafka/encoder";

const require = createRequire(import.meta.url);

/** kafkajs's encoder with the methods these tests call besides those lib/kafka/encoder.ts uses. */
type Encoder = Omit<RopeEncoder, "writeEncoder" | "writeInt32" | "writeBytes"> & {
  readonly buffer: Buffer;
  writeInt8(v: number): Encoder;
  writeInt16(v: number): Encoder;
  writeInt32(v: number): Encoder;
  writeInt64(v: number): Encoder;
  writeString(v: string | null): Encoder;
  writeVarInt(v: number): Encoder;
  writeVarLong(v: number): Encoder;
  writeBytes(v: Buffer | string | null): Encoder;
  writeVarIntBytes(v: Buffer | string | null): Encoder;
  writeBuffer(v: Buffer): Encoder;
  writeEncoder(v: Encoder): Encoder;
  writeArray(v: unknown[], type?: string): Encoder;
  writeVarIntArray(v: unknown[], type?: string): Encoder;
};
type EncoderClass = Pick<RopeEncoderClass, "nextPowerOfTwo"> & (new (initialSize?: number) => Encoder);

/** A class of its own from kafkajs's encoder file, outside the module cache (so never patched by another test). */
function loadKafkajsEncoder(): EncoderClass {
  const path = require.resolve("kafkajs/src/protocol/encoder.js");
  const copy = new Module(path) as Module & { _compile(source: string, filename: string): void };
  copy.filename = path;
  copy.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(
    dirname(path),
  );
  copy._compile(readFileSync(path, "utf8"), path);
  return copy.exports as EncoderClass;
}

function rope(): EncoderClass {
  const Encoder = loadKafkajsEncoder();
  expect(installRopeEncoder(Encoder as unknown as RopeEncoderClass)).toBe(true);
  return Encoder;
}

/** A seeded generator, so that a failing sequence can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

/**
 * Writes the same random sequence into an encoder of each class: numbers, strings, bytes small and large,
 * and encoders nested up to `depth` (themselves written the same way), alone or as arrays.
 */
function writeRandomly(
  encoders: Encoder[],
  classes: EncoderClass[],
  next: (n: number) => number,
  depth: number,
) {
  const steps = 1 + next(12);
  for (let step = 0; step < steps; step++) {
    const size = [0, 1, 100, REFERENCE_MIN_BYTES - 1, REFERENCE_MIN_BYTES, 70_000][next(6)]!;
    const bytes = randomBytes(size);
    const text = bytes.toString("base64").slice(0, size);
    const number = next(2 ** 31) - 2 ** 30;
    const kind = next(depth > 0 ? 11 : 9);
    for (const e of encoders) {
      if (kind === 0) e.writeInt8(number % 128);
      else if (kind === 1) e.writeInt16(number % 32_768).writeInt32(number);
      else if (kind === 2) e.writeInt64(number).writeVarLong(number);
      else if (kind === 3) e.writeString(size === 0 ? null : text.slice(0, 30_000));
      else if (kind === 4) e.writeVarInt(number);
      else if (kind === 5) e.writeBytes(bytes);
      else if (kind === 6) e.writeVarIntBytes(text);
      else if (kind === 7) e.writeVarIntBytes(bytes);
      else if (kind === 8) e.writeBuffer(bytes);
    }
    if (kind >= 9) {
      // The same nested content for each class: one generator state per nested write.
      const state = next(2 ** 31);
      const nested = classes.map((C) => [new C(), new C()]);
      for (let k = 0; k < 2; k++) {
        writeRandomly(
          nested.map((pair) => pair[k]!),
          classes,
          random(state + k),
          depth - 1,
        );
      }
      encoders.forEach((e, i) => {
        if (kind === 9) e.writeEncoder(nested[i]![0]!).writeEncoder(nested[i]![1]!);
        else e.writeArray(nested[i]!, "object").writeVarIntArray(nested[i]!);
      });
    }
  }
}

describe("installRopeEncoder", () => {
  it("writes exactly the bytes of kafkajs's own encoder, and the same size, for random sequences", () => {
    const Own = loadKafkajsEncoder();
    const Rope = rope();
    for (let seed = 1; seed <= 100; seed++) {
      const own = new Own();
      const patched = new Rope();
      writeRandomly([own, patched], [Own, Rope], random(seed), 3);
      expect(patched.size(), `seed ${seed}`).toBe(own.size());
      expect(Buffer.compare(patched.buffer, own.buffer), `seed ${seed}`).toBe(0);
      // Read twice (the second from the joined bytes), then written on: still the same.
      expect(Buffer.compare(patched.buffer, own.buffer), `seed ${seed}, read again`).toBe(0);
      own.writeInt32(seed).writeBytes(Buffer.alloc(REFERENCE_MIN_BYTES, seed));
      patched.writeInt32(seed).writeBytes(Buffer.alloc(REFERENCE_MIN_BYTES, seed));
      expect(Buffer.compare(patched.buffer, own.buffer), `seed ${seed}, written on`).toBe(0);
    }
  });

  it("keeps a reference to a large encoder's or buffer's bytes instead of copying them, and copies small ones", () => {
    const Encoder = rope();
    // A record of a large value: written into the encoder's own buffer.
    const record = new Encoder().writeVarInt(7).writeVarIntBytes("x".repeat(REFERENCE_MIN_BYTES * 2));
    const payload = randomBytes(REFERENCE_MIN_BYTES);
    const small = new Encoder().writeInt32(7);
    const outer = new Encoder()
      .writeInt32(record.size())
      .writeEncoder(record)
      .writeEncoder(small)
      .writeBytes(payload);
    // [its size], the record (the same memory as the record's buffer), [7, the payload's length], the payload.
    expect(outer.ropeParts).toHaveLength(4);
    expect(outer.ropeParts![1]!.buffer).toBe(record.buf.buffer);
    expect(outer.ropeParts![1]!.byteOffset).toBe(record.buf.byteOffset);
    expect(outer.ropeParts![3]).toBe(payload);
    // No room was made in the encoder's own buffer for the bytes it only refers to.
    expect(outer.buf.length).toBeLessThan(REFERENCE_MIN_BYTES);
    expect(outer.size()).toBe(4 + record.size() + 4 + 4 + payload.length);
    const bytes = outer.buffer;
    expect(bytes.subarray(4, 4 + record.size()).equals(record.buffer)).toBe(true);
    expect(bytes.readInt32BE(4 + record.size())).toBe(7);
    expect(bytes.subarray(-payload.length).equals(payload)).toBe(true);
    expect(outer.ropeParts).toBeUndefined(); // joined by the read
  });

  it("still refuses what is not an encoder, as kafkajs's own does", () => {
    const Encoder = rope();
    expect(() => new Encoder().writeEncoder({} as Encoder)).toThrow("value should be an instance of Encoder");
    expect(() => new Encoder().writeArray([{}], "object")).toThrow(
      "all values should be an instance of Encoder[]",
    );
  });

  it("is the encoder kafkajs's record batches and requests are written with", () => {
    expect(installRopeEncoderInKafkajs()).toBe(true);
    const fromRecordBatch = createRequire(require.resolve("kafkajs/src/protocol/recordBatch/v0/index.js"))(
      "../../encoder",
    ) as EncoderClass;
    const outer = new fromRecordBatch().writeEncoder(
      new fromRecordBatch().writeBytes(randomBytes(REFERENCE_MIN_BYTES)),
    );
    expect(outer.ropeParts).toBeDefined();
    expect(installRopeEncoderInKafkajs()).toBe(true); // once is enough; again changes nothing
  });
});
