import type { Locator, Page } from "@playwright/test";

import { DisplayZoneSwitch } from "./display-zone";

/** Page object of /admin and /admin/login (data-testid selectors only). */
export class AdminPage {
  readonly root: Locator;
  readonly loginForm: Locator;
  readonly loginError: Locator;
  readonly notice: Locator;
  readonly addOutcome: Locator;
  readonly auditRows: Locator;
  readonly purgeDialog: Locator;
  readonly addInterval: Locator;
  readonly zones: DisplayZoneSwitch;
  readonly rows: Locator;
  readonly search: Locator;
  readonly range: Locator;
  readonly nextPage: Locator;
  readonly previousPage: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId("admin-page");
    this.loginForm = page.getByTestId("login-form");
    this.loginError = page.getByTestId("login-error");
    this.notice = page.getByTestId("admin-notice");
    this.addOutcome = page.getByTestId("add-outcome");
    this.auditRows = page.getByTestId("audit-row");
    this.purgeDialog = page.getByTestId("purge-dialog");
    this.addInterval = page.getByTestId("add-symbols-interval");
    this.zones = new DisplayZoneSwitch(page);
    this.rows = page.getByTestId("symbol-row");
    this.search = page.getByTestId("symbols-search");
    this.range = page.getByTestId("symbols-range");
    this.nextPage = page.getByTestId("symbols-next");
    this.previousPage = page.getByTestId("symbols-previous");
  }

  /** The symbols of the table's page, in order. */
  async rowSymbols(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-symbol") ?? ""));
  }

  async open(): Promise<void> {
    await this.page.goto("/admin");
  }

  /** Signs in from the login page (open() first when not there). */
  async signIn(username: string, password: string): Promise<void> {
    await this.page.getByTestId("login-username").fill(username);
    await this.page.getByTestId("login-password").fill(password);
    await this.page.getByTestId("login-submit").click();
  }

  async signOut(): Promise<void> {
    await this.page.getByTestId("sign-out").click();
  }

  async addSymbols(text: string): Promise<void> {
    await this.page.getByTestId("add-symbols-input").fill(text);
    await this.page.getByTestId("add-symbols-submit").click();
  }

  row(symbol: string): Locator {
    return this.page.locator(`[data-testid="symbol-row"][data-symbol="${symbol}"]`);
  }

  lastTickTime(symbol: string): Locator {
    return this.lastTick(symbol).locator("time");
  }

  status(symbol: string): Locator {
    return this.row(symbol).getByTestId("symbol-status");
  }

  lastTick(symbol: string): Locator {
    return this.row(symbol).getByTestId("symbol-last-tick");
  }

  async ticksToday(symbol: string): Promise<number> {
    return Number(await this.row(symbol).getByTestId("symbol-ticks-today").getAttribute("data-count"));
  }

  async pause(symbol: string): Promise<void> {
    await this.row(symbol).getByTestId("symbol-pause").click();
  }

  async resume(symbol: string): Promise<void> {
    await this.row(symbol).getByTestId("symbol-resume").click();
  }

  async remove(symbol: string): Promise<void> {
    await this.row(symbol).getByTestId("symbol-remove").click();
  }

  /** The poll interval editor's "edit" button (only for symbols whose source polls). */
  pollIntervalEdit(symbol: string): Locator {
    return this.row(symbol).getByTestId("symbol-interval-edit");
  }

  notPolled(symbol: string): Locator {
    return this.row(symbol).getByTestId("symbol-not-polled");
  }

  async setPollInterval(symbol: string, seconds: number): Promise<void> {
    await this.row(symbol).getByTestId("symbol-interval-edit").click();
    await this.row(symbol).getByTestId("symbol-interval-input").fill(String(seconds));
    await this.row(symbol).getByTestId("symbol-interval-save").click();
  }

  /** Opens the purge dialog of a removed symbol and types `confirm` into it (not submitted). */
  async startPurge(symbol: string, confirm: string): Promise<void> {
    await this.row(symbol).getByTestId("symbol-purge").click();
    await this.purgeDialog.getByTestId("purge-confirm-input").fill(confirm);
  }

  auditRow(action: string, symbol: string): Locator {
    return this.page.locator(`[data-testid="audit-row"][data-action="${action}"][data-symbol="${symbol}"]`);
  }
}
