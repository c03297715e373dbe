import { describe, expect, it } from "vitest";

import { parseConsumerPerformance, toConsumerProperties } from "./consumer-performance";

describe("parseConsumerPerformance", () => {
  it("reads the summary line by the names of its header", () => {
    const stdout = [
      "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec",
      "2026-11-30 15:10:01:123, 2026-11-30 15:10:02:623, 22.1, 14.7, 110000, 73333.3, 1070, 430, 51.4, 255813.9",
      "",
    ].join("\n");
    expect(parseConsumerPerformance(stdout)).toMatchObject({
      "data.consumed.in.nMsg": 110_000,
      "nMsg.sec": 73_333.3,
      "fetch.nMsg.sec": 255_813.9,
      "MB.sec": 14.7,
    });
  });

  it("throws when there is no summary (the tool failed)", () => {
    expect(() => parseConsumerPerformance("WARN something\n")).toThrow(/no summary/);
  });
});

describe("toConsumerProperties", () => {
  it("logs in with the connection's SCRAM user", () => {
    const text = toConsumerProperties(
      {
        brokers: ["127.0.0.1:9092"],
        sasl: { mechanism: "scram-sha-512", username: "u", password: "p" },
        ssl: null,
      },
      null,
    );
    expect(text).toContain("security.protocol=SASL_PLAINTEXT\n");
    expect(text).toContain("sasl.mechanism=SCRAM-SHA-512\n");
    expect(text).toContain('ScramLoginModule required username="u" password="p";');
  });

  it("uses TLS with a PEM trust file and no SASL when the connection has no user", () => {
    const text = toConsumerProperties({ brokers: ["b:9093"], sasl: null, ssl: { ca: "x" } }, "/tmp/ca.pem");
    expect(text).toBe(
      "security.protocol=SSL\nssl.truststore.type=PEM\nssl.truststore.location=/tmp/ca.pem\n",
    );
  });
});
