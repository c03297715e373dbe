import { describe, expect, it } from "vitest";

import {
  boundDeadLetterValue,
  MAX_DEAD_LETTER_VALUE_BYTES,
  readDeadLetterReasonClass,
} from "@/lib/events/dead-letter";
import { DLQ_HEADERS } from "@/lib/events/topics";
import { MAX_TICK_BYTES } from "@/lib/events/tick-v1";

describe("dead-letter value bound", () => {
  it("keeps a value of exactly the limit whole, byte for byte (invalid UTF-8 included)", () => {
    const value = Buffer.alloc(MAX_DEAD_LETTER_VALUE_BYTES, 0xff);
    const bounded = boundDeadLetterValue(value);
    expect(bounded.valueBytes).toBe(MAX_DEAD_LETTER_VALUE_BYTES);
    expect(bounded.value?.equals(value)).toBe(true);
  });

  it("cuts a value one byte over the limit to its prefix and reports the full size", () => {
    const value = Buffer.concat([
      Buffer.from('{"v":1,"pad":"'),
      Buffer.alloc(MAX_DEAD_LETTER_VALUE_BYTES, 0x78),
    ]);
    const bounded = boundDeadLetterValue(value);
    expect(bounded.valueBytes).toBe(value.length);
    expect(bounded.value).toHaveLength(MAX_DEAD_LETTER_VALUE_BYTES);
    expect(bounded.value?.equals(value.subarray(0, MAX_DEAD_LETTER_VALUE_BYTES))).toBe(true);
  });

  it("keeps a null value null (size 0) and an empty one empty", () => {
    expect(boundDeadLetterValue(null)).toEqual({ value: null, valueBytes: 0 });
    expect(boundDeadLetterValue(Buffer.alloc(0))).toEqual({ value: Buffer.alloc(0), valueBytes: 0 });
  });

  it("never cuts what the tick limit lets through unparsed (every class but too_large)", () => {
    expect(MAX_DEAD_LETTER_VALUE_BYTES).toBeGreaterThanOrEqual(MAX_TICK_BYTES);
  });
});

describe("reason class header", () => {
  it("reads a known class and calls a missing or unknown one other", () => {
    expect(readDeadLetterReasonClass({ [DLQ_HEADERS.reasonClass]: "too_large" })).toBe("too_large");
    expect(readDeadLetterReasonClass({ [DLQ_HEADERS.reasonClass]: "from_the_future" })).toBe("other");
    expect(readDeadLetterReasonClass({})).toBe("other");
  });
});
