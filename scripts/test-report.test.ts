import { describe, expect, it } from "vitest";

import { firstLine, readPlaywrightReport, readVitestReport } from "./test-report";

// Excerpts of real reports (vitest 4's json reporter and Playwright's, on a file with a failing, a
// passing and a skipped test, and a file that fails to import), trimmed to the fields read.
const VITEST = {
  numPassedTests: 1,
  numFailedTests: 1,
  numPendingTests: 1,
  numTodoTests: 0,
  testResults: [
    {
      name: "/work/x/tests/integration/a.test.ts",
      status: "failed",
      message: "",
      assertionResults: [
        {
          ancestorTitles: ["outer"],
          title: "fails",
          status: "failed",
          failureMessages: [
            "AssertionError: expected 1 to be 2 // Object.is equality\n    at /work/x/a.test.ts:2:57",
          ],
        },
        { ancestorTitles: ["outer"], title: "passes", status: "passed", failureMessages: [] },
        { ancestorTitles: ["outer"], title: "skipped", status: "skipped", failureMessages: [] },
      ],
    },
    {
      name: "/work/x/tests/integration/b.test.ts",
      status: "failed",
      message: "Cannot find module './missing-module' imported from /work/x/tests/integration/b.test.ts",
      assertionResults: [],
    },
    { name: "/work/x/tests/integration/c.test.ts", status: "passed", message: "", assertionResults: [] },
  ],
};

const spec = (title: string, line: number, status: string, message?: string) => ({
  title,
  file: "x.spec.ts",
  line,
  tests: [{ status, results: [message ? { status: "failed", error: { message } } : { status: "passed" }] }],
});

const PLAYWRIGHT = {
  stats: { expected: 2, unexpected: 2, skipped: 0, flaky: 1 },
  suites: [
    {
      title: "x.spec.ts",
      file: "x.spec.ts",
      specs: [spec("top level", 7, "expected")],
      suites: [
        {
          title: "group",
          file: "x.spec.ts",
          specs: [
            spec(
              "fails",
              3,
              "unexpected",
              "Error: one is two\n\n\u001b[2mexpect(\u001b[22m\u001b[31mreceived\u001b[39m\u001b[2m).\u001b[22mtoBe",
            ),
            spec("passes", 4, "expected"),
            spec("retried", 6, "flaky", "Error: once"),
          ],
          suites: [
            {
              title: "inner",
              file: "x.spec.ts",
              specs: [spec("fails too", 5, "unexpected", "\n\u001b[31mError: boom\u001b[39m\nsecond line")],
            },
          ],
        },
      ],
    },
  ],
};

describe("npm test's summary of a layer's report", () => {
  it("names each failed vitest test with its describe blocks and first error line, and a file that failed to load", () => {
    const report = readVitestReport(VITEST, "/work/x");
    expect(report.counts).toEqual({ passed: 1, failed: 1, skipped: 1 });
    expect(report.failures).toEqual([
      {
        file: "tests/integration/a.test.ts",
        name: "outer › fails",
        reason: "AssertionError: expected 1 to be 2 // Object.is equality",
      },
      {
        file: "tests/integration/b.test.ts",
        name: "(the file)",
        reason: "Cannot find module './missing-module' imported from /work/x/tests/integration/b.test.ts",
      },
    ]);
  });

  it("names each unexpected Playwright test with its location and describe blocks; a flaky one passed", () => {
    const report = readPlaywrightReport(PLAYWRIGHT);
    expect(report.counts).toEqual({ passed: 3, failed: 2, skipped: 0 });
    expect(report.failures).toEqual([
      { file: "x.spec.ts:3", name: "group › fails", reason: "Error: one is two" },
      { file: "x.spec.ts:5", name: "group › inner › fails too", reason: "Error: boom" },
    ]);
  });

  it("keeps one line of a message, without colours, and bounds its length", () => {
    expect(firstLine(undefined)).toBe("");
    expect(firstLine("  \n\u001b[31mred\u001b[39m text\nmore")).toBe("red text");
    const long = firstLine("x".repeat(500));
    expect(long).toHaveLength(240);
    expect(long.endsWith("…")).toBe(true);
  });
});
