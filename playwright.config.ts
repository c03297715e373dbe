import { defineConfig } from "@playwright/test";

import { CHROMIUM_ARGS, getChromiumPath } from "./tests/e2e/chromium";

// Browser tests drive Debian's Chromium (Playwright cannot download its own here) against the built
// product: tests/e2e/global-setup.ts starts PostgreSQL/Kafka (or reuses them), a fresh database, unique
// topics and both workers; the `app` fixture runs server.ts (dist/server.js) on a free port.
export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e-results.json" }]],
  globalSetup: "./tests/e2e/global-setup.ts",
  globalTeardown: "./tests/e2e/global-teardown.ts",
  use: {
    browserName: "chromium",
    launchOptions: { executablePath: getChromiumPath(), args: CHROMIUM_ARGS },
    viewport: { width: 1366, height: 900 },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
});
