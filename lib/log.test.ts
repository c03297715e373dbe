import { describe, expect, it } from "vitest";

import { describeError } from "@/lib/log";

describe("describeError", () => {
  it("gives a failed query's cause on one line, without the SQL text and its parameter values", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:55432"), { code: "ECONNREFUSED" });
    const wrapped = new Error('Failed query: insert into "worker_heartbeats" values ($1)\nparams: secret', {
      cause,
    });
    expect(describeError(wrapped)).toBe("query failed: connect ECONNREFUSED 127.0.0.1:55432");
  });

  it("keeps other errors' own message, and names non-errors", () => {
    expect(describeError(new Error("boom", { cause: new Error("inner") }))).toBe("boom");
    expect(describeError("text")).toBe("text");
    expect(describeError({ code: 1 })).toBe('{"code":1}');
  });
});
