import { describe, expect, it } from "vitest";

import { getSqlState, hasSqlState, SQL_STATE } from "@/lib/db/sql-state";

describe("getSqlState", () => {
  it("reads the code pg puts on its error", () => {
    expect(getSqlState(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe("23505");
  });

  it("reads the code of the pg error that drizzle wrapped (its cause)", () => {
    const pgError = Object.assign(new Error("lock timeout"), { code: "55P03" });
    expect(getSqlState(new Error("Failed query: select …", { cause: pgError }))).toBe("55P03");
  });

  it("prefers the error's own code to its cause's", () => {
    const cause = Object.assign(new Error("x"), { code: "23505" });
    expect(getSqlState(Object.assign(new Error("y", { cause }), { code: "26000" }))).toBe("26000");
  });

  it("is undefined for a system error, an error without a code, and things that are not errors", () => {
    expect(getSqlState(Object.assign(new Error("reset"), { code: "ECONNRESET" }))).toBeUndefined();
    expect(getSqlState(new Error("plain"))).toBeUndefined();
    expect(getSqlState(Object.assign(new Error("n"), { code: 23505 }))).toBeUndefined();
    expect(getSqlState(null)).toBeUndefined();
    expect(getSqlState(undefined)).toBeUndefined();
    expect(getSqlState("23505")).toBeUndefined();
  });
});

describe("hasSqlState", () => {
  it("matches any of the states given, and only those", () => {
    const error = Object.assign(new Error("missing"), { code: "26000" });
    expect(hasSqlState(error, SQL_STATE.invalidStatementName, SQL_STATE.duplicatePreparedStatement)).toBe(
      true,
    );
    expect(hasSqlState(error, SQL_STATE.uniqueViolation)).toBe(false);
    expect(hasSqlState(new Error("no code"), SQL_STATE.uniqueViolation)).toBe(false);
  });
});
