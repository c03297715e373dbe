import { describe, expect, it } from "vitest";

import { symbolStatusSchema } from "@/lib/events/symbol";
import { decideSymbolAdmission, describeSymbolLimit } from "@/lib/events/symbol-policy";

describe("decideSymbolAdmission", () => {
  it("rejects an unregistered symbol by default, naming it and both ways to accept it", () => {
    const decision = decideSymbolAdmission("ZZZ1", null, "reject");
    expect(decision).toMatchObject({ kind: "rejected", reasonClass: "unknown_symbol" });
    if (decision.kind !== "rejected") throw new Error("rejected expected");
    expect(decision.reason).toContain("ZZZ1");
    expect(decision.reason).toContain("/admin");
    expect(decision.reason).toContain("UNKNOWN_SYMBOLS=register");
  });

  it("registers an unregistered symbol in register mode", () => {
    expect(decideSymbolAdmission("ZZZ1", null, "register")).toEqual({ kind: "register" });
  });

  it("accepts active, paused and invalid symbols in either mode (bars on their way still land)", () => {
    for (const mode of ["reject", "register"] as const)
      for (const status of ["active", "paused", "invalid"] as const)
        expect(decideSymbolAdmission("AAPL", status, mode)).toEqual({ kind: "accepted" });
  });

  it("rejects a removed symbol even in register mode: removing is how an admin stops its bars", () => {
    for (const mode of ["reject", "register"] as const) {
      const decision = decideSymbolAdmission("AAPL", "removed", mode);
      expect(decision).toMatchObject({ kind: "rejected", reasonClass: "unknown_symbol" });
      if (decision.kind === "rejected") expect(decision.reason).toMatch(/AAPL was removed/);
    }
  });

  it("decides every status there is", () => {
    for (const status of symbolStatusSchema.options)
      expect(["accepted", "rejected"]).toContain(decideSymbolAdmission("X", status, "register").kind);
  });
});

describe("describeSymbolLimit", () => {
  it("names the symbol, the limit and its setting", () => {
    const rejection = describeSymbolLimit("NEW1", 1000);
    expect(rejection.reasonClass).toBe("symbol_limit");
    expect(rejection.reason).toContain("NEW1");
    expect(rejection.reason).toContain("MAX_REGISTERED_SYMBOLS=1000");
  });
});
