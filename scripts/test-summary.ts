// Prints the closing table of `npm test`: passed/failed/skipped per layer, read from the JSON reports.
import { existsSync, readFileSync } from "node:fs";

type Counts = { passed: number; failed: number; skipped: number };

function vitestCounts(file: string): Counts | null {
  if (!existsSync(file)) return null;
  const r = JSON.parse(readFileSync(file, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
}

function playwrightCounts(file: string): Counts | null {
  if (!existsSync(file)) return null;
  const r = JSON.parse(readFileSync(file, "utf8")) as {
    stats: { expected: number; unexpected: number; skipped: number; flaky: number };
  };
  return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, skipped: r.stats.skipped };
}

/** The fault suite's checks (scripts/faults/suite.ts writes them). */
function faultCounts(file: string): Counts | null {
  if (!existsSync(file)) return null;
  const r = JSON.parse(readFileSync(file, "utf8")) as { passed: number; failed: number };
  return { passed: r.passed, failed: r.failed, skipped: 0 };
}

const reports: Record<string, () => Counts | null> = {
  unit: () => vitestCounts("test-results/unit.json"),
  integration: () => vitestCounts("test-results/integration.json"),
  e2e: () => playwrightCounts("test-results/e2e-results.json"),
  faults: () => faultCounts("test-results/faults.json"),
};

console.log("\n══ summary ══");
let total: Counts = { passed: 0, failed: 0, skipped: 0 };
for (const entry of process.argv.slice(2)) {
  const [name = "", rc = "1", seconds = "0"] = entry.split("|");
  const counts = reports[name]?.();
  if (counts)
    total = {
      passed: total.passed + counts.passed,
      failed: total.failed + counts.failed,
      skipped: total.skipped + counts.skipped,
    };
  const status = rc === "0" ? "ok" : "FAILED";
  const detail = counts
    ? `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`
    : rc === "0"
      ? "done"
      : "did not complete";
  console.log(`${name.padEnd(12)} ${status.padEnd(7)} ${detail} (${seconds}s)`);
}
console.log(
  `${"total".padEnd(12)} ${total.failed === 0 ? "ok" : "FAILED"}      ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`,
);
