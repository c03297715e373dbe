import { describe, expect, it } from "vitest";

import { InvalidEnvError, parseEnv } from "@/lib/env";

describe("parseEnv", () => {
  it("leaves the record it reads as it was, empty variables included", () => {
    const source = { LOG_LEVEL: "", PORT: "3001", BENCH_STREAM_WORKER_FLAGS: "" };
    expect(parseEnv(source).LOG_LEVEL).toBe("info");
    expect(source).toEqual({ LOG_LEVEL: "", PORT: "3001", BENCH_STREAM_WORKER_FLAGS: "" });
  });

  it("has defaults that run locally", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBe("postgres://tickstream_app@127.0.0.1:55432/tickstream");
    expect(env.KAFKA_BROKERS).toBe("127.0.0.1:9092");
    expect(env.INGEST_SOURCE).toBe("replay");
    expect(env.KPI_WINDOWS).toEqual([5, 15, 60]);
    expect(env.DEFAULT_SYMBOLS).toContain("AAPL");
  });

  it("ships no usable password: the database URL has none, the BI role's is unset", () => {
    const env = parseEnv({});
    expect(new URL(env.DATABASE_URL).password).toBe("");
    expect(env.DATABASE_OWNER_URL).toBeUndefined();
    expect(env.BI_READONLY_PASSWORD).toBeUndefined();
  });

  it("parses lists and numbers", () => {
    const env = parseEnv({ KPI_WINDOWS: "1, 30", DEFAULT_SYMBOLS: "aapl brk-b", PORT: "3100" });
    expect(env.KPI_WINDOWS).toEqual([1, 30]);
    expect(env.DEFAULT_SYMBOLS).toEqual(["AAPL", "BRK-B"]);
    expect(env.PORT).toBe(3100);
  });

  it("stops with the variable's name, the problem and where to fix it", () => {
    const error = (() => {
      try {
        parseEnv({ DATABASE_URL: "mysql://x", PORT: "99999", INGEST_SOURCE: "bloomberg" });
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(InvalidEnvError);
    expect(error?.message).toMatch(/DATABASE_URL: must start with postgres:\/\//);
    expect(error?.message).toMatch(/PORT: .*got "99999"/);
    expect(error?.message).toMatch(/INGEST_SOURCE/);
    expect(error?.message).toMatch(/\.env\.example/);
  });

  it("rejects unknown symbols by default, with a registration limit and a bounded stream cache", () => {
    const env = parseEnv({});
    expect(env.UNKNOWN_SYMBOLS).toBe("reject");
    expect(env.MAX_REGISTERED_SYMBOLS).toBe(1_000);
    expect(env.STREAM_MAX_CACHED_SYMBOLS).toBe(20_000);
    expect(env.STREAM_MAX_CACHED_BARS).toBe(2_000_000);
    const opted = parseEnv({ UNKNOWN_SYMBOLS: "register", MAX_REGISTERED_SYMBOLS: "50" });
    expect(opted.UNKNOWN_SYMBOLS).toBe("register");
    expect(opted.MAX_REGISTERED_SYMBOLS).toBe(50);
    expect(() => parseEnv({ UNKNOWN_SYMBOLS: "accept" })).toThrow(/UNKNOWN_SYMBOLS/);
    expect(() => parseEnv({ MAX_REGISTERED_SYMBOLS: "0" })).toThrow(/MAX_REGISTERED_SYMBOLS/);
    expect(() => parseEnv({ STREAM_MAX_CACHED_SYMBOLS: "-1" })).toThrow(/STREAM_MAX_CACHED_SYMBOLS/);
    expect(() => parseEnv({ STREAM_MAX_CACHED_BARS: "10" })).toThrow(/STREAM_MAX_CACHED_BARS/);
  });

  it("bounds the stream worker's batches by a fetch size of 2 MiB unless set, never below 1 KiB", () => {
    expect(parseEnv({}).STREAM_FETCH_MAX_BYTES).toBe(2_097_152);
    expect(parseEnv({ STREAM_FETCH_MAX_BYTES: "16384" }).STREAM_FETCH_MAX_BYTES).toBe(16_384);
    expect(() => parseEnv({ STREAM_FETCH_MAX_BYTES: "512" })).toThrow(/STREAM_FETCH_MAX_BYTES/);
    expect(() => parseEnv({ STREAM_FETCH_MAX_BYTES: "1.5" })).toThrow(/STREAM_FETCH_MAX_BYTES/);
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ PORT: "" }).PORT).toBe(3000);
  });
});
