import type { Locator, Page } from "@playwright/test";

import { DisplayZoneSwitch } from "./display-zone";

/** Page object of the live dashboard (data-testid selectors only). */
export class DashboardPage {
  readonly root: Locator;
  readonly lastPrice: Locator;
  readonly chart: Locator;
  readonly connection: Locator;
  readonly picker: Locator;
  readonly lastBarTime: Locator;
  readonly chartZone: Locator;
  readonly sourceBadge: Locator;
  readonly zones: DisplayZoneSwitch;

  constructor(readonly page: Page) {
    this.root = page.getByTestId("dashboard");
    this.lastPrice = page.getByTestId("kpi-last-price-value");
    this.chart = page.getByTestId("price-chart");
    this.connection = page.getByTestId("connection-indicator");
    this.picker = page.getByTestId("symbol-picker");
    this.lastBarTime = page.getByTestId("kpi-last-bar-time");
    this.chartZone = page.getByTestId("chart-zone");
    this.sourceBadge = page.getByTestId("dashboard").getByTestId("source-badge").first();
    this.zones = new DisplayZoneSwitch(page);
  }

  /** A symbol's page (/symbol/<SYMBOL>), or the landing page without one. */
  async open(symbol?: string, range?: string): Promise<void> {
    const query = range ? `?${new URLSearchParams({ range }).toString()}` : "";
    await this.page.goto(symbol ? `/symbol/${encodeURIComponent(symbol)}${query}` : `/${query}`);
    await this.root.waitFor();
  }

  /** An option of the picker's open list. */
  option(symbol: string): Locator {
    return this.page.locator(`[data-testid="symbol-option"][data-symbol="${symbol}"]`);
  }

  /** Opens the picker and types a search into it. */
  async searchSymbol(text: string): Promise<void> {
    await this.picker.click();
    await this.picker.fill(text);
  }

  /** Picks a symbol with the mouse, searching for it first. */
  async pickSymbol(symbol: string): Promise<void> {
    await this.searchSymbol(symbol);
    await this.option(symbol).click();
  }

  async chartLastTs(): Promise<number> {
    return Number(await this.chart.getAttribute("data-last-ts"));
  }

  async chartPoints(): Promise<number> {
    return Number(await this.chart.getAttribute("data-points"));
  }

  async chooseRange(range: "1h" | "session" | "5d"): Promise<void> {
    await this.page.getByTestId(`range-${range}`).click();
  }
}
