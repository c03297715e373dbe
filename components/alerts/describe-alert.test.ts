import { describe, expect, it } from "vitest";

import { describeAlertValues } from "@/components/alerts/describe-alert";

describe("describeAlertValues", () => {
  it("shows volumes as the dashboard does and other figures grouped, in the labels' order", () => {
    expect(describeAlertValues({ factor: 3, meanVolume: 299_175.75, volume: 5_207_000 })).toBe(
      "volume 5.21M · mean volume 299.18K · factor 3",
    );
    expect(describeAlertValues({ level: 1_000_000, close: 1_000_123.456789 })).toBe(
      "close 1,000,123.4568 · level 1,000,000",
    );
  });

  it("leaves out times and shows a missing value as a dash", () => {
    expect(describeAlertValues({ lastBarTs: 1_700_000_000_000, minutes: 5, ma20: null })).toBe(
      "MA 20 — · minutes 5",
    );
  });
});
