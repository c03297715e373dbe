import { mkdirSync, readFileSync } from "node:fs";

import type { Page } from "@playwright/test";

import { expect, expectStoredBars, test, type App } from "./fixtures";
import { DashboardPage } from "./pages/dashboard-page";

const MINUTE = 60_000;
/** Two sessions of a New York symbol (14:30 UTC is 09:30 EST): the 5-day range shows both. */
const DAY1 = Date.parse("2026-01-14T14:30:00Z");
const DAY2 = Date.parse("2026-01-15T14:30:00Z");
const BARS_PER_DAY = 30;
/** Bar of day 2 with an aggregated-volume spike, as in the recorded data. */
const SPIKE_INDEX = 12;

type DbBar = {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  ma_5: number | null;
  ma_20: number | null;
  ema_20: number | null;
  vwap: number | null;
};

function uniqueSymbol(): string {
  return `ZC${Math.random().toString(36).slice(2, 7).toUpperCase()}`;
}

/** Two sessions of bars, rising on the first day and falling on the second, one volume spike. */
async function seedSymbol(app: App, symbol: string, base = 100): Promise<void> {
  const day = (start: number, drift: number, dayIndex: number) =>
    Array.from({ length: BARS_PER_DAY }, (_, i) => {
      const open = base + dayIndex * 3 + drift * i + (i % 3) * 0.05;
      const close = open + (i % 2 === 0 ? 0.12 : -0.09);
      return {
        ts: start + i * MINUTE,
        open,
        high: Math.max(open, close) + 0.21,
        low: Math.min(open, close) - 0.17,
        close,
        volume: dayIndex === 1 && i === SPIKE_INDEX ? 3_970_000 : 20_000 + i * 100,
      };
    });
  await app.produceBars(symbol, [...day(DAY1, 0.1, 0), ...day(DAY2, -0.08, 1)]);
  await expectStoredBars(app, symbol, 2 * BARS_PER_DAY);
}

async function listDbBars(app: App, symbol: string): Promise<DbBar[]> {
  return app.query<DbBar>(
    `select (extract(epoch from ts) * 1000)::float8 as ts, open, high, low, close, volume::float8 as volume,
            ma_5, ma_20, ema_20, vwap
       from fact_prices where symbol = $1 order by ts`,
    [symbol],
  );
}

/** As the tooltip writes a price: 2 to 4 decimals, en-US. */
const formatQuote = (v: number) =>
  new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(v);

/** Points the mouse at the `k`-th of `count` shown bars (the plot spans the area minus the y axis). */
async function hoverBar(page: Page, k: number, count: number): Promise<void> {
  const box = (await page.getByTestId("chart-area").boundingBox())!;
  const left = box.x + 72;
  const width = box.width - 80;
  await page.mouse.move(left + ((k + 0.5) / count) * width, box.y + 120);
}

async function openChart(page: Page, symbol: string, query = "range=5d"): Promise<DashboardPage> {
  const dashboard = new DashboardPage(page);
  await page.goto(`/symbol/${symbol}?${query}`);
  await dashboard.root.waitFor();
  await expect(dashboard.chart).toBeVisible({ timeout: 20_000 });
  return dashboard;
}

test.describe("symbol chart", () => {
  test("candles, OHLC bars and line; the tooltip shows the database's bar", async ({ page, app }) => {
    const symbol = uniqueSymbol();
    await seedSymbol(app, symbol);
    const dbBars = await listDbBars(app, symbol);
    const dashboard = await openChart(page, symbol);
    await expect(dashboard.chart).toHaveAttribute("data-points", String(dbBars.length));
    await expect(dashboard.chart).toHaveAttribute("data-mode", "candles");
    await expect(page.getByTestId("candles")).toHaveAttribute("data-mode", "candles");

    const tooltip = page.getByTestId("chart-tooltip");
    for (const k of [3, BARS_PER_DAY + 7]) {
      await hoverBar(page, k, dbBars.length);
      await expect(tooltip).toBeVisible();
      const ts = Number(await tooltip.getAttribute("data-ts"));
      const bar = dbBars.find((b) => b.ts === ts);
      expect(bar, `a stored bar at ${ts}`).toBeDefined();
      await expect(tooltip.getByTestId("tooltip-open")).toHaveText(formatQuote(bar!.open));
      await expect(tooltip.getByTestId("tooltip-high")).toHaveText(formatQuote(bar!.high));
      await expect(tooltip.getByTestId("tooltip-low")).toHaveText(formatQuote(bar!.low));
      await expect(tooltip.getByTestId("tooltip-close")).toHaveText(formatQuote(bar!.close));
      await expect(tooltip.getByTestId("tooltip-volume")).toHaveText(bar!.volume.toLocaleString("en-US"));
      await expect(tooltip.getByTestId("tooltip-ma20")).toHaveText(
        bar!.ma_20 === null ? "—" : formatQuote(bar!.ma_20),
      );
    }

    await page.getByTestId("mode-ohlc").click();
    await expect(page.getByTestId("candles")).toHaveAttribute("data-mode", "ohlc");
    await expect(page).toHaveURL(/mode=ohlc/);
    await page.getByTestId("mode-line").click();
    await expect(page.getByTestId("candles")).toHaveCount(0);
    await expect(dashboard.chart.locator(".recharts-line-curve").first()).toBeVisible();
    await expect(page).toHaveURL(/mode=line/);
  });

  test("overlays are toggled and their values are in the tooltip", async ({ page, app }) => {
    const symbol = uniqueSymbol();
    await seedSymbol(app, symbol);
    const dbBars = await listDbBars(app, symbol);
    const dashboard = await openChart(page, symbol, "range=5d&overlays=");
    await expect(dashboard.chart.locator(".overlay-ma5")).toHaveCount(0);
    for (const overlay of ["ma5", "ema20", "vwap"]) {
      await page.getByTestId(`overlay-${overlay}`).click();
      await expect(page.getByTestId(`overlay-${overlay}`)).toHaveAttribute("aria-pressed", "true");
      await expect(dashboard.chart.locator(`.overlay-${overlay}`)).toHaveCount(1);
    }
    await expect(page).toHaveURL(/overlays=ma5%2Cema20%2Cvwap/);
    const k = BARS_PER_DAY + 25;
    await hoverBar(page, k, dbBars.length);
    const tooltip = page.getByTestId("chart-tooltip");
    const ts = Number(await tooltip.getAttribute("data-ts"));
    const shown = dbBars.find((b) => b.ts === ts)!;
    await expect(tooltip.getByTestId("tooltip-ma5")).toHaveText(formatQuote(shown.ma_5!));
    await expect(tooltip.getByTestId("tooltip-ema20")).toHaveText(formatQuote(shown.ema_20!));
    await expect(tooltip.getByTestId("tooltip-vwap")).toHaveText(formatQuote(shown.vwap!));

    await page.getByTestId("overlay-ema20").click();
    await expect(page.getByTestId("overlay-ema20")).toHaveAttribute("aria-pressed", "false");
    await expect(dashboard.chart.locator(".overlay-ema20")).toHaveCount(0);
    await hoverBar(page, k, dbBars.length);
    await expect(tooltip.getByTestId("tooltip-ema20")).toHaveCount(0);
  });

  test("the 5-day range marks the session break; the volume spike is clipped and its volume told", async ({
    page,
    app,
  }) => {
    const symbol = uniqueSymbol();
    await seedSymbol(app, symbol);
    const dashboard = await openChart(page, symbol);
    await expect(dashboard.chart).toHaveAttribute("data-breaks", "1");
    const marker = dashboard.chart.locator(".session-break");
    await expect(marker).toHaveCount(1);
    await expect(dashboard.chart.getByText("01-15")).toBeVisible();
    // No room for the night: the break sits right after the first session's 30 bars.
    await expect(dashboard.chart).toHaveAttribute("data-points", String(2 * BARS_PER_DAY));

    const volume = page.getByTestId("volume-bars");
    await expect(volume).toHaveAttribute("data-clipped", "1");
    const top = Number(await page.getByTestId("volume-chart").getAttribute("data-top"));
    expect(top).toBeLessThan(100_000);
    await hoverBar(page, BARS_PER_DAY + SPIKE_INDEX, 2 * BARS_PER_DAY);
    await expect(page.getByTestId("tooltip-volume")).toHaveText("3,970,000 (above the axis)");
  });

  test("zoom with the buttons, the brush and the keyboard; pan; reset", async ({ page, app }) => {
    const symbol = uniqueSymbol();
    await seedSymbol(app, symbol);
    const dashboard = await openChart(page, symbol);
    const span = async () =>
      Number(await dashboard.chart.getAttribute("data-view-end")) -
      Number(await dashboard.chart.getAttribute("data-view-start")) +
      1;
    expect(await span()).toBe(60);
    await page.getByTestId("zoom-in").click();
    await expect.poll(span).toBe(30);
    await page.getByTestId("pan-left").click();
    await expect(dashboard.chart).not.toHaveAttribute("data-view-end", "59");
    await page.getByTestId("zoom-reset").click();
    await expect.poll(span).toBe(60);

    // The navigator's left handle dragged a third of the way in: the charts show the rest.
    const handle = page.getByTestId("navigator-start");
    const box = (await handle.boundingBox())!;
    const navigator = (await page.getByTestId("range-navigator").boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + navigator.width / 3, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect
      .poll(async () => Number(await dashboard.chart.getAttribute("data-view-start")))
      .toBeGreaterThan(10);
    await expect(dashboard.chart).toHaveAttribute("data-view-end", "59");

    await page.getByTestId("zoom-reset").click();
    await page.getByTestId("chart-area").focus();
    await page.keyboard.press("+");
    await expect.poll(span).toBe(30);
    await page.keyboard.press("ArrowRight");
    await expect(page.getByTestId("chart-tooltip")).toBeVisible();
  });

  test("a custom range of trading dates replaces the preset; the API names a bad bound", async ({
    page,
    app,
    request,
  }) => {
    const symbol = uniqueSymbol();
    await seedSymbol(app, symbol);
    const dashboard = await openChart(page, symbol);
    await page.getByTestId("custom-range-from").fill("2026-01-15");
    await page.getByTestId("custom-range-to").fill("2026-01-15");
    await page.getByTestId("custom-range-apply").click();
    await expect(page).toHaveURL(/from=2026-01-15&to=2026-01-15/);
    await expect(dashboard.chart).toHaveAttribute("data-bars", String(BARS_PER_DAY), { timeout: 20_000 });
    await expect(dashboard.chart).toHaveAttribute("data-breaks", "0");

    const bad = await request.get(`/api/prices?symbol=${symbol}&from=2026-01-15`);
    expect(bad.status()).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^to: /);
    const reversed = await request.get(`/api/prices?symbol=${symbol}&from=2026-01-15&to=2026-01-14`);
    expect(reversed.status()).toBe(400);
  });

  test("compares two symbols as % change from the range's start; chips remove them", async ({
    page,
    app,
  }) => {
    const [symbol, other, third] = [uniqueSymbol(), uniqueSymbol(), uniqueSymbol()];
    await seedSymbol(app, symbol);
    await seedSymbol(app, other, 50);
    await seedSymbol(app, third, 20);
    const dbOther = await listDbBars(app, other);
    const dashboard = await openChart(page, symbol);
    // A symbol nobody follows: said, not only a greyed-out Add.
    await page.getByTestId("compare-input").fill("ZZZQX");
    await expect(page.getByTestId("compare-none")).toHaveText("No other followed symbol matches ZZZQX");
    await expect(page.getByTestId("compare-add")).toBeDisabled();
    for (const s of [other, third]) {
      await page.getByTestId("compare-input").fill(s);
      await expect(page.getByTestId("compare-add")).toBeEnabled();
      await page.getByTestId("compare-input").press("Enter");
      await expect(page.locator(`[data-testid="compare-chip"][data-symbol="${s}"]`)).toBeVisible();
      await expect(page.getByTestId("compare-none")).toHaveCount(0);
    }
    await expect(dashboard.chart).toHaveAttribute("data-compare", `${other},${third}`);
    await expect(page).toHaveURL(new RegExp(`compare=${other}%2C${third}`));
    await expect(dashboard.chart.locator(`.compare-${other}`)).toHaveCount(1);

    await hoverBar(page, 40, 60);
    const tooltip = page.getByTestId("chart-tooltip");
    const ts = Number(await tooltip.getAttribute("data-ts"));
    const at = dbOther.find((b) => b.ts === ts)!;
    const expected = ((at.close - dbOther[0]!.close) / dbOther[0]!.close) * 100;
    await expect(tooltip.getByTestId(`tooltip-compare-${other}`)).toHaveText(
      `${expected > 0 ? "+" : ""}${expected.toFixed(2)}%`,
    );

    await page.getByTestId(`compare-remove-${other}`).click();
    await expect(dashboard.chart).toHaveAttribute("data-compare", third);
    await expect(dashboard.chart.locator(`.compare-${other}`)).toHaveCount(0);
  });

  test("exports the shown bars with their indicators as CSV", async ({ page, app }) => {
    const symbol = uniqueSymbol();
    await seedSymbol(app, symbol);
    const dbBars = await listDbBars(app, symbol);
    await openChart(page, symbol, "range=5d&overlays=ma5,vwap");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("export-csv").click(),
    ]);
    expect(download.suggestedFilename()).toBe(`tickstream-${symbol}-5d.csv`);
    const lines = readFileSync(await download.path(), "utf8")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toBe("time_utc,symbol,trade_date,open,high,low,close,volume,MA 5,VWAP");
    expect(lines).toHaveLength(dbBars.length + 1);
    const last = dbBars[dbBars.length - 1]!;
    expect(lines[lines.length - 1]).toBe(
      [
        new Date(last.ts).toISOString(),
        symbol,
        "2026-01-15",
        last.open,
        last.high,
        last.low,
        last.close,
        last.volume,
        last.ma_5,
        last.vwap,
      ].join(","),
    );
  });

  test("the view lives in the URL (back and forward step through it) and the browser keeps the last one", async ({
    page,
    app,
  }) => {
    const symbol = uniqueSymbol();
    await seedSymbol(app, symbol);
    const dashboard = await openChart(page, symbol);
    await page.getByTestId("mode-ohlc").click();
    await page.getByTestId("overlay-vwap").click();
    await expect(page).toHaveURL(/mode=ohlc&overlays=ma20%2Cvwap/);
    await page.goBack();
    await expect(dashboard.chart).toHaveAttribute("data-overlays", "ma20");
    await expect(dashboard.chart).toHaveAttribute("data-mode", "ohlc");
    await page.goForward();
    await expect(dashboard.chart).toHaveAttribute("data-overlays", "ma20,vwap");

    await page.reload();
    await expect(dashboard.chart).toHaveAttribute("data-mode", "ohlc", { timeout: 20_000 });
    await expect(dashboard.chart).toHaveAttribute("data-overlays", "ma20,vwap");

    // A bare link: the last view used in this browser, written into the URL to be shared.
    await page.goto(`/symbol/${symbol}`);
    await expect(dashboard.chart).toHaveAttribute("data-mode", "ohlc", { timeout: 20_000 });
    await expect(page).toHaveURL(/mode=ohlc/);
    // A shared link wins over the stored view.
    await page.goto(`/symbol/${symbol}?mode=line&overlays=ema20`);
    await expect(dashboard.chart).toHaveAttribute("data-mode", "line", { timeout: 20_000 });
    await expect(dashboard.chart).toHaveAttribute("data-overlays", "ema20");
  });

  test("a link from before the symbol page opens it with its range", async ({ page, app }) => {
    const symbol = uniqueSymbol();
    await seedSymbol(app, symbol);
    await page.goto(`/?symbol=${symbol}&range=5d`);
    await expect(page).toHaveURL(new RegExp(`/symbol/${symbol}\\?range=5d`));
    await expect(new DashboardPage(page).root).toHaveAttribute("data-range", "5d");
  });

  test("a link without a range opens with the last range used in this browser; one with a range wins", async ({
    page,
    app,
  }) => {
    const symbol = uniqueSymbol();
    await seedSymbol(app, symbol);
    const dashboard = new DashboardPage(page);
    // The page stores the range it shows once it has hydrated: wait for that before leaving it.
    const stored = () => page.evaluate(() => window.localStorage.getItem("tickstream-chart-range"));
    await dashboard.open(symbol, "5d");
    await expect.poll(stored).toBe(JSON.stringify({ range: "5d" }));
    await dashboard.open(symbol);
    await expect(page).toHaveURL(/[?&]range=5d/);
    await expect(dashboard.root).toHaveAttribute("data-range", "5d");
    await dashboard.open(symbol, "1h");
    await expect(dashboard.root).toHaveAttribute("data-range", "1h");
    await expect.poll(stored).toBe(JSON.stringify({ range: "1h" }));
    await page.goto(`/symbol/${symbol}?from=2026-01-15&to=2026-01-15`);
    await expect.poll(stored).toBe(JSON.stringify({ custom: { from: "2026-01-15", to: "2026-01-15" } }));
    await dashboard.open(symbol);
    await expect(page).toHaveURL(/from=2026-01-15&to=2026-01-15/);
    await expect(dashboard.root).toHaveAttribute("data-range", "2026-01-15..2026-01-15");
  });

  test("renders in light and dark themes with the crosshair and a comparison (screenshots)", async ({
    page,
    app,
  }) => {
    const [symbol, other] = [uniqueSymbol(), uniqueSymbol()];
    await seedSymbol(app, symbol);
    await seedSymbol(app, other, 50);
    mkdirSync("test-results/screenshots", { recursive: true });
    for (const theme of ["light", "dark"] as const) {
      await page.goto("/health");
      await page.getByTestId(`theme-${theme}`).click();
      await openChart(page, symbol, "range=5d&mode=candles&overlays=ma5,ma20,vwap");
      await expect(page.locator("html")).toHaveClass(theme === "dark" ? /dark/ : /^(?!.*dark)/);
      await expect(page.getByTestId("candles")).toBeVisible();
      await hoverBar(page, 40, 60);
      await expect(page.getByTestId("chart-tooltip")).toBeVisible();
      await page.screenshot({ path: `test-results/screenshots/chart-${theme}.png`, fullPage: true });
      await openChart(page, symbol, `range=5d&mode=line&overlays=&compare=${other}`);
      await expect(page.getByTestId("price-chart").locator(`.compare-${other}`)).toHaveCount(1);
      await page.screenshot({ path: `test-results/screenshots/chart-compare-${theme}.png`, fullPage: true });
    }
  });
});
