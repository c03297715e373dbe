import type { Locator, Page } from "@playwright/test";

/** Page object of /admin/alerts (rule management) and the viewers' alerts: bell, toasts, /alerts. */
export class AlertsPage {
  readonly rulesPage: Locator;
  readonly ruleRows: Locator;
  readonly ruleForm: Locator;
  readonly notice: Locator;
  readonly bell: Locator;
  readonly toasts: Locator;
  readonly history: Locator;
  readonly historyRows: Locator;
  readonly symbolFilter: Locator;
  readonly ruleFilter: Locator;
  readonly ackAll: Locator;
  /** The dashboard's live indicator: data-state "live" once the page's socket is connected. */
  readonly connection: Locator;

  constructor(readonly page: Page) {
    this.rulesPage = page.getByTestId("alert-rules-page");
    this.ruleRows = page.getByTestId("rule-row");
    this.ruleForm = page.getByTestId("rule-form");
    this.notice = page.getByTestId("admin-notice");
    this.bell = page.getByTestId("alerts-bell");
    this.toasts = page.getByTestId("alert-toast");
    this.history = page.getByTestId("alerts-history");
    this.historyRows = page.getByTestId("alert-row");
    this.symbolFilter = page.getByTestId("alerts-filter-symbol");
    this.ruleFilter = page.getByTestId("alerts-filter-rule");
    this.ackAll = page.getByTestId("alerts-ack-all");
    this.connection = page.getByTestId("connection-indicator");
  }

  async openRules(): Promise<void> {
    await this.page.goto("/admin/alerts");
  }

  async openHistory(): Promise<void> {
    await this.page.goto("/alerts");
  }

  /** A form field (label text) of the open rule form. */
  field(name: string): Locator {
    return this.ruleForm.locator(`[data-field="${name}"]`).locator("input, select");
  }

  fieldError(name: string): Locator {
    return this.ruleForm.getByTestId(`rule-error-${name}`);
  }

  /** Fills the new-rule form for "close crosses above `level`" on `symbols`, without submitting. */
  async fillPriceRule(name: string, symbols: string, level: string, cooldownMinutes = "0"): Promise<void> {
    await this.field("name").fill(name);
    await this.field("type").selectOption("price_cross");
    await this.field("direction").selectOption("up");
    await this.field("level").fill(level);
    await this.field("scopeKind").selectOption("symbols");
    await this.field("symbols").fill(symbols);
    await this.field("cooldownMinutes").fill(cooldownMinutes);
  }

  async submitRule(): Promise<void> {
    await this.page.getByTestId("rule-submit").click();
  }

  ruleRow(name: string): Locator {
    return this.ruleRows.filter({ has: this.page.getByTestId("rule-name").getByText(name, { exact: true }) });
  }
}
