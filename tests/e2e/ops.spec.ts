import { mkdirSync } from "node:fs";

import type { Page } from "@playwright/test";

import { expect, test } from "./fixtures";

const SHOTS = "test-results/screenshots";

/** The stream worker global setup started (first of its pids). */
function getStreamWorkerPid(app: { state: { workerPids: number[] } }): number {
  const pid = app.state.workerPids[0];
  if (pid === undefined) throw new Error("global setup started no stream worker");
  return pid;
}

async function useTheme(page: Page, theme: "light" | "dark"): Promise<void> {
  await page.getByTestId(`theme-${theme}`).click();
  await expect(page.locator("html")).toHaveClass(theme === "dark" ? /dark/ : /^(?!.*dark)/);
}

test.describe("/ops and /health", () => {
  test("/ops shows the pipeline live: samples and figures change without a reload", async ({ page }) => {
    await page.goto("/ops");
    const root = page.getByTestId("ops-page");
    await expect(root).toBeVisible();
    const first = Number(await root.getAttribute("data-sampled-at"));
    // A new sample arrives over Socket.IO every two seconds.
    await expect
      .poll(async () => Number(await root.getAttribute("data-sampled-at")), { timeout: 10_000 })
      .toBeGreaterThan(first);

    // The replay keeps producing and the stream worker keeps applying: both rates become positive.
    for (const stage of ["produced", "applied", "published"]) {
      await expect
        .poll(
          async () => Number((await page.getByTestId(`ops-rate-${stage}`).getAttribute("data-value")) || 0),
          {
            timeout: 30_000,
          },
        )
        .toBeGreaterThan(0);
    }
    await expect(page.getByTestId("ops-partition-0")).toBeVisible();
    await expect(page.getByTestId("ops-worker-stream").first()).toHaveAttribute("data-stale", "false");
    await expect(page.getByTestId("ops-broker")).toHaveAttribute("data-status", "ok");
    await expect(page.getByTestId("ops-database")).toHaveAttribute("data-status", "ok");
    await expect(page.getByTestId("ops-freshness-SPY")).toBeVisible();
    // Relayed updates give latency figures.
    await expect
      .poll(async () => Number(await page.getByTestId("ops-latency-published").getAttribute("data-count")), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    await expect(page.getByTestId("ops-status")).toHaveAttribute("data-status", "ok", { timeout: 20_000 });

    mkdirSync(SHOTS, { recursive: true });
    for (const theme of ["light", "dark"] as const) {
      await page.goto("/ops");
      await useTheme(page, theme);
      // A few samples, so that the sparklines have a shape.
      const firstSample = Number(await page.getByTestId("ops-page").getAttribute("data-sampled-at"));
      await expect
        .poll(async () => Number(await page.getByTestId("ops-page").getAttribute("data-sampled-at")), {
          timeout: 20_000,
        })
        .toBeGreaterThan(firstSample + 4_000);
      await page.screenshot({ path: `${SHOTS}/ops-${theme}.png`, fullPage: true });
      await page.goto("/health");
      await expect(page.getByTestId("health-overall")).toHaveAttribute("data-status", "ok", {
        timeout: 20_000,
      });
      await page.screenshot({ path: `${SHOTS}/health-${theme}.png`, fullPage: true });
    }
  });

  test("a stopped stream worker turns /health and /ops degraded within 10 s with the reason, and back to ok once it resumes", async ({
    page,
    app,
  }) => {
    await page.goto("/health");
    await expect(page.getByTestId("health-overall")).toHaveAttribute("data-status", "ok", {
      timeout: 30_000,
    });

    // SIGSTOP freezes the worker as a crash would (no beat, no batch, no cleanup), and SIGCONT brings
    // the same process back before its group session expires, so the other specs keep their worker.
    const pid = getStreamWorkerPid(app);
    process.kill(pid, "SIGSTOP");
    try {
      const stoppedAt = Date.now();
      await expect
        .poll(
          async () => {
            const body = (await (await page.request.get("/api/health")).json()) as {
              status: string;
              problems: { check: string }[];
            };
            const checks = new Set(body.problems.map((p) => p.check));
            return body.status === "degraded" && checks.has("partition") && checks.has("worker");
          },
          { timeout: 15_000, intervals: [500] },
        )
        .toBe(true);
      expect(Date.now() - stoppedAt).toBeLessThanOrEqual(10_000);

      const problems = page.getByTestId("health-problems");
      await expect(problems.locator('[data-check="partition"]').first()).toContainText(
        /Partition \d of .* has [\d,]+ unapplied events? and the stream worker's stored offset has not moved/,
        { timeout: 5_000 },
      );
      await expect(problems.locator('[data-check="worker"]')).toContainText(
        "The stream worker is not running",
      );
      await expect(page.getByTestId("health-overall")).toHaveAttribute("data-status", "degraded");
      const response = await page.request.get("/api/health");
      expect(response.status()).toBe(503);
      expect(((await response.json()) as { status: string }).status).toBe("degraded");
      await page.screenshot({ path: `${SHOTS}/health-degraded-light.png`, fullPage: true });

      await page.goto("/ops");
      await expect(page.getByTestId("ops-status")).toHaveAttribute("data-status", "degraded");
      await expect(page.getByTestId("ops-problems")).toContainText("unapplied event");
      await expect(page.locator('[data-stalled="true"]').first()).toBeVisible();
    } finally {
      process.kill(pid, "SIGCONT");
    }

    await page.goto("/health");
    await expect(page.getByTestId("health-overall")).toHaveAttribute("data-status", "ok", {
      timeout: 30_000,
    });
    await expect(page.getByTestId("health-problems")).toHaveCount(0);
  });
});
