// kafkajs 2.2.4's encoder of every request it sends (`module.exports = class Encoder`), the very class
// kafkajs requires: kafkajs stays external to every bundle (scripts/build.ts).
import kafkajsEncoderClass from "kafkajs/src/protocol/encoder.js";

/** From this many bytes, a write into an encoder keeps a reference to its bytes instead of copying them. */
export const REFERENCE_MIN_BYTES = 8 * 1024;

/**
 * What the methods below use of kafkajs's encoder: `buf` holds the bytes written since the last
 * reference, up to `offset`; `ropeParts` (none until the first reference) the bytes before them, in order.
 */
export type Encoder = {
  buf: Buffer;
  offset: number;
  ropeParts?: Buffer[];
  ropeLength?: number;
  ensureAvailable(length: number): void;
  writeBufferInternal(buffer: Buffer): void;
  writeInt32(value: number): Encoder;
  /** Kept as kafkajs's own for all but large buffers (a property: the patch calls the original). */
  writeBytes: (this: Encoder, value: unknown) => Encoder;
  writeEncoder(value: Encoder): Encoder;
  writeEncoderArray(values: Encoder[]): Encoder;
  size(): number;
};
export type EncoderClass = { prototype: Encoder; nextPowerOfTwo(value: number): number };

const INSTALLED = Symbol.for("tickstream.kafkajs-encoder");

/** The encoder's bytes written so far, each part once, in order. */
function listParts(encoder: Encoder): Buffer[] {
  const tail = encoder.buf.subarray(0, encoder.offset);
  return encoder.ropeParts ? [...encoder.ropeParts, tail] : [tail];
}

/** Appends `bytes` to `encoder` by reference: the bytes written before them become a part of their own. */
function appendPart(encoder: Encoder, bytes: Buffer): void {
  const parts = (encoder.ropeParts ??= []);
  if (encoder.offset > 0) {
    parts.push(encoder.buf.subarray(0, encoder.offset));
    // The rest of the buffer stays the encoder's to write into: no byte of it is in a part.
    encoder.buf = encoder.buf.subarray(encoder.offset);
    encoder.ropeLength = (encoder.ropeLength ?? 0) + encoder.offset;
    encoder.offset = 0;
  }
  parts.push(bytes);
  encoder.ropeLength = (encoder.ropeLength ?? 0) + bytes.length;
}

/**
 * Rewrites how kafkajs's encoder holds its bytes; what it writes is unchanged, byte for byte
 * (lib/kafka/encoder.test.ts). kafkajs builds a request in layers (a record, its batch, the partition, the
 * topic, the request, its size), each an encoder that copies the one below it, and grows each by doubling
 * into a zero-filled buffer: a live update of 70 KB was copied about nine times and its buffers zero-filled
 * about as often, some 12% of the stream worker's time in a backlog drain (a drain-1k --cpu-prof, README
 * "Fifteenth step"). Here an encoder grows into an unfilled buffer (only the bytes up to its offset are ever
 * read), and a write of REFERENCE_MIN_BYTES or more (an encoder's bytes, or a buffer) keeps a reference to
 * them. A produce request's bytes are then copied three times: the record batch's body is joined for its
 * checksum and the batch for its length-prefixed bytes, both while kafkajs encodes, and the request when
 * the connection sends it. kafkajs writes into an encoder only at its end and never changes bytes it has
 * written, and the first join copies the messages' values, so no referenced part can change under the
 * encoder that holds it.
 *
 * kafkajs loads its encoder with itself, so this patches the class kafkajs holds, once (createKafkaClient
 * calls it). Returns whether it is in place.
 */
export function installRopeEncoderInKafkajs(): boolean {
  return installRopeEncoder(kafkajsEncoderClass as EncoderClass);
}

/** Patches `Encoder` (kafkajs's encoder class, or a copy of it in tests); true once it is patched. */
export function installRopeEncoder(Encoder: EncoderClass): boolean {
  const proto = Encoder.prototype as Encoder & { [INSTALLED]?: true };
  if (proto[INSTALLED]) return true;

  proto.ensureAvailable = function ensureAvailable(this: Encoder, length: number) {
    if (this.offset + length > this.buf.length) {
      const grown = Buffer.allocUnsafe(Encoder.nextPowerOfTwo(this.offset + length));
      this.buf.copy(grown, 0, 0, this.offset);
      this.buf = grown;
    }
  };

  proto.writeBufferInternal = function writeBufferInternal(this: Encoder, buffer: Buffer) {
    const length = buffer.length;
    if (length >= REFERENCE_MIN_BYTES) {
      appendPart(this, buffer);
      return;
    }
    this.ensureAvailable(length);
    buffer.copy(this.buf, this.offset, 0);
    this.offset += length;
  };

  // kafkajs makes room for a buffer's bytes before writing them: none is needed for bytes kept by reference.
  const writeBytes = proto.writeBytes;
  proto.writeBytes = function (this: Encoder, value: unknown) {
    if (!Buffer.isBuffer(value) || value.length < REFERENCE_MIN_BYTES) return writeBytes.call(this, value);
    this.writeInt32(value.length);
    this.writeBufferInternal(value);
    return this;
  };

  proto.writeEncoder = function writeEncoder(this: Encoder, value: Encoder) {
    if (value == null || !Buffer.isBuffer(value.buf))
      throw new Error("value should be an instance of Encoder");
    for (const part of listParts(value)) this.writeBufferInternal(part);
    return this;
  };

  proto.writeEncoderArray = function writeEncoderArray(this: Encoder, values: Encoder[]) {
    if (!Array.isArray(values) || values.some((v) => v == null || !Buffer.isBuffer(v.buf))) {
      throw new Error("all values should be an instance of Encoder[]");
    }
    for (const value of values) this.writeEncoder(value);
    return this;
  };

  proto.size = function size(this: Encoder) {
    return (this.ropeLength ?? 0) + this.offset;
  };

  Object.defineProperty(proto, "buffer", {
    configurable: true,
    get(this: Encoder): Buffer {
      if (this.ropeParts) {
        // Joined once; the encoder goes on from the joined bytes, as if it had copied all along.
        const joined = Buffer.concat(listParts(this), (this.ropeLength ?? 0) + this.offset);
        this.ropeParts = undefined;
        this.ropeLength = 0;
        this.buf = joined;
        this.offset = joined.length;
      }
      return this.buf.subarray(0, this.offset);
    },
  });

  proto[INSTALLED] = true;
  return true;
}
