// Prints the closing lines of `npm test`: the tests that failed, named, then passed/failed/skipped per
// layer, read from the JSON reports (scripts/test-report.ts).
import { existsSync, readFileSync } from "node:fs";

import { readPlaywrightReport, readVitestReport, type Counts, type LayerReport } from "./test-report";

const ROOT = process.cwd();

function readJson<T>(file: string): T | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : null;
}

/** The fault suite's checks (scripts/faults/suite.ts writes them; its table names a failed one). */
function faultReport(file: string): LayerReport | null {
  const r = readJson<{ passed: number; failed: number }>(file);
  return r && { counts: { passed: r.passed, failed: r.failed, skipped: 0 }, failures: [] };
}

const reports: Record<string, () => LayerReport | null> = {
  unit: () => {
    const r = readJson<Parameters<typeof readVitestReport>[0]>("test-results/unit.json");
    return r && readVitestReport(r, ROOT);
  },
  integration: () => {
    const r = readJson<Parameters<typeof readVitestReport>[0]>("test-results/integration.json");
    return r && readVitestReport(r, ROOT);
  },
  e2e: () => {
    const r = readJson<Parameters<typeof readPlaywrightReport>[0]>("test-results/e2e-results.json");
    return r && readPlaywrightReport(r);
  },
  faults: () => faultReport("test-results/faults.json"),
};

const layers = process.argv.slice(2).map((entry) => {
  const [name = "", rc = "1", seconds = "0"] = entry.split("|");
  return { name, rc, seconds, report: reports[name]?.() ?? null };
});

const failures = layers.flatMap(({ name, rc, report }) => {
  const named = (report?.failures ?? []).map((f) => ({ layer: name, ...f }));
  // vitest fails a run on an error outside any test (an unhandled rejection) without counting a test.
  if (rc !== "0" && report && named.length === 0)
    named.push({
      layer: name,
      file: "(outside any test)",
      name: `exit status ${rc} with no failed test`,
      reason: "an error outside the tests, such as an unhandled rejection: see the layer's output above",
    });
  return named;
});
if (failures.length > 0) {
  console.log("\n══ failed tests ══");
  for (const f of failures.slice(0, 30)) console.log(`${f.layer}: ${f.file} › ${f.name}\n    ${f.reason}`);
  if (failures.length > 30) console.log(`… and ${failures.length - 30} more (see each layer's output above)`);
}

console.log("\n══ summary ══");
let total: Counts = { passed: 0, failed: 0, skipped: 0 };
for (const { name, rc, seconds, report } of layers) {
  const counts = report?.counts;
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
  `${"total".padEnd(12)} ${total.failed === 0 && layers.every((l) => l.rc === "0") ? "ok" : "FAILED"}      ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`,
);
