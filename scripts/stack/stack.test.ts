import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { parseBrokers } from "./kafka";
import { DATA_DIR, LOG_DIR } from "./paths";
import { findPostgresBinDir, getClusterLogFile, parseDatabaseUrl } from "./postgres";
import { StackError } from "./proc";

describe("local stack settings", () => {
  const saved = process.env.PG_BIN_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.PG_BIN_DIR;
    else process.env.PG_BIN_DIR = saved;
  });

  it("reads DATABASE_URL into the parts a private cluster needs", () => {
    expect(parseDatabaseUrl("postgres://tick%40:p%2Fw@127.0.0.1:55432/tickstream")).toEqual({
      host: "127.0.0.1",
      port: 55432,
      user: "tick@",
      password: "p/w",
      database: "tickstream",
    });
    expect(parseDatabaseUrl("postgresql://u@db.example.com/x").port).toBe(5432);
  });

  it("reads KAFKA_BROKERS", () => {
    expect(parseBrokers("127.0.0.1:9092, kafka:29092")).toEqual([
      { host: "127.0.0.1", port: 9092 },
      { host: "kafka", port: 29092 },
    ]);
  });

  it("says which variable is wrong when PG_BIN_DIR has no PostgreSQL binaries", () => {
    process.env.PG_BIN_DIR = "/nonexistent/bin";
    expect(() => findPostgresBinDir()).toThrow(StackError);
    expect(() => findPostgresBinDir()).toThrow(/PG_BIN_DIR=\/nonexistent\/bin has no pg_ctl/);
  });
});

describe("the private cluster's server log", () => {
  it("stays in .data/logs while the cluster lives in the checkout", () => {
    expect(getClusterLogFile(path.join(DATA_DIR, "postgres"))).toBe(path.join(LOG_DIR, "postgres.log"));
  });

  it("moves beside the cluster when the cluster had to leave the checkout (root, checkout not traversable)", () => {
    expect(getClusterLogFile("/var/tmp/tickstream-0123456789/postgres")).toBe(
      "/var/tmp/tickstream-0123456789/postgres.log",
    );
  });
});
