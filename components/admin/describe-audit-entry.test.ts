import { describe, expect, it } from "vitest";

import {
  AUDIT_DETAILS_UNAVAILABLE,
  describeAuditAction,
  describeAuditChange,
} from "@/components/admin/describe-audit-entry";

const state = (status: string, pollIntervalSeconds = 60, source: string | null = null) => ({
  status,
  statusReason: null,
  pollIntervalSeconds,
  source,
  displayName: null,
});

describe("audit entry wording", () => {
  it("names known actions and passes unknown ones through", () => {
    expect(describeAuditAction("symbol.pause")).toBe("Paused");
    expect(describeAuditAction("symbol.something_new")).toBe("symbol.something_new");
  });

  it("lists only the fields that changed, before → after", () => {
    expect(
      describeAuditChange(
        { action: "symbol.pause", before: state("active"), after: state("paused") },
        "yahoo",
      ),
    ).toBe("status active → paused");
    expect(
      describeAuditChange(
        {
          action: "symbol.update",
          before: state("paused", 60),
          after: state("active", 15),
        },
        "yahoo",
      ),
    ).toBe("status paused → active, poll 60 s → 15 s");
  });

  it("describes an addition by its starting status, and its interval only where the source polls", () => {
    const added = { action: "symbol.add", before: null, after: state("active", 30) };
    expect(describeAuditChange(added, "yahoo")).toBe("status active, poll 30 s");
    expect(describeAuditChange(added, "replay")).toBe("status active");
    const addedFromYahoo = { action: "symbol.add", before: null, after: state("active", 30, "yahoo") };
    expect(describeAuditChange(addedFromYahoo, "replay")).toBe("status active, poll 30 s");
  });

  it("counts what a purge deleted", () => {
    const after = {
      deleted: { factPrices: 812, dailyStats: 2, kpiSnapshots: 120, rawTicks: 0, ingestCursors: 1 },
    };
    expect(describeAuditChange({ action: "symbol.purge", before: state("removed"), after }, "replay")).toBe(
      "deleted 812 bars, 2 days, 120 windows, 0 raw ticks, 1 cursor",
    );
  });

  it("says nothing for entries without a state (sign-in)", () => {
    expect(describeAuditChange({ action: "session.login", before: null, after: null }, "replay")).toBe("");
  });

  it("still renders rows of an older shape, saying their details are unavailable", () => {
    // An early version recorded the poll interval under another name and no status.
    const older = { action: "symbol.poll_interval", before: { poll: 60 }, after: { poll: 30 } };
    expect(describeAuditChange(older, "yahoo")).toBe(AUDIT_DETAILS_UNAVAILABLE);
    const olderAdd = { action: "symbol.add", before: null, after: "AAPL" };
    expect(describeAuditChange(olderAdd, "yahoo")).toBe(AUDIT_DETAILS_UNAVAILABLE);
    // A purge before ingest cursors were counted.
    const olderPurge = {
      action: "symbol.purge",
      before: state("removed"),
      after: { deleted: { factPrices: 812, dailyStats: 2, kpiSnapshots: 120, rawTicks: 0 } },
    };
    expect(describeAuditChange(olderPurge, "replay")).toBe(AUDIT_DETAILS_UNAVAILABLE);
    expect(describeAuditChange({ ...older, action: "symbol.rename" }, "yahoo")).toBe(
      AUDIT_DETAILS_UNAVAILABLE,
    );
  });
});

describe("alert rule audit entries", () => {
  const rule = {
    id: 7,
    version: 1,
    name: "AAPL above 200",
    condition: { type: "price_cross", direction: "up", level: 200 },
    scope: { kind: "symbols", symbols: ["AAPL"] },
    cooldownMinutes: 15,
    status: "enabled",
  };

  it("states a created or deleted rule whole, an edit as the parts that changed", () => {
    expect(describeAuditAction("alert_rule.pause")).toBe("Paused alert rule");
    expect(describeAuditChange({ action: "alert_rule.create", before: null, after: rule }, "replay")).toBe(
      'rule #7 "AAPL above 200": close crosses above 200, AAPL, 15 min',
    );
    expect(describeAuditChange({ action: "alert_rule.delete", before: rule, after: null }, "replay")).toMatch(
      /^rule #7 "AAPL above 200": /,
    );
    const edited = {
      ...rule,
      version: 2,
      condition: { ...rule.condition, level: 210 },
      cooldownMinutes: 0,
    };
    expect(describeAuditChange({ action: "alert_rule.update", before: rule, after: edited }, "replay")).toBe(
      "rule #7: condition close crosses above 200 → close crosses above 210, cooldown 15 min → no cooldown",
    );
    expect(
      describeAuditChange(
        { action: "alert_rule.pause", before: rule, after: { ...rule, status: "paused" } },
        "replay",
      ),
    ).toBe("rule #7: status enabled → paused");
  });

  it("a recorded rule of another shape is unavailable, not a failure", () => {
    expect(
      describeAuditChange({ action: "alert_rule.update", before: { id: 7 }, after: rule }, "replay"),
    ).toBe(AUDIT_DETAILS_UNAVAILABLE);
  });
});
