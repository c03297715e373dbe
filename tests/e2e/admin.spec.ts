import { mkdirSync } from "node:fs";

import type { App } from "./fixtures";
import { expect, test } from "./fixtures";
import { AdminPage } from "./pages/admin-page";
import { DashboardPage } from "./pages/dashboard-page";

/** NVDA is in the recorded data but not among the run's symbols (AAPL, MSFT, SPY). */
const ADDED = "NVDA";
/** A paused Yahoo symbol (the source that polls) listed on Tokyo's exchange; no worker touches it. */
const POLLED = "ZZPOLL";
/** 14:05:07 on a winter day in New York (EST): 19:05:07 UTC, 20:05:07 in Berlin (CET), 04:05 next day in Tokyo. */
const AT = "2026-01-15T19:05:07Z";

async function insertPolledSymbol(app: App): Promise<void> {
  await app.query(
    `insert into symbols (symbol, source, status, exchange_timezone, last_tick_at)
     values ($1, 'yahoo', 'paused', 'Asia/Tokyo', $2)`,
    [POLLED, AT],
  );
}

async function deletePolledSymbol(app: App): Promise<void> {
  await app.query("delete from symbols where symbol = $1", [POLLED]);
  await app.query("delete from admin_audit_log where symbol = $1", [POLLED]);
}

/**
 * A symbol's stored bars: how many, the newest start, and a fingerprint of their values. The replay
 * adds one bar a minute but revises the current minute's bar every second, so only the fingerprint
 * changes from one second to the next.
 */
type StoredBars = { n: number; last: string | null; values: string | null };

async function readStoredBars(app: App, symbol: string): Promise<StoredBars> {
  const [row] = await app.query<StoredBars>(
    "select count(*)::int as n, max(ts)::text as last, sum(volume)::text || '/' || sum(close)::text as values from fact_prices where symbol = $1",
    [symbol],
  );
  return row ?? { n: 0, last: null, values: null };
}

async function signIn(admin: AdminPage, app: App): Promise<void> {
  await admin.open();
  await admin.signIn(app.state.adminUsername, app.state.adminPassword);
  await expect(admin.root).toBeVisible();
}

test.describe("admin", () => {
  test("a visitor who is not signed in is sent to the sign-in page, and the API answers 401", async ({
    page,
    request,
  }) => {
    const admin = new AdminPage(page);
    await admin.open();
    await expect(page).toHaveURL(/\/admin\/login$/);
    await expect(admin.loginForm).toBeVisible();
    expect((await request.get("/api/admin/symbols")).status()).toBe(401);
    expect((await request.get("/api/admin/audit")).status()).toBe(401);
  });

  test("a wrong password is refused with a message, and the right one signs in", async ({ page, app }) => {
    const admin = new AdminPage(page);
    await admin.open();
    await admin.signIn(app.state.adminUsername, "not-the-password");
    await expect(admin.loginError).toHaveText("wrong username or password");
    await admin.signIn(app.state.adminUsername, app.state.adminPassword);
    await expect(admin.root).toBeVisible();
    await expect(page).toHaveURL(/\/admin$/);
    await expect(page.getByTestId("admin-user")).toHaveText(app.state.adminUsername);
  });

  test("every admin page links to the others in one nav, the current page marked", async ({ page, app }) => {
    await signIn(new AdminPage(page), app);
    const nav = page.getByTestId("admin-nav");
    const pages = [
      { link: "Alert rules", url: /\/admin\/alerts$/, root: "alert-rules-page" },
      { link: "Webhooks", url: /\/admin\/webhooks$/, root: "webhooks-page" },
      { link: "Symbols", url: /\/admin$/, root: "admin-page" },
    ];
    for (const { link, url, root } of pages) {
      await nav.getByRole("link", { name: link }).click();
      await expect(page).toHaveURL(url);
      await expect(page).toHaveTitle(`${link} · Admin · Tickstream`);
      // Who is signed in, and the way out, on every admin page.
      await expect(page.getByTestId("admin-user")).toHaveText(app.state.adminUsername);
      await expect(page.getByTestId("sign-out")).toBeVisible();
      await expect(page.getByTestId(root)).toBeVisible();
      await expect(nav.getByRole("link", { name: link })).toHaveAttribute("aria-current", "page");
      await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
      // One main landmark: the layout's. The header marks the section.
      await expect(page.locator("main")).toHaveCount(1);
      const header = page.getByRole("navigation", { name: "Main" });
      await expect(header.getByRole("link", { name: "Admin", exact: true })).toHaveAttribute(
        "aria-current",
        "page",
      );
      await expect(header.locator('[aria-current="page"]')).toHaveCount(1);
    }
    await expect(nav.getByRole("link", { name: "Alert history" })).toHaveAttribute("href", "/alerts");
  });

  test("on a phone's width the admin pages and the alert history never scroll sideways as a whole", async ({
    page,
    app,
  }) => {
    await signIn(new AdminPage(page), app);
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [path, root] of [
      ["/admin", "admin-page"],
      ["/admin/alerts", "alert-rules-page"],
      ["/admin/webhooks", "webhooks-page"],
      ["/alerts", "alerts-history"],
    ] as const) {
      await page.goto(path);
      await expect(page.getByTestId(root)).toBeVisible();
      // Wide tables scroll inside their own box (TableScroll); the page keeps the window's width.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });

  test("the webhooks form labels its fields, says what is wrong with a rule id, and shows the secret once", async ({
    page,
    app,
  }) => {
    await signIn(new AdminPage(page), app);
    await page.goto("/admin/webhooks");
    await expect(page.getByTestId("no-deliveries")).toBeVisible();
    // Said once, in the table.
    await expect(page.getByText(/^No endpoint yet/)).toHaveCount(1);
    const form = page.getByTestId("webhook-form");
    await form.getByLabel("URL").fill("https://hooks.example.com/e2e");
    await form.getByLabel("Description").fill("e2e receiver");
    await form.getByLabel("Symbols").fill("aapl");
    await form.getByLabel("Rule ids").fill("abc");
    await form.getByRole("button", { name: "Add" }).click();
    await expect(page.getByTestId("webhooks-error")).toHaveText(
      "Rule ids: abc is not a rule id (the # number under Alert rules)",
    );
    await form.getByLabel("Rule ids").fill("");
    await form.getByRole("button", { name: "Add" }).click();
    const secret = page.getByTestId("webhook-secret");
    await expect(secret).toContainText("whsec_");
    const row = page.getByTestId("webhook-endpoints").getByRole("row", { name: /hooks\.example\.com\/e2e/ });
    await expect(row).toContainText("AAPL");
    await app.query("delete from webhook_endpoints where url = $1", ["https://hooks.example.com/e2e"]);
  });

  test("an admin adds NVDA, sees it active with bars arriving, pauses it and its bars stop, and reads the audit log", async ({
    page,
    app,
    context,
  }) => {
    const admin = new AdminPage(page);
    await signIn(admin, app);
    await expect(admin.row("AAPL")).toBeVisible();
    expect(await admin.row(ADDED).count()).toBe(0);

    // The dashboard, open in another tab with its symbol picker open, learns about the new symbol
    // without a reload: the change arrives as a delta, and the picker's list is not read again.
    const dashboard = new DashboardPage(await context.newPage());
    await dashboard.open("AAPL");
    await expect(dashboard.connection).toHaveAttribute("data-state", "live");
    await dashboard.picker.click();
    await expect(dashboard.option("AAPL")).toBeVisible();
    const symbolReads: string[] = [];
    dashboard.page.on("request", (r) => {
      if (new URL(r.url()).pathname === "/api/symbols") symbolReads.push(r.url());
    });

    await admin.addSymbols(ADDED.toLowerCase());
    await expect(admin.addOutcome).toHaveText(`Added ${ADDED}.`);
    await expect(admin.status(ADDED)).toHaveAttribute("data-status", "active");
    await expect(dashboard.option(ADDED)).toHaveCount(1, { timeout: 5_000 });
    expect(symbolReads).toEqual([]);

    // The ingest worker picks it up (NOTIFY) and replays its bars; the stream worker stores them.
    await expect
      .poll(async () => (await readStoredBars(app, ADDED)).n, {
        timeout: 30_000,
        message: "NVDA bars in fact_prices",
      })
      .toBeGreaterThan(0);
    await expect
      .poll(() => admin.ticksToday(ADDED), { timeout: 15_000, message: "ticks today in the table" })
      .toBeGreaterThan(0);
    await expect(admin.lastTick(ADDED)).toBeVisible();
    await dashboard.page.close();

    await admin.pause(ADDED);
    await expect(admin.status(ADDED)).toHaveAttribute("data-status", "paused");
    await expect(admin.notice).toContainText(`${ADDED} paused`);
    // Bars already on their way may still land: wait until NVDA stays the same while AAPL, replayed on
    // the same clock, changes three times (the pipeline is visibly past the pause; a stalled worker
    // changes neither, so a quiet moment alone proves nothing)...
    let settled = await readStoredBars(app, ADDED);
    let aapl = await readStoredBars(app, "AAPL");
    let aaplChanges = 0;
    const countAaplChangesWhileNvdaIsStill = async () => {
      const [now, aaplNow] = [await readStoredBars(app, ADDED), await readStoredBars(app, "AAPL")];
      if (JSON.stringify(now) !== JSON.stringify(settled)) {
        settled = now;
        aaplChanges = 0;
      } else if (JSON.stringify(aaplNow) !== JSON.stringify(aapl)) aaplChanges++;
      aapl = aaplNow;
      return aaplChanges;
    };
    await expect
      .poll(countAaplChangesWhileNvdaIsStill, {
        timeout: 30_000,
        intervals: [500],
        message: "NVDA bars settle after the pause while AAPL keeps flowing",
      })
      .toBeGreaterThanOrEqual(3);
    // ...then nothing may change while AAPL changes six more times (a revision a second): had the pause
    // not reached the worker, NVDA would have changed as often.
    aaplChanges = 0;
    await expect
      .poll(
        async () => {
          const aaplNow = await readStoredBars(app, "AAPL");
          if (JSON.stringify(aaplNow) !== JSON.stringify(aapl)) aaplChanges++;
          aapl = aaplNow;
          return aaplChanges;
        },
        { timeout: 20_000, intervals: [500], message: "other symbols keep flowing" },
      )
      .toBeGreaterThanOrEqual(6);
    expect(await readStoredBars(app, ADDED)).toEqual(settled);

    // The audit log shows both changes, newest first, with who did them.
    await expect(admin.auditRow("symbol.pause", ADDED)).toBeVisible();
    await expect(admin.auditRow("symbol.add", ADDED)).toBeVisible();
    const actions = await admin.auditRows.evaluateAll((rows) =>
      rows.map((r) => `${r.getAttribute("data-action")} ${r.getAttribute("data-symbol")}`),
    );
    expect(actions.indexOf(`symbol.pause ${ADDED}`)).toBeLessThan(actions.indexOf(`symbol.add ${ADDED}`));
    await expect(admin.auditRow("symbol.pause", ADDED)).toContainText("status active → paused");
    await expect(admin.auditRow("symbol.pause", ADDED)).toContainText(app.state.adminUsername);
  });

  test("renders in light and dark themes (screenshots)", async ({ page, app }) => {
    mkdirSync("test-results/screenshots", { recursive: true });
    // A symbol the ingest worker marked invalid, to show its reason and last error (not active: no worker touches it).
    const invalid = "ZZBAD";
    const reason = `no recorded bars for ${invalid} in the replay data (recorded: AAPL, AMZN, GOOG, META, MSFT, NVDA, QQQ, SPY, TSLA)`;
    await app.query(
      "insert into symbols (symbol, status, status_reason, last_error, last_error_at) values ($1, 'invalid', $2, $2, now())",
      [invalid, reason],
    );
    try {
      const admin = new AdminPage(page);
      await admin.open();
      await page.screenshot({ path: "test-results/screenshots/admin-login.png" });
      await admin.signIn(app.state.adminUsername, app.state.adminPassword);
      await expect(admin.root).toBeVisible();
      await expect.poll(() => admin.ticksToday("SPY"), { timeout: 20_000 }).toBeGreaterThan(0);
      await expect(admin.status(invalid)).toHaveAttribute("data-status", "invalid");
      await expect(admin.row(invalid).getByTestId("symbol-status-reason")).toHaveText(reason);
      for (const theme of ["light", "dark"] as const) {
        await page.getByTestId(`theme-${theme}`).click();
        await expect(page.locator("html")).toHaveClass(theme === "dark" ? /dark/ : /^(?!.*dark)/);
        await page.screenshot({ path: `test-results/screenshots/admin-${theme}.png`, fullPage: true });
      }
      await page.getByTestId("theme-system").click();
    } finally {
      await app.query("delete from symbols where symbol = $1", [invalid]);
    }
  });

  test("the symbol table is paged and searchable by symbol and name, with counts", async ({ page, app }) => {
    // 120 paused symbols of their own (no worker touches a paused replay symbol), one of them named.
    const many = Array.from({ length: 120 }, (_, i) => `ZQ${String(i).padStart(3, "0")}`);
    await app.query(
      `insert into symbols (symbol, status, display_name)
       select s, 'paused', case when s = 'ZQ077' then 'Quokka Quarries' end from unnest($1::text[]) as s`,
      [many],
    );
    try {
      const admin = new AdminPage(page);
      await signIn(admin, app);
      const total = Number(await admin.range.getAttribute("data-total"));
      expect(total).toBeGreaterThanOrEqual(many.length);
      await expect(admin.rows).toHaveCount(50);
      await expect(page.getByTestId("symbols-card")).toContainText(/\d+ active of \d+/);

      // Every match exactly once, in order, across the three pages. The range label can change a frame
      // before the rows do, so each page's rows are awaited, not read once.
      await admin.search.fill("zq");
      await expect(admin.range).toHaveText("1–50 of 120");
      await expect.poll(() => admin.rowSymbols()).toEqual(many.slice(0, 50));
      await admin.nextPage.click();
      await expect(admin.range).toHaveText("51–100 of 120");
      await expect.poll(() => admin.rowSymbols()).toEqual(many.slice(50, 100));
      await admin.nextPage.click();
      await expect(admin.range).toHaveText("101–120 of 120");
      await expect.poll(() => admin.rowSymbols()).toEqual(many.slice(100));
      await expect(admin.nextPage).toBeDisabled();
      await admin.previousPage.click();
      await expect(admin.range).toHaveText("51–100 of 120");
      await expect.poll(() => admin.rowSymbols()).toEqual(many.slice(50, 100));

      // A new search starts at its first page; a name matches too, whatever its case.
      await admin.search.fill("QUOKKA");
      await expect(admin.range).toHaveText("1–1 of 1");
      await expect.poll(() => admin.rowSymbols()).toEqual(["ZQ077"]);
      await page.screenshot({ path: "test-results/screenshots/admin-search.png", fullPage: true });
      await admin.search.fill("no such thing");
      await expect(page.getByTestId("symbols-empty")).toHaveText("No symbol matches this search.");
      await admin.search.fill("");
      await expect(admin.rows).toHaveCount(50);
    } finally {
      await app.query("delete from symbols where symbol = any($1)", [many]);
    }
  });

  test("the poll interval can be edited only where the source polls: a replay symbol offers no editor", async ({
    page,
    app,
  }) => {
    await insertPolledSymbol(app);
    try {
      const admin = new AdminPage(page);
      await signIn(admin, app);
      // The deployment replays: new symbols are not polled, so the add form asks for no interval.
      await expect(page.getByTestId("add-symbols-form")).toBeVisible();
      await expect(admin.addInterval).toHaveCount(0);
      await expect(admin.notPolled(ADDED)).toHaveText("not polled");
      await expect(admin.pollIntervalEdit(ADDED)).toHaveCount(0);
      await expect(admin.row(ADDED).getByTestId("source-badge")).toHaveAttribute("data-source", "replay");

      await admin.setPollInterval(POLLED, 15);
      await expect(admin.row(POLLED).getByTestId("symbol-interval")).toHaveText("15 s");
      await expect(admin.notice).toContainText(`${POLLED} is now polled every 15 s`);
      await expect(admin.auditRow("symbol.poll_interval", POLLED)).toContainText("60 s → 15 s");
      await expect(admin.row(POLLED).getByTestId("source-badge")).toHaveCount(0);
    } finally {
      await deletePolledSymbol(app);
    }
  });

  test.describe("in a browser whose zone is Berlin", () => {
    test.use({ timezoneId: "Europe/Berlin" });

    test("times name their zone; switching to UTC or local time changes them, and the choice survives a reload", async ({
      page,
      app,
    }) => {
      await insertPolledSymbol(app);
      await app.query(
        "insert into admin_audit_log (at, actor, action, symbol) values ($1, 'e2e', 'symbol.pause', $2)",
        [AT, POLLED],
      );
      try {
        const admin = new AdminPage(page);
        await signIn(admin, app);
        const auditAt = admin.auditRow("symbol.pause", POLLED).getByTestId("audit-at");
        // Exchange time: the symbol's own exchange for its last tick, the deployment's for the audit log.
        await expect(admin.zones.option("exchange")).toHaveAttribute("aria-checked", "true");
        await expect(admin.lastTickTime(POLLED)).toHaveText("Jan 16, 04:05 GMT+9");
        await expect(auditAt).toHaveText("Jan 15, 14:05:07 EST");

        await admin.zones.choose("utc");
        await expect(admin.lastTickTime(POLLED)).toHaveText("Jan 15, 19:05 UTC");
        await expect(auditAt).toHaveText("Jan 15, 19:05:07 UTC");

        await admin.zones.choose("local");
        await expect(admin.lastTickTime(POLLED)).toHaveText("Jan 15, 20:05 CET");
        await expect(auditAt).toHaveText("Jan 15, 20:05:07 CET");

        await page.reload();
        await expect(admin.zones.option("local")).toHaveAttribute("aria-checked", "true");
        await expect(auditAt).toHaveText("Jan 15, 20:05:07 CET");
      } finally {
        await deletePolledSymbol(app);
      }
    });
  });

  test("a removed symbol's history is purged only after typing its symbol", async ({ page, app }) => {
    const admin = new AdminPage(page);
    await signIn(admin, app);
    await expect(admin.row(ADDED)).toBeVisible();

    await admin.remove(ADDED);
    await expect(admin.status(ADDED)).toHaveAttribute("data-status", "removed");
    expect((await readStoredBars(app, ADDED)).n).toBeGreaterThan(0);

    await admin.startPurge(ADDED, "NVD");
    await expect(admin.purgeDialog.getByTestId("purge-confirm")).toBeDisabled();
    await admin.purgeDialog.getByTestId("purge-confirm-input").fill(ADDED);
    await expect(admin.purgeDialog.getByTestId("purge-confirm")).toBeEnabled();
    await page.screenshot({ path: "test-results/screenshots/admin-purge-dialog.png" });
    await admin.purgeDialog.getByTestId("purge-confirm").click();
    await expect(admin.purgeDialog).not.toBeVisible();
    await expect(admin.notice).toContainText(`${ADDED}'s history was deleted`);
    expect((await readStoredBars(app, ADDED)).n).toBe(0);
    await expect(admin.auditRow("symbol.purge", ADDED)).toContainText("deleted");

    // A state-changing request without the CSRF token (a forged form or script) is refused, cookie or not.
    const status = await page.evaluate(async (symbol) => {
      const response = await fetch(`/api/admin/symbols/${symbol}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ status: "active" }),
      });
      return response.status;
    }, ADDED);
    expect(status).toBe(403);

    await admin.signOut();
    await expect(page).toHaveURL(/\/admin\/login$/);
    await admin.open();
    await expect(page).toHaveURL(/\/admin\/login$/);
  });
});
