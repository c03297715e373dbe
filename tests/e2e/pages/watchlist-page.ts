import type { Locator, Page } from "@playwright/test";

/** Page object of the watchlist, the landing view (data-testid selectors only). */
export class WatchlistPage {
  readonly root: Locator;
  readonly rows: Locator;
  readonly filter: Locator;
  readonly exportButton: Locator;
  readonly summary: Locator;
  readonly connection: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId("watchlist");
    this.rows = page.getByTestId("watchlist-row");
    this.filter = page.getByTestId("watchlist-filter");
    this.exportButton = page.getByTestId("watchlist-export");
    this.summary = page.getByTestId("watchlist-summary");
    this.connection = page.getByTestId("connection-indicator");
  }

  async open(query = ""): Promise<void> {
    await this.page.goto(`/${query}`);
    await this.root.waitFor();
  }

  row(symbol: string): Locator {
    return this.page.locator(`[data-testid="watchlist-row"][data-symbol="${symbol}"]`);
  }

  sortHeader(key: "symbol" | "last" | "change" | "volume" | "range"): Locator {
    return this.page.getByTestId(`watchlist-sort-${key}`);
  }

  /** The symbols of the rows in the DOM, top to bottom. */
  async symbols(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-symbol") ?? ""));
  }

  /** A numeric column's raw values (data-value) in row order; null for an empty cell. */
  async values(testId: "watchlist-last" | "watchlist-volume"): Promise<(number | null)[]> {
    return this.page
      .getByTestId(testId)
      .evaluateAll((cells) =>
        cells.map((c) => (c.getAttribute("data-value") ? Number(c.getAttribute("data-value")) : null)),
      );
  }
}
