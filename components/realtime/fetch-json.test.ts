import { afterEach, describe, expect, it, vi } from "vitest";

import { ApiResponseError, fetchJson } from "@/components/realtime/fetch-json";
import { signOutResponseSchema } from "@/lib/events/api-admin";
import { moversViewSchema } from "@/lib/events/api-market";

const answer = (body: BodyInit | null, status = 200) =>
  vi.stubGlobal(
    "fetch",
    vi.fn(() => Promise.resolve(new Response(body, { status }))),
  );

const ranking = { windowMinutes: 5, windowStart: null, windowEnd: null, gainers: [], losers: [] };

async function failure(promise: Promise<unknown>): Promise<ApiResponseError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiResponseError))
    throw new Error(`expected an ApiResponseError, got ${String(error)}`);
  return error;
}

describe("fetchJson", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("returns a 2xx body parsed with its schema", async () => {
    answer(JSON.stringify(ranking));
    await expect(fetchJson("/api/movers?window=5", moversViewSchema)).resolves.toEqual(ranking);
  });

  it("throws the server's own message and status for a non-2xx answer", async () => {
    answer(JSON.stringify({ error: { code: "not_found", message: "unknown symbol ZZZ" } }), 404);
    const error = await failure(fetchJson("/api/snapshot?symbol=ZZZ", moversViewSchema));
    expect(error.status).toBe(404);
    expect(error.message).toBe("unknown symbol ZZZ");
  });

  it("returns the body of an accepted non-2xx status (the health check's 503) parsed with its schema", async () => {
    answer(JSON.stringify(ranking), 503);
    await expect(fetchJson("/api/x", moversViewSchema, { acceptedStatuses: [503] })).resolves.toEqual(
      ranking,
    );
    answer(JSON.stringify(ranking), 500);
    expect((await failure(fetchJson("/api/x", moversViewSchema, { acceptedStatuses: [503] }))).status).toBe(
      500,
    );
  });

  it("names the status when a non-2xx answer has no error body (a proxy's HTML page)", async () => {
    answer("<html>Bad gateway</html>", 502);
    const error = await failure(fetchJson("/api/movers", moversViewSchema));
    expect(error.status).toBe(502);
    expect(error.message).toBe("the server answered 502");
  });

  it("names the path and the fields when a 2xx body does not match the schema", async () => {
    answer(JSON.stringify({ ...ranking, windowMinutes: "5", gainers: [{ symbol: "AAPL" }] }));
    const error = await failure(fetchJson("/api/movers?window=5", moversViewSchema));
    expect(error.status).toBe(200);
    expect(error.message).toMatch(/^\/api\/movers answered an unexpected body: /);
    expect(error.message).toContain("windowMinutes");
    expect(error.message).toContain("gainers.0.gainPct");
  });

  it("says so when a 2xx answer is not JSON", async () => {
    answer("");
    const error = await failure(fetchJson("/api/movers", moversViewSchema));
    expect(error.message).toBe("/api/movers answered 200 without a JSON body");
  });

  it("reports a request that got no answer with status 0", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.reject(new TypeError("Failed to fetch"))),
    );
    const error = await failure(fetchJson("/api/movers", moversViewSchema));
    expect(error.status).toBe(0);
    expect(error.message).toBe("the server does not answer (Failed to fetch)");
  });

  it("sends a JSON body with its content type", async () => {
    const spy = vi.fn((_url: string, _init?: RequestInit) =>
      Promise.resolve(Response.json({ signedOut: true })),
    );
    vi.stubGlobal("fetch", spy);
    await fetchJson("/api/x", signOutResponseSchema, {
      method: "POST",
      body: { confirm: "AAPL" },
    });
    const init = spy.mock.calls[0]?.[1];
    expect(init?.method).toBe("POST");
    expect(init?.body).toBe('{"confirm":"AAPL"}');
    expect((init?.headers as Record<string, string>)["content-type"]).toBe("application/json");
  });
});
