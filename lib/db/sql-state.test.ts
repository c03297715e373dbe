import { describe, expect, it } from "vitest";

/** An error as pg throws it for the server's answer: its SQLSTATE and severity (pg's DatabaseError). */
function serverError(message: string, code: string, options?: ErrorOptions): Error {
  return Object.assign(new Error(message, options), { code, severity: "ERROR" });
}

import { getSqlState, hasSqlState, SQL_STATE } from "@/lib/db/sql-state";

describe("getSqlState", () => {
  it("reads the code pg puts on its error", () => {
    expect(getSqlState(serverError("duplicate key", "23505"))).toBe("23505");
  });

  it("reads the code of the pg error that drizzle wrapped (its cause)", () => {
    const pgError = serverError("lock timeout", "55P03");
    expect(getSqlState(new Error("Failed query: select …", { cause: pgError }))).toBe("55P03");
  });

  it("prefers the error's own code to its cause's", () => {
    const cause = serverError("x", "23505");
    expect(getSqlState(serverError("y", "26000", { cause }))).toBe("26000");
  });

  it("is undefined for a system error, an error without a code, and things that are not errors", () => {
    expect(getSqlState(Object.assign(new Error("reset"), { code: "ECONNRESET" }))).toBeUndefined();
    // Five capitals like a SQLSTATE, but a socket's: and the server's code on its cause still counts.
    const epipe = Object.assign(new Error("write EPIPE"), { code: "EPIPE" });
    expect(getSqlState(epipe)).toBeUndefined();
    const wrapped = Object.assign(new Error("write EPIPE", { cause: serverError("dup", "23505") }), {
      code: "EPIPE",
    });
    expect(getSqlState(wrapped)).toBe("23505");
    expect(getSqlState(Object.assign(new Error("no severity"), { code: "23505" }))).toBeUndefined();
    expect(getSqlState(new Error("plain"))).toBeUndefined();
    expect(getSqlState(Object.assign(new Error("n"), { code: 23505, severity: "ERROR" }))).toBeUndefined();
    expect(getSqlState(null)).toBeUndefined();
    expect(getSqlState(undefined)).toBeUndefined();
    expect(getSqlState("23505")).toBeUndefined();
  });
});

describe("hasSqlState", () => {
  it("matches any of the states given, and only those", () => {
    const error = serverError("missing", "26000");
    expect(hasSqlState(error, SQL_STATE.invalidStatementName, SQL_STATE.duplicatePreparedStatement)).toBe(
      true,
    );
    expect(hasSqlState(error, SQL_STATE.uniqueViolation)).toBe(false);
    expect(hasSqlState(new Error("no code"), SQL_STATE.uniqueViolation)).toBe(false);
  });
});
