/**
 * PostgreSQL's error codes (SQLSTATE) this project acts on, and the one way it reads them from an error:
 * pg puts the code on the error it throws for the server's answer (a DatabaseError, which also carries
 * the answer's `severity`), drizzle wraps that error in one of its own (the code then on its `cause`),
 * and a system error's code ("ECONNRESET", "EPIPE") is not a SQLSTATE however it looks.
 */
export const SQL_STATE = {
  uniqueViolation: "23505",
  lockNotAvailable: "55P03",
  invalidStatementName: "26000",
  duplicatePreparedStatement: "42P05",
  duplicateDatabase: "42P04",
  invalidCatalogName: "3D000",
  cannotConnectNow: "57P03",
  invalidPassword: "28P01",
  invalidAuthorization: "28000",
} as const;

export type SqlState = (typeof SQL_STATE)[keyof typeof SQL_STATE];

const SQLSTATE_SHAPE = /^[0-9A-Z]{5}$/;

function ownSqlState(error: unknown): string | undefined {
  const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown };
  return typeof severity === "string" && typeof code === "string" && SQLSTATE_SHAPE.test(code)
    ? code
    : undefined;
}

/** The SQLSTATE of a PostgreSQL error, as pg or drizzle reports it; undefined for any other error. */
export function getSqlState(error: unknown): string | undefined {
  return ownSqlState(error) ?? ownSqlState((error as { cause?: unknown } | null | undefined)?.cause);
}

/** Whether PostgreSQL answered `error` with one of `states`. */
export function hasSqlState(error: unknown, ...states: readonly SqlState[]): boolean {
  const state = getSqlState(error);
  return state !== undefined && (states as readonly string[]).includes(state);
}
