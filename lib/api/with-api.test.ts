import { describe, expect, it } from "vitest";

import { ApiError } from "@/lib/api/errors";
import { withSharedApi } from "@/lib/api/with-api";

const ctx = { params: Promise.resolve({}) };

/** A handler whose runs wait until the test ends them; `runs` lists the URLs they were started for. */
function controlledHandler() {
  const runs: { url: string; end: (body: unknown) => void; fail: (error: Error) => void }[] = [];
  const handler = (url: URL) =>
    new Promise<Response>((resolve, reject) =>
      runs.push({ url: url.href, end: (body) => resolve(Response.json(body)), fail: reject }),
    );
  return { handler, runs };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("withSharedApi", () => {
  it("runs the handler once for the requests of one URL that came during a run, each with an answer of its own", async () => {
    const { handler, runs } = controlledHandler();
    const get = withSharedApi(handler);
    const url = "http://localhost/api/prices?symbol=AAPL&range=5d";
    const first = get(new Request(url), ctx);
    const during = [get(new Request(url), ctx), get(new Request(url), ctx)];
    await settle();
    expect(runs).toHaveLength(1);
    runs[0]!.end({ version: 1 });
    expect(await (await first).json()).toEqual({ version: 1 });
    await settle();
    // The two that came during the first run get the next one, started after they asked.
    expect(runs).toHaveLength(2);
    runs[1]!.end({ version: 2 });
    const answers = await Promise.all(during);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toContain("application/json");
      expect(answer.headers.get("cache-control")).toBe("no-store");
      expect(await answer.json()).toEqual({ version: 2 });
    }
  });

  it("runs the handler for each URL on its own", async () => {
    const { handler, runs } = controlledHandler();
    const get = withSharedApi(handler);
    const a = get(new Request("http://localhost/api/daily?symbol=AAPL&days=30"), ctx);
    const b = get(new Request("http://localhost/api/daily?symbol=MSFT&days=30"), ctx);
    await settle();
    expect(runs.map((r) => new URL(r.url).search)).toEqual(["?symbol=AAPL&days=30", "?symbol=MSFT&days=30"]);
    runs[1]!.end("msft");
    runs[0]!.end("aapl");
    expect(await (await a).json()).toBe("aapl");
    expect(await (await b).json()).toBe("msft");
  });

  it("answers every request that shared a failed run with the error's status", async () => {
    const { handler, runs } = controlledHandler();
    const get = withSharedApi(handler);
    const url = "http://localhost/api/snapshot?symbol=NOPE";
    const first = get(new Request(url), ctx);
    await settle();
    const second = get(new Request(url), ctx);
    const third = get(new Request(url), ctx);
    runs[0]!.fail(new ApiError("not_found", "unknown symbol NOPE"));
    expect((await first).status).toBe(404);
    await settle();
    runs[1]!.fail(new ApiError("not_found", "unknown symbol NOPE"));
    for (const answer of [await second, await third]) {
      expect(answer.status).toBe(404);
      expect(await answer.json()).toMatchObject({ error: { code: "not_found" } });
    }
    expect(runs).toHaveLength(2);
  });
});
