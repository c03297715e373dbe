import { describe, expect, it } from "vitest";

import { createYahooCircuit } from "@/lib/ingest/yahoo/circuit";
import { classifyYahooError } from "@/lib/ingest/yahoo/errors";

const options = {
  failureThreshold: 3,
  baseBackoffMs: 1_000,
  maxBackoffMs: 8_000,
  openMs: 60_000,
  maxOpenMs: 240_000,
};

describe("createYahooCircuit", () => {
  it("pauses after each failure and opens after `failureThreshold` in a row", () => {
    const circuit = createYahooCircuit({ ...options, random: () => 0 });
    expect(circuit.tryAcquire(0)).toBe(true);
    expect(circuit.recordFailure(0, "rate_limited")).toBe(false);
    expect(circuit.tryAcquire(499)).toBe(false);
    expect(circuit.tryAcquire(500)).toBe(true);
    circuit.recordFailure(500, "rate_limited");
    expect(circuit.tryAcquire(1_500)).toBe(true);
    expect(circuit.recordFailure(1_500, "rate_limited")).toBe(true);
    expect(circuit.state).toBe("open");
    expect(circuit.getWaitMs(1_500)).toBe(30_000);
  });

  it("lets exactly one probe through when half-open; its failure reopens for longer, its success closes", () => {
    const circuit = createYahooCircuit({ ...options, failureThreshold: 1, random: () => 0 });
    circuit.tryAcquire(0);
    circuit.recordFailure(0, "server_error");
    expect(circuit.tryAcquire(30_000)).toBe(true);
    expect(circuit.state).toBe("half-open");
    expect(circuit.tryAcquire(30_000)).toBe(false);
    expect(circuit.recordFailure(30_000, "server_error")).toBe(false);
    expect(circuit.getWaitMs(30_000)).toBe(60_000);
    expect(circuit.tryAcquire(90_000)).toBe(true);
    expect(circuit.recordSuccess()).toBe(true);
    expect(circuit.snapshot()).toMatchObject({ state: "closed", consecutiveFailures: 0, retryAt: null });
  });

  it("does not stretch the open period for requests that were already in flight", () => {
    const circuit = createYahooCircuit({ ...options, failureThreshold: 1, random: () => 0 });
    circuit.tryAcquire(0);
    circuit.tryAcquire(0);
    circuit.recordFailure(0, "timeout");
    circuit.recordFailure(10, "timeout");
    expect(circuit.getWaitMs(0)).toBe(30_000);
  });
});

describe("classifyYahooError", () => {
  it("sorts yahoo-finance2's errors into kinds", () => {
    const http = (code: number) => Object.assign(new Error("x"), { name: "HTTPError", code });
    expect(classifyYahooError(http(429))).toBe("rate_limited");
    expect(classifyYahooError(http(503))).toBe("server_error");
    expect(classifyYahooError(http(404))).toBe("not_found");
    expect(classifyYahooError(new Error("No data found, symbol may be delisted"))).toBe("not_found");
    expect(
      classifyYahooError(
        Object.assign(new Error("Failed Yahoo Schema validation"), { name: "FailedYahooValidationError" }),
      ),
    ).toBe("validation");
    expect(classifyYahooError(new DOMException("signal timed out", "TimeoutError"))).toBe("timeout");
    expect(
      classifyYahooError(
        new TypeError("fetch failed", { cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }) }),
      ),
    ).toBe("network");
    expect(classifyYahooError("?")).toBe("other");
  });
});
