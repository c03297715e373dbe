import { describe, expect, it } from "vitest";

import { parseCountFlag } from "./count-flag";

describe("parseCountFlag", () => {
  it("reads a whole number of at least the minimum", () => {
    expect(parseCountFlag("--repeat", "1", 1, "a count")).toBe(1);
    expect(parseCountFlag("--warmup", "0", 0, "a count")).toBe(0);
    expect(parseCountFlag("--repeat", "12", 1, "a count")).toBe(12);
  });

  it("refuses the rest with the flag and what it takes", () => {
    for (const bad of ["", " ", "0", "-1", "1.5", "x", "2x", "1e1", "0x10", " 2"])
      expect(() => parseCountFlag("--repeat", bad, 1, "a count (1 or more)")).toThrow(
        `--repeat takes a count (1 or more), not "${bad}"`,
      );
  });
});
