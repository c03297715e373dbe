import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import {
  connectAs,
  generateKafkaCredentials,
  getKafkaRoleEnv,
  readKafkaCredentials,
  writeKafkaCredentials,
} from "./kafka-credentials";
import { StackError } from "./proc";

describe("Kafka credentials of the local broker", () => {
  it("gives every process its own user with a fresh random password", () => {
    const a = generateKafkaCredentials();
    const b = generateKafkaCredentials();
    const names = Object.values(a.users).map((u) => u.username);
    expect(new Set(names).size).toBe(4);
    expect(a.users.stream.password).not.toBe(b.users.stream.password);
    // Passwords go into JAAS and kafka-configs syntax unquoted-safe.
    for (const user of [...Object.values(a.users), a.controller!])
      expect(user.password).toMatch(/^[\w-]{32}$/);
  });

  it("stores them readable by the owner only, in a folder only the owner enters", () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "kafka-cred-")), "kafka");
    const file = path.join(dir, "credentials.json");
    const credentials = generateKafkaCredentials();
    writeKafkaCredentials(file, credentials);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readKafkaCredentials(file)).toEqual(credentials);
    expect(readKafkaCredentials(path.join(dir, "missing.json"))).toBeNull();
  });

  it("refuses a file of another shape instead of connecting anonymously", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "kafka-cred-")), "credentials.json");
    writeFileSync(file, JSON.stringify({ mechanism: "scram-sha-512", users: { admin: { username: "a" } } }));
    expect(() => readKafkaCredentials(file)).toThrow(StackError);
  });

  it("turns a role into its connection and its environment", () => {
    const credentials = generateKafkaCredentials();
    const base = { brokers: ["127.0.0.1:9092"], sasl: null, ssl: null };
    expect(connectAs(base, credentials, "web").sasl).toEqual({
      mechanism: "scram-sha-512",
      ...credentials.users.web,
    });
    expect(connectAs(base, null, "web")).toBe(base);
    expect(getKafkaRoleEnv(credentials, "ingest")).toEqual({
      KAFKA_SASL_MECHANISM: "scram-sha-512",
      KAFKA_USERNAME: credentials.users.ingest.username,
      KAFKA_PASSWORD: credentials.users.ingest.password,
    });
    expect(getKafkaRoleEnv(null, "ingest")).toEqual({});
  });
});
