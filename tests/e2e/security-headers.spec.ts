import { randomBytes } from "node:crypto";
import http from "node:http";

import { expect, test } from "./fixtures";
import { AdminPage } from "./pages/admin-page";
import { DashboardPage } from "./pages/dashboard-page";

// Security headers and edges of the built server (server.ts + proxy.ts): every kind of answer carries
// the headers, unsupported methods get 405, and forwarded headers count only from the trusted proxy
// (global setup sets TRUSTED_PROXIES=127.0.0.2; the tests reach the server from 127.0.0.1 or from it).

type RawAnswer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** A request through node:http: any method (TRACE too) and the local address it leaves from. */
function send(
  baseURL: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string; from?: string },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      new URL(options.path, baseURL),
      { method: options.method ?? "GET", headers: options.headers, localAddress: options.from },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

function expectCommonHeaders(answer: RawAnswer, what: string) {
  expect(answer.headers["x-content-type-options"], what).toBe("nosniff");
  expect(answer.headers["x-frame-options"], what).toBe("DENY");
  expect(answer.headers["referrer-policy"], what).toBe("same-origin");
  expect(answer.headers["content-security-policy"], what).toMatch(/frame-ancestors 'none'/);
  expect(answer.headers["strict-transport-security"], what).toBeUndefined();
}

const nonceOf = (csp: string | string[] | undefined) =>
  /'nonce-([A-Za-z0-9+/=]+)'/.exec(String(csp ?? ""))?.[1];

test.describe("security headers and edges", () => {
  test("a page has a CSP with a fresh nonce that every script of the page carries", async ({ app }) => {
    const first = await send(app.baseURL, { path: "/ops" });
    const second = await send(app.baseURL, { path: "/ops" });
    expect(first.status).toBe(200);
    expectCommonHeaders(first, "page");
    const nonce = nonceOf(first.headers["content-security-policy"]);
    expect(nonce).toBeTruthy();
    expect(nonceOf(second.headers["content-security-policy"])).not.toBe(nonce);
    expect(first.headers["content-security-policy"]).toContain("'strict-dynamic'");
    const scripts = [...first.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(1);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
  });

  test("an API answer, a 404 page, an API 404 and the Socket.IO polling handshake carry the headers", async ({
    app,
  }) => {
    const api = await send(app.baseURL, { path: "/api/health" });
    expectCommonHeaders(api, "API");
    expect(api.headers["content-security-policy"]).toMatch(/^default-src 'none'/);

    const page404 = await send(app.baseURL, { path: "/no-such-page" });
    expect(page404.status).toBe(404);
    expect(page404.body).toContain("<title>Page not found · Tickstream</title>");
    expectCommonHeaders(page404, "404 page");
    expect(nonceOf(page404.headers["content-security-policy"])).toBeTruthy();

    const api404 = await send(app.baseURL, { path: "/api/no-such-api" });
    expect(api404.status).toBe(404);
    expectCommonHeaders(api404, "API 404");

    const handshake = await send(app.baseURL, { path: "/socket.io/?EIO=4&transport=polling" });
    expect(handshake.status).toBe(200);
    expect(handshake.body).toMatch(/^0\{"sid":/);
    expectCommonHeaders(handshake, "socket.io");

    // The WebSocket upgrade is answered outside the server's request listeners: it carries them too.
    const upgrade = await new Promise<RawAnswer>((resolve, reject) => {
      const request = http.request(new URL("/socket.io/?EIO=4&transport=websocket", app.baseURL), {
        headers: {
          connection: "Upgrade",
          upgrade: "websocket",
          "sec-websocket-version": "13",
          "sec-websocket-key": randomBytes(16).toString("base64"),
        },
      });
      request.on("upgrade", (res, socket) => {
        socket.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: "" });
      });
      request.on("response", (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      request.on("error", reject);
      request.end();
    });
    expect(upgrade.status).toBe(101);
    expectCommonHeaders(upgrade, "socket.io WebSocket upgrade");
  });

  test("unsupported methods get 405 with Allow and no stack trace; TRACE too", async ({ app }) => {
    for (const [method, path, allow] of [
      ["TRACE", "/api/health", "GET, HEAD, OPTIONS"],
      ["TRACE", "/api/admin/session", "POST, DELETE, OPTIONS"],
      ["PUT", "/api/health", "GET, HEAD, OPTIONS"],
      ["DELETE", "/", "GET, HEAD"],
      ["TRACE", "/", "GET, HEAD"],
    ] as const) {
      const answer = await send(app.baseURL, { method, path });
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.headers.allow, `${method} ${path}`).toBe(allow);
      expect(answer.body).toContain(`${method} is not allowed on ${path}`);
      expect(answer.body).not.toMatch(/\bat \S+ \(/);
      expectCommonHeaders(answer, `405 ${method} ${path}`);
    }
  });

  test("X-Forwarded-Proto turns on HSTS and Secure cookies only from the trusted proxy", async ({ app }) => {
    const signIn = (from: string) =>
      send(app.baseURL, {
        method: "POST",
        path: "/api/admin/session",
        from,
        headers: {
          "content-type": "application/json",
          "x-forwarded-proto": "https",
          "x-forwarded-for": "192.0.2.77",
        },
        body: JSON.stringify({ username: app.state.adminUsername, password: app.state.adminPassword }),
      });
    const untrusted = await signIn("127.0.0.1");
    expect(untrusted.status).toBe(200);
    expect(untrusted.headers["strict-transport-security"]).toBeUndefined();
    expect(String(untrusted.headers["set-cookie"])).not.toMatch(/Secure/);

    const trusted = await signIn("127.0.0.2");
    expect(trusted.status).toBe(200);
    expect(trusted.headers["strict-transport-security"]).toBe("max-age=31536000");
    expect(String(trusted.headers["set-cookie"])).toMatch(/; Secure/);
    // The session records the client the proxy named, and only the untrusted request's own address.
    const rows = await app.query<{ client_ip: string }>(
      "select client_ip from admin_sessions order by created_at desc limit 2",
    );
    expect(rows.map((r) => r.client_ip).sort()).toEqual(["127.0.0.1", "192.0.2.77"]);
  });

  test("the dashboard, ops and admin pages work under the CSP with no violation", async ({ page, app }) => {
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text()))
        problems.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        const seen = ((window as unknown as { cspViolations?: string[] }).cspViolations ??= []);
        seen.push(
          `${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`,
        );
      });
    });
    const violations = async () =>
      page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? []);

    const dashboard = new DashboardPage(page);
    await dashboard.open("AAPL");
    await expect(dashboard.connection).toHaveAttribute("data-state", "live");
    await expect(dashboard.chart).toHaveAttribute("data-last-ts", /\d+/, { timeout: 20_000 });
    expect(await violations()).toEqual([]);

    // A client-side navigation, then a full load below: both under the CSP.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Ops" }).click();
    await expect(page.getByTestId("ops-rate-applied")).toBeVisible();
    expect(await violations()).toEqual([]);

    const admin = new AdminPage(page);
    await admin.open();
    await admin.signIn(app.state.adminUsername, app.state.adminPassword);
    await expect(admin.root).toBeVisible();
    expect(await violations()).toEqual([]);
    expect(problems).toEqual([]);
  });

  test("the sign-in form says how long to wait after too many failures, and the right password then gets in", async ({
    page,
    app,
  }) => {
    const admin = new AdminPage(page);
    await admin.open();
    // One answer at a time, so that the server hears the attempts in this order.
    const attempt = async (password: string) => {
      const answer = page.waitForResponse((r) => r.url().endsWith("/api/admin/session"));
      await admin.signIn(app.state.adminUsername, password);
      return (await answer).status();
    };
    for (let i = 0; i < 5; i++) expect(await attempt(`wrong-${i}`)).toBe(401);
    expect(await attempt(app.state.adminPassword)).toBe(429);
    await expect(admin.loginError).toHaveText(
      "too many failed sign-ins from your address; try again in 1 second",
    );
    await expect(async () => {
      await admin.signIn(app.state.adminUsername, app.state.adminPassword);
      await expect(admin.root).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 10_000 });
  });
});
