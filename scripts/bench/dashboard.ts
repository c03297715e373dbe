import { chromium } from "@playwright/test";

import { CHROMIUM_ARGS, getChromiumPath } from "@/tests/e2e/chromium";

const BASE = process.env.BENCH_URL ?? "http://localhost:3000";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : Number.NaN;
}

/**
 * Dashboard figures against a running product: time until a full session (price + MA 5 + MA 20) is
 * drawn, receipt-to-render delay of live updates, and long tasks (jank) while following updates.
 */
export async function benchDashboard(): Promise<void> {
  try {
    await fetch(`${BASE}/api/health`);
  } catch {
    console.log(`\ndashboard benchmark skipped: nothing answers at ${BASE} (start the product with npm start, or set BENCH_URL)`);
    return;
  }
  const symbols = ((await (await fetch(`${BASE}/api/symbols`)).json()) as { symbols: { symbol: string }[] }).symbols.map((s) => s.symbol);
  const browser = await chromium.launch({ executablePath: getChromiumPath(), args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const renders: number[] = [];
  let points = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = Date.now();
    await page.goto(`${BASE}/?symbol=${symbols[0]}&range=session`);
    await page.locator('[data-testid="price-chart"] .recharts-line path').first().waitFor();
    renders.push(Date.now() - t0);
    points = Number(await page.getByTestId("price-chart").getAttribute("data-points"));
  }
  // Follow live updates for 20 s, counting main-thread tasks longer than 50 ms.
  await page.evaluate(() => {
    (window as unknown as { __longTasks: number[] }).__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) (window as unknown as { __longTasks: number[] }).__longTasks.push(e.duration);
    }).observe({ type: "longtask", buffered: false });
    window.__tickstreamLatencies = [];
  });
  await page.waitForTimeout(20_000);
  const { latencies, longTasks } = await page.evaluate(() => ({
    latencies: window.__tickstreamLatencies ?? [],
    longTasks: (window as unknown as { __longTasks: number[] }).__longTasks,
  }));
  await browser.close();
  console.log(`\ndashboard benchmark (${BASE}, ${symbols[0]}, today's session: ${points} points × 3 series)`);
  console.log(`  first render (navigation → chart drawn): median ${median(renders)} ms, runs ${renders.join(", ")} ms  [target < 1500 ms]`);
  console.log(`  live updates applied in 20 s: ${latencies.length}; receipt → next frame: median ${median(latencies).toFixed(1)} ms, max ${Math.max(0, ...latencies).toFixed(1)} ms  [target < 100 ms]`);
  console.log(`  long tasks (> 50 ms) while live: ${longTasks.length}${longTasks.length ? ` (max ${Math.max(...longTasks).toFixed(0)} ms)` : ""}`);
}
