import { mkdirSync, readFileSync } from "node:fs";

import { watchlistResponseSchema } from "@/lib/events/api-market";
import { formatPercent, formatPrice } from "@/lib/kpi/format";
import { computeTradingDate } from "@/lib/kpi/trading-day";

import { expect, expectStoredBars, test, type App } from "./fixtures";
import { WatchlistPage } from "./pages/watchlist-page";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** The exchange zone of the symbols seeded here (the `symbols` default). */
const ZONE = "America/New_York";

function bar(ts: number, close: number, volume = 1_000) {
  return { ts, open: close - 0.1, high: close + 0.2, low: close - 0.3, close, volume };
}

/**
 * Symbols of their own per test, sharing a prefix that no other spec's symbols start with. The search
 * matches anywhere in a symbol (another spec's random `ZCXWLAB` matches "WL"), so a test that searches
 * for its own symbols passes a prefix of its own, itself made here.
 */
function uniqueSymbol(prefix = "WL"): string {
  return `${prefix}${Math.random().toString(36).slice(2, 7).toUpperCase()}`;
}

type DayRow = { close: number; change_pct: number | null; volume: number; high: number; low: number };

/** The newest daily_stats row of a symbol, as the watchlist must show it. */
async function readNewestDay(app: App, symbol: string): Promise<DayRow | undefined> {
  const [row] = await app.query<DayRow>(
    "select close, change_pct, volume::float8 as volume, high, low from daily_stats where symbol = $1 order by trade_date desc limit 1",
    [symbol],
  );
  return row;
}

/**
 * A symbol with a close on an earlier day (so its newest day has a change against it) and
 * `closes.length` bars ending two minutes ago, at `lastTs`; resolves once the stream worker stored them
 * all but the last `heldBack`, which it returns (`held`) for the test to produce. Those bars and the
 * minute after them (a test's live bar) share one trading day in New York: just after midnight there
 * they move back into the day before, whose row the watchlist then shows.
 */
async function seedSymbol(
  app: App,
  closes: number[],
  prefix?: string,
  heldBack = 0,
): Promise<{ symbol: string; lastTs: number; held: ReturnType<typeof bar>[] }> {
  const symbol = uniqueSymbol(prefix);
  let end = Math.floor(Date.now() / MINUTE) * MINUTE - 2 * MINUTE;
  const firstOf = (last: number) => last - (closes.length - 1) * MINUTE;
  while (computeTradingDate(firstOf(end), ZONE) !== computeTradingDate(end + MINUTE, ZONE)) end -= MINUTE;
  const start = firstOf(end);
  const bars = closes.map((c, i) => bar(start + i * MINUTE, c, 1_000 + i));
  const stored = bars.length - heldBack;
  await app.produceBars(symbol, [
    // Two days back: one day back is the same date when the clocks go back (a 25-hour day).
    bar(start - 2 * DAY, 100),
    ...bars.slice(0, stored),
  ]);
  await expectStoredBars(app, symbol, stored + 1);
  await expect
    .poll(async () => (await readNewestDay(app, symbol))?.close, { timeout: 20_000 })
    .toBe(closes[stored - 1]);
  return { symbol, lastTs: end, held: bars.slice(stored) };
}

test.describe("watchlist", () => {
  test("lists every followed symbol with the database's figures, paused ones marked", async ({
    page,
    app,
  }) => {
    const { symbol } = await seedSymbol(app, [101, 103, 102.5, 104.25]);
    const paused = uniqueSymbol();
    await app.query("insert into symbols (symbol, source, status) values ($1, 'external', 'paused')", [
      paused,
    ]);
    const [{ n } = { n: 0 }] = await app.query<{ n: number }>(
      "select count(*)::int as n from symbols where status in ('active', 'paused')",
    );

    const watchlist = new WatchlistPage(page);
    await watchlist.open();
    await expect(watchlist.summary).toContainText(`${n} symbols`);
    // Virtualised: every symbol is counted, only the rows in view are in the DOM.
    await expect(page.getByTestId("watchlist-table")).toHaveAttribute("aria-rowcount", String(n + 1));
    expect(await watchlist.rows.count()).toBeLessThanOrEqual(n);

    await watchlist.open(`?q=${symbol}`);
    const day = (await readNewestDay(app, symbol))!;
    const row = watchlist.row(symbol);
    await expect(row.getByTestId("watchlist-last")).toHaveText(formatPrice(day.close));
    await expect(row.getByTestId("watchlist-last")).toHaveAttribute("data-value", String(day.close));
    await expect(row.getByTestId("watchlist-change")).toHaveText(`▲ ${formatPercent(day.change_pct)}`);
    await expect(row.getByTestId("watchlist-volume")).toHaveAttribute("data-value", String(day.volume));
    const position = (day.close - day.low) / (day.high - day.low);
    await expect(row.getByTestId("watchlist-range")).toHaveAttribute("data-position", position.toFixed(4));
    await expect(row.getByTestId("watchlist-sparkline")).toHaveAttribute("data-points", "4");
    await expect(row.getByTestId("watchlist-symbol-link")).toHaveAttribute("href", `/symbol/${symbol}`);

    await watchlist.open(`?q=${paused}`);
    await expect(watchlist.row(paused)).toHaveAttribute("data-status", "paused");
    await expect(watchlist.row(paused).getByTestId("watchlist-paused")).toBeVisible();
    await expect(watchlist.row(paused).getByTestId("watchlist-last")).toHaveText("—");
  });

  test("a bar produced to Kafka updates its row live", async ({ page, app }) => {
    const { symbol, lastTs } = await seedSymbol(app, [50, 51, 52]);
    const watchlist = new WatchlistPage(page);
    await watchlist.open(`?q=${symbol}`);
    await expect(watchlist.connection).toHaveAttribute("data-state", "live");
    const row = watchlist.row(symbol);
    await expect(row.getByTestId("watchlist-last")).toHaveText("$52.00");

    await app.produceBars(symbol, [bar(lastTs + MINUTE, 60.5, 5_000)]);
    await expect(row.getByTestId("watchlist-last")).toHaveText("$60.50", { timeout: 5_000 });
    const day = (await readNewestDay(app, symbol))!;
    await expect(row.getByTestId("watchlist-volume")).toHaveAttribute("data-value", String(day.volume));
    // 60.50 against the earlier day's close of 100.
    await expect(row.getByTestId("watchlist-change")).toHaveText(`▼ ${formatPercent(day.change_pct)}`);
    await expect(row.getByTestId("watchlist-sparkline")).toHaveAttribute("data-points", "4");
  });

  test("a burst of more bars than one live update carries redraws the sparkline whole: the list is read back", async ({
    page,
    app,
  }) => {
    // 155 closes of one day: 5 stored before the page opens, then 150 in one produce request, one batch,
    // whose update carries the newest 20 (MAX_BARS_PER_UPDATE) and names where the 130 before them start.
    const closes = Array.from({ length: 155 }, (_, i) => 50 + i / 10);
    const { symbol, held } = await seedSymbol(app, closes, undefined, 150);
    const watchlist = new WatchlistPage(page);
    const isWatchlistRead = (url: string) => new URL(url).pathname === "/api/watchlist";
    // The read every page makes once its room is joined: the reads counted below come after it.
    const joinRead = page.waitForResponse((response) => isWatchlistRead(response.url()));
    await watchlist.open(`?q=${symbol}`);
    await expect(watchlist.connection).toHaveAttribute("data-state", "live");
    await joinRead;
    const row = watchlist.row(symbol);
    await expect(row.getByTestId("watchlist-sparkline")).toHaveAttribute("data-points", "5");

    let watchlistReads = 0;
    page.on("request", (request) => {
      if (isWatchlistRead(request.url())) watchlistReads++;
    });
    await app.produceBars(symbol, held);
    await expect(row.getByTestId("watchlist-last")).toHaveText("$65.40", { timeout: 20_000 });
    // The day's line as REST draws it (every bar, downsampled), not 5 points and the newest 20.
    const answer = watchlistResponseSchema.parse(await (await page.request.get("/api/watchlist")).json());
    const spark = answer.rows.find((r) => r.symbol === symbol)?.spark ?? [];
    expect(spark.length).toBeGreaterThan(1);
    await expect(row.getByTestId("watchlist-sparkline")).toHaveAttribute("data-points", String(spark.length));
    expect(watchlistReads).toBeGreaterThan(0);
  });

  test("sorts by a column both ways, and the sort and filter survive a reload", async ({ page, app }) => {
    const prefix = uniqueSymbol();
    const { symbol: a } = await seedSymbol(app, [10], prefix);
    const { symbol: b } = await seedSymbol(app, [30], prefix);
    const { symbol: c } = await seedSymbol(app, [20], prefix);
    const watchlist = new WatchlistPage(page);
    await watchlist.open();
    await watchlist.filter.fill(prefix);
    await expect(watchlist.page).toHaveURL(new RegExp(`[?&]q=${prefix}`));

    await watchlist.sortHeader("last").getByRole("button").click();
    await expect(watchlist.sortHeader("last")).toHaveAttribute("aria-sort", "descending");
    await expect(watchlist.sortHeader("symbol")).toHaveAttribute("aria-sort", "none");
    const desc = (await watchlist.values("watchlist-last")).filter((v) => v !== null);
    expect(desc).toEqual([...desc].sort((x, y) => y - x));
    expect(await watchlist.symbols()).toEqual([b, c, a]);

    await watchlist.sortHeader("last").getByRole("button").click();
    await expect(watchlist.sortHeader("last")).toHaveAttribute("aria-sort", "ascending");
    expect(await watchlist.symbols()).toEqual([a, c, b]);
    await expect(watchlist.page).toHaveURL(/sort=last&dir=asc/);

    await page.reload();
    await expect(watchlist.sortHeader("last")).toHaveAttribute("aria-sort", "ascending");
    await expect(watchlist.filter).toHaveValue(prefix);
    // The restored filter shows in the field a frame before the rows follow it: the rows are awaited.
    await expect.poll(() => watchlist.symbols()).toEqual([a, c, b]);

    // Without parameters the last view comes back from localStorage, and the URL says so again.
    await watchlist.open();
    await expect(watchlist.sortHeader("last")).toHaveAttribute("aria-sort", "ascending");
    await expect(watchlist.page).toHaveURL(new RegExp(`sort=last&dir=asc&q=${prefix}$`));
  });

  test("the search field filters by symbol", async ({ page, app }) => {
    const { symbol } = await seedSymbol(app, [42]);
    const watchlist = new WatchlistPage(page);
    await watchlist.open();
    await watchlist.filter.fill(symbol.toLowerCase());
    await expect(watchlist.rows).toHaveCount(1);
    await expect(watchlist.rows.first()).toHaveAttribute("data-symbol", symbol);
    await watchlist.filter.fill("NO-SUCH-SYMBOL");
    await expect(page.getByTestId("watchlist-no-match")).toBeVisible();
  });

  test("arrow keys move the row focus and Enter opens the symbol", async ({ page, app }) => {
    await seedSymbol(app, [1]);
    await seedSymbol(app, [2]);
    const watchlist = new WatchlistPage(page);
    await watchlist.open("?q=WL");
    const symbols = await watchlist.symbols();
    expect(symbols.length).toBeGreaterThanOrEqual(2);

    // The rows are server-rendered: keys pressed before the page hydrates reach no handler (the focus
    // stayed on the first row in a CI run on a loaded machine). Live means hydrated and connected.
    await expect(watchlist.connection).toHaveAttribute("data-state", "live", { timeout: 15_000 });
    await watchlist.rows.first().focus();
    await page.keyboard.press("ArrowDown");
    await expect(watchlist.row(symbols[1]!)).toBeFocused();
    await page.keyboard.press("ArrowUp");
    await expect(watchlist.row(symbols[0]!)).toBeFocused();
    await page.keyboard.press("End");
    await expect(watchlist.row(symbols.at(-1)!)).toBeFocused();
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/symbol/${symbols[1]}$`));
  });

  test("a click on a row opens the symbol", async ({ page, app }) => {
    const { symbol } = await seedSymbol(app, [7]);
    const watchlist = new WatchlistPage(page);
    await watchlist.open(`?q=${symbol}`);
    await watchlist.row(symbol).getByTestId("watchlist-volume").click();
    await expect(page).toHaveURL(new RegExp(`/symbol/${symbol}$`));
  });

  test("exports the rows shown as CSV with the database's figures", async ({ page, app }) => {
    const { symbol } = await seedSymbol(app, [12.5, 13.125]);
    const watchlist = new WatchlistPage(page);
    await watchlist.open(`?q=${symbol}`);
    const [download] = await Promise.all([page.waitForEvent("download"), watchlist.exportButton.click()]);
    expect(download.suggestedFilename()).toMatch(/^tickstream-watchlist-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = readFileSync(await download.path(), "utf8")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toBe(
      "symbol,name,status,trade_date,last_bar_utc,last,change_pct,volume,day_low,day_high,day_range_position",
    );
    expect(lines).toHaveLength(2);
    const [{ close, change_pct, volume, high, low, trade_date, last_bar } = {} as never] = await app.query<
      DayRow & { trade_date: string; last_bar: Date }
    >(
      "select close, change_pct, volume::float8 as volume, high, low, trade_date::text, last_bar_at as last_bar from daily_stats where symbol = $1 order by trade_date desc limit 1",
      [symbol],
    );
    expect(lines[1]).toBe(
      [
        symbol,
        "",
        "active",
        trade_date,
        last_bar.toISOString(),
        close,
        change_pct,
        volume,
        low,
        high,
        (close - low) / (high - low),
      ].join(","),
    );
  });

  test("renders in light and dark themes (screenshots)", async ({ page, app }) => {
    await seedSymbol(app, [100, 101, 100.5, 102, 101.5, 103]);
    mkdirSync("test-results/screenshots", { recursive: true });
    const watchlist = new WatchlistPage(page);
    for (const theme of ["light", "dark"] as const) {
      await watchlist.open();
      await page.getByTestId(`theme-${theme}`).click();
      await expect(page.locator("html")).toHaveClass(theme === "dark" ? /dark/ : /^(?!.*dark)/);
      await expect(watchlist.rows.first()).toBeVisible();
      await page.screenshot({ path: `test-results/screenshots/watchlist-${theme}.png`, fullPage: true });
    }
  });
});
