// `tsx scripts/bi/superset-screenshot.ts [out.png]`: signs in to a running Superset (SUPERSET_URL, user
// admin / SUPERSET_ADMIN_PASSWORD), opens the Tickstream dashboard and saves a full-page screenshot once
// every chart has rendered. scripts/bi/superset-check.sh --screenshot runs it.
import { chromium } from "@playwright/test";

import { CHROMIUM_ARGS, getChromiumPath } from "@/tests/e2e/chromium";

const out = process.argv[2] ?? "docs/screenshots/superset-dashboard.png";
const baseUrl = (process.env.SUPERSET_URL ?? "http://127.0.0.1:8088").replace(/\/$/, "");
const password = process.env.SUPERSET_ADMIN_PASSWORD ?? "admin";
/** Charts of the bundle: 3 ECharts canvases (price, volume, daily high/low) and 4 tables. */
const EXPECTED_CHARTS = 7;

const browser = await chromium.launch({ executablePath: getChromiumPath(), args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const started = Date.now();
  // The login form is rendered by React after load; retry when a loaded machine drops the first submit.
  for (let attempt = 1; ; attempt++) {
    await page.goto(`${baseUrl}/login/`, { waitUntil: "domcontentloaded" });
    await page.locator("#username").fill("admin");
    await page.locator("#password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    try {
      await page.waitForURL((url) => !url.pathname.startsWith("/login"), {
        timeout: 30_000,
        waitUntil: "commit",
      });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }

  await page.goto(`${baseUrl}/superset/dashboard/tickstream/?standalone=1`, {
    waitUntil: "domcontentloaded",
  });
  await page.waitForFunction(
    (expected) => document.querySelectorAll(".dashboard-chart").length >= expected,
    EXPECTED_CHARTS,
    { timeout: 120_000 },
  );
  // Every chart has drawn: no loading spinner left, a canvas per ECharts chart and a table per table chart.
  await page.waitForFunction(
    () =>
      document.querySelectorAll(".dashboard-chart .loading").length === 0 &&
      document.querySelectorAll(".dashboard-chart canvas").length >= 3 &&
      document.querySelectorAll(".dashboard-chart table").length >= 4,
    undefined,
    { timeout: 120_000 },
  );
  const errors = await page.locator(".dashboard-chart .alert, .dashboard-chart [role=alert]").count();
  if (errors > 0) throw new Error(`${errors} chart(s) show an error on the dashboard`);
  await page.waitForTimeout(1_500); // ECharts animates its first draw
  await page.screenshot({ path: out, fullPage: true });
  console.log(
    `[superset-check] screenshot ${out}: ${EXPECTED_CHARTS} charts rendered in ${Date.now() - started} ms`,
  );
} finally {
  await browser.close();
}
