/**
 * PostgreSQL's binary array format (array_send / array_recv) for the column types a bulk upsert sends.
 * node-pg sends a Buffer parameter in binary format, so `cast($1 as double precision[])` receives the
 * array as is: no number is written out as text by the worker nor parsed back by the server, which on a
 * batch's tens of thousands of elements cost both sides more than the insert itself.
 */

/** Seconds between the Unix epoch and PostgreSQL's (2000-01-01), in ms and in days. */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const PG_EPOCH_DAYS = PG_EPOCH_MS / 86_400_000;
const TWO_32 = 4_294_967_296;

type ElementCodec = {
  oid: number;
  /** Bytes of the element's value, or null when this codec cannot write it (the caller falls back). */
  size: (value: unknown) => number | null;
  write: (buffer: Buffer, offset: number, value: unknown) => void;
};

function writeInt64(buffer: Buffer, offset: number, value: number): void {
  const high = Math.floor(value / TWO_32);
  buffer.writeInt32BE(high, offset);
  buffer.writeUInt32BE(value - high * TWO_32, offset + 4);
}

const isInt32 = (v: unknown): v is number => typeof v === "number" && (v | 0) === v;
const isSafeInteger = (v: unknown): v is number => Number.isSafeInteger(v);

/**
 * A timestamp as µs since PostgreSQL's epoch: from a Date, or from a number of ms since the Unix epoch
 * (what the KPI types carry, so that a batch's rows need no Date each).
 */
function toPgMicros(value: unknown): number | null {
  const ms = typeof value === "number" ? value : value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) return null;
  const micros = (ms - PG_EPOCH_MS) * 1000;
  return Number.isSafeInteger(micros) ? micros : null;
}

// The last date converted: a batch's rows mostly share their trading date, and checking a date string
// (a regex, a parse and a format back) for each of them was 3% of the stream worker's time.
let lastDate: { text: string; days: number | null } = { text: "", days: null };

function toPgDays(value: unknown): number | null {
  if (typeof value !== "string") return null;
  if (value === lastDate.text) return lastDate.days;
  lastDate = { text: value, days: parsePgDays(value) };
  return lastDate.days;
}

function parsePgDays(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const ms = Date.parse(value);
  // Not a calendar date (2026-02-30 would roll over to March): sent as text for the server to refuse.
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== value) return null;
  return ms / 86_400_000 - PG_EPOCH_DAYS;
}

/** By the column type drizzle names (`column.getSQLType()`). */
const CODECS: Record<string, ElementCodec> = {
  "double precision": {
    oid: 701,
    size: (v) => (typeof v === "number" ? 8 : null),
    // -0 as 0, as its text form ("0") always stored it.
    write: (b, o, v) => b.writeDoubleBE((v as number) === 0 ? 0 : (v as number), o),
  },
  integer: {
    oid: 23,
    size: (v) => (isInt32(v) ? 4 : null),
    write: (b, o, v) => b.writeInt32BE(v as number, o),
  },
  bigint: {
    oid: 20,
    size: (v) => (isSafeInteger(v) ? 8 : null),
    write: (b, o, v) => writeInt64(b, o, v as number),
  },
  text: {
    oid: 25,
    size: (v) => (typeof v === "string" ? Buffer.byteLength(v) : null),
    write: (b, o, v) => void b.write(v as string, o, "utf8"),
  },
  boolean: {
    oid: 16,
    size: (v) => (typeof v === "boolean" ? 1 : null),
    write: (b, o, v) => void b.writeUInt8(v ? 1 : 0, o),
  },
  "timestamp with time zone": {
    oid: 1184,
    size: (v) => (toPgMicros(v) === null ? null : 8),
    write: (b, o, v) => writeInt64(b, o, toPgMicros(v)!),
  },
  date: {
    oid: 1082,
    size: (v) => (toPgDays(v) === null ? null : 4),
    write: (b, o, v) => b.writeInt32BE(toPgDays(v)!, o),
  },
};

/**
 * The bytes `codec` writes for `value`: -1 for NULL (null or undefined), the length written before a
 * value as an array element and as a COPY field; null when the value does not fit the codec.
 */
function fieldSize(codec: ElementCodec, value: unknown): number | null {
  return value === null || value === undefined ? -1 : codec.size(value);
}

/**
 * A one-dimensional array of `values` (null or undefined as NULL) in PostgreSQL's binary format, for a
 * column of `sqlType`; null when the type has no codec here or a value does not fit it (the caller
 * then sends text, and the server's own parsing reports what is wrong).
 */
export function encodeBinaryArray(values: readonly unknown[], sqlType: string): Buffer | null {
  const codec = CODECS[sqlType];
  if (!codec) return null;
  // Typed: past 16 elements its bytes live outside the heap, not among the young objects a collection copies.
  const sizes = new Int32Array(values.length);
  let hasNull = 0;
  let total = 20;
  for (let i = 0; i < values.length; i++) {
    const size = fieldSize(codec, values[i]);
    if (size === null) return null;
    if (size < 0) hasNull = 1;
    sizes[i] = size;
    total += 4 + Math.max(size, 0);
  }
  const buffer = Buffer.allocUnsafe(total);
  buffer.writeInt32BE(1, 0); // dimensions
  buffer.writeInt32BE(hasNull, 4);
  buffer.writeUInt32BE(codec.oid, 8);
  buffer.writeInt32BE(values.length, 12);
  buffer.writeInt32BE(1, 16); // lower bound
  let offset = 20;
  for (let i = 0; i < values.length; i++) {
    const size = sizes[i]!;
    buffer.writeInt32BE(size, offset);
    offset += 4;
    if (size < 0) continue;
    codec.write(buffer, offset, values[i]);
    offset += size;
  }
  return buffer;
}

/** The header of a binary COPY: signature, flags (none) and header extension length (none). */
const COPY_SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const COPY_HEADER_BYTES = COPY_SIGNATURE.length + 8;

/**
 * Rows in the binary format of `COPY … FROM STDIN WITH (FORMAT binary)`, given column by column: each
 * column's values (one per row, null or undefined as NULL) and its SQL type. A field of a row is written
 * as an array element is (its length, then the same bytes), with the same codecs. Null when a type has no
 * codec here or a value does not fit it (the caller then sends the rows another way).
 */
export function encodeBinaryCopy(
  columns: readonly { values: readonly unknown[]; sqlType: string }[],
): Buffer | null {
  const rowCount = columns[0]?.values.length ?? 0;
  const codecs: ElementCodec[] = [];
  for (const column of columns) {
    const codec = CODECS[column.sqlType];
    if (!codec) return null;
    if (column.values.length !== rowCount)
      throw new Error(`COPY columns hold ${column.values.length} and ${rowCount} values: one per row each`);
    codecs.push(codec);
  }
  // Sizes first, as encodeBinaryArray does: one buffer of the exact length, no copy.
  const sizes = new Int32Array(rowCount * columns.length);
  let total = COPY_HEADER_BYTES + rowCount * 2 + 2;
  for (let c = 0; c < columns.length; c++) {
    const { values } = columns[c]!;
    const codec = codecs[c]!;
    for (let r = 0; r < rowCount; r++) {
      const size = fieldSize(codec, values[r]);
      if (size === null) return null;
      sizes[r * columns.length + c] = size;
      total += 4 + Math.max(size, 0);
    }
  }
  const buffer = Buffer.allocUnsafe(total);
  COPY_SIGNATURE.copy(buffer, 0);
  buffer.writeInt32BE(0, COPY_SIGNATURE.length); // flags
  buffer.writeInt32BE(0, COPY_SIGNATURE.length + 4); // header extension
  let offset = COPY_HEADER_BYTES;
  for (let r = 0; r < rowCount; r++) {
    buffer.writeInt16BE(columns.length, offset);
    offset += 2;
    for (let c = 0; c < columns.length; c++) {
      const size = sizes[r * columns.length + c]!;
      buffer.writeInt32BE(size, offset);
      offset += 4;
      if (size < 0) continue;
      codecs[c]!.write(buffer, offset, columns[c]!.values[r]);
      offset += size;
    }
  }
  buffer.writeInt16BE(-1, offset); // trailer
  return buffer;
}
