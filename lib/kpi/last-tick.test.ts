import { describe, expect, it } from "vitest";

import { pickLastTickAt } from "@/lib/kpi/last-tick";

describe("pickLastTickAt", () => {
  it("is null before the symbol has any bar", () => {
    expect(pickLastTickAt(null, null)).toBeNull();
  });

  it("takes the stored bar of a symbol this ingest never published (external)", () => {
    expect(pickLastTickAt(null, 1_000)).toBe(1_000);
  });

  it("takes the published bar while the stream worker has not stored it yet", () => {
    expect(pickLastTickAt(2_000, null)).toBe(2_000);
    expect(pickLastTickAt(2_000, 1_000)).toBe(2_000);
  });

  it("takes the stored bar when it is newer than the last one this ingest published", () => {
    expect(pickLastTickAt(1_000, 3_000)).toBe(3_000);
  });
});
