// What `npm test`'s closing summary reads from each layer's JSON report: the counts, and which tests
// failed with the first line of why. CI shows only the tail of a run's output, so a failure must be
// named there, not only where the layer printed it minutes before.

export type Counts = { passed: number; failed: number; skipped: number };

/** One failed test: where it is, its full name, and the first line of its first error. */
export type Failure = { file: string; name: string; reason: string };

export type LayerReport = { counts: Counts; failures: Failure[] };

type VitestReport = {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults?: {
    name: string;
    status?: string;
    message?: string;
    assertionResults?: {
      ancestorTitles?: string[];
      title: string;
      status: string;
      failureMessages?: string[];
    }[];
  }[];
};

type PlaywrightSuite = {
  title?: string;
  file?: string;
  specs?: {
    title: string;
    file?: string;
    line?: number;
    tests?: { status?: string; results?: { status?: string; error?: { message?: string } }[] }[];
  }[];
  suites?: PlaywrightSuite[];
};

type PlaywrightReport = {
  stats: { expected: number; unexpected: number; skipped: number; flaky: number };
  suites?: PlaywrightSuite[];
};

/** The first non-empty line of an error message, without terminal colours, at most 240 characters. */
export function firstLine(message: string | undefined): string {
  const plain = (message ?? "").replace(/\u001b\[[0-9;]*m/g, "");
  const line = plain.split("\n").find((l) => l.trim() !== "") ?? "";
  const trimmed = line.trim();
  return trimmed.length > 240 ? `${trimmed.slice(0, 239)}…` : trimmed;
}

/** Path relative to the checkout when it lies inside it. */
function relative(file: string, root: string): string {
  return file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file;
}

export function readVitestReport(report: VitestReport, root: string): LayerReport {
  const failures: Failure[] = [];
  for (const file of report.testResults ?? []) {
    const failed = (file.assertionResults ?? []).filter((a) => a.status === "failed");
    for (const a of failed)
      failures.push({
        file: relative(file.name, root),
        name: [...(a.ancestorTitles ?? []), a.title].join(" › "),
        reason: firstLine(a.failureMessages?.[0]),
      });
    // A file that fails outside its tests (an import error, a hook) has no failed assertion to name.
    if (failed.length === 0 && file.status === "failed")
      failures.push({ file: relative(file.name, root), name: "(the file)", reason: firstLine(file.message) });
  }
  return {
    counts: {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      skipped: report.numPendingTests + report.numTodoTests,
    },
    failures,
  };
}

export function readPlaywrightReport(report: PlaywrightReport): LayerReport {
  const failures: Failure[] = [];
  // The top-level suites are the spec files; the ones below them are `describe` blocks.
  const walk = (suite: PlaywrightSuite, titles: string[]) => {
    for (const spec of suite.specs ?? [])
      for (const test of spec.tests ?? []) {
        if (test.status !== "unexpected") continue;
        const error = test.results?.find((r) => r.error)?.error;
        failures.push({
          file: `${spec.file ?? suite.file ?? ""}${spec.line ? `:${spec.line}` : ""}`,
          name: [...titles, spec.title].join(" › "),
          reason: firstLine(error?.message),
        });
      }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title ?? ""]);
  };
  for (const file of report.suites ?? []) walk(file, []);
  const { expected, unexpected, skipped, flaky } = report.stats;
  return { counts: { passed: expected + flaky, failed: unexpected, skipped }, failures };
}
