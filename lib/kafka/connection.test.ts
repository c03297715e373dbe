import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { InvalidEnvError, parseEnv } from "@/lib/env";
import { getKafkaConnection, withKafkaUser } from "@/lib/kafka/connection";

const connect = (vars: Record<string, string>) => getKafkaConnection(parseEnv(vars));

describe("getKafkaConnection", () => {
  it("is anonymous and plaintext when nothing is configured", () => {
    expect(connect({})).toEqual({ brokers: ["127.0.0.1:9092"], sasl: null, ssl: null });
  });

  it("carries the mechanism, user and password together", () => {
    const connection = connect({
      KAFKA_BROKERS: "a:9092,b:9092",
      KAFKA_SASL_MECHANISM: "scram-sha-512",
      KAFKA_USERNAME: "tickstream-stream",
      KAFKA_PASSWORD: "secret",
    });
    expect(connection).toEqual({
      brokers: ["a:9092", "b:9092"],
      sasl: { mechanism: "scram-sha-512", username: "tickstream-stream", password: "secret" },
      ssl: null,
    });
  });

  it("refuses a user without a mechanism, and a mechanism without a password", () => {
    expect(() => connect({ KAFKA_USERNAME: "u", KAFKA_PASSWORD: "p" })).toThrow(/KAFKA_SASL_MECHANISM/);
    expect(() => connect({ KAFKA_SASL_MECHANISM: "scram-sha-256", KAFKA_USERNAME: "u" })).toThrow(
      InvalidEnvError,
    );
  });

  it("refuses a mechanism Kafka clients here do not speak", () => {
    expect(() => parseEnv({ KAFKA_SASL_MECHANISM: "gssapi" })).toThrow(/KAFKA_SASL_MECHANISM/);
  });

  it("reads the CA file for TLS, and refuses one without TLS or one that cannot be read", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "kafka-ca-"));
    const ca = path.join(dir, "ca.pem");
    writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n");
    expect(connect({ KAFKA_SSL: "true", KAFKA_SSL_CA_FILE: ca }).ssl).toEqual({
      ca: expect.stringContaining("BEGIN CERTIFICATE") as unknown,
    });
    expect(connect({ KAFKA_SSL: "true" }).ssl).toEqual({});
    expect(() => connect({ KAFKA_SSL_CA_FILE: ca })).toThrow(/KAFKA_SSL=true/);
    expect(() => connect({ KAFKA_SSL: "true", KAFKA_SSL_CA_FILE: path.join(dir, "missing.pem") })).toThrow(
      /KAFKA_SSL_CA_FILE: cannot read/,
    );
  });

  it("switches user without touching brokers or TLS", () => {
    const base = connect({ KAFKA_SSL: "true" });
    const sasl = { mechanism: "plain" as const, username: "u", password: "p" };
    expect(withKafkaUser(base, sasl)).toEqual({ ...base, sasl });
    expect(withKafkaUser({ ...base, sasl }, null).sasl).toBeNull();
  });
});
