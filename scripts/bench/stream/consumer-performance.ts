import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import type { KafkaConnection } from "@/lib/kafka/connection";
import { kafkaVersion } from "@/scripts/stack/kafka";
import { ROOT_DIR, TOOLS_DIR } from "@/scripts/stack/paths";
import { commandExists, run, say, StackError } from "@/scripts/stack/proc";

import { watchProcesses } from "./process-usage";

const MANIFEST = path.join(ROOT_DIR, "scripts/bench/stream/kafka-tools.pom.xml");
const LOG4J_CONFIG = path.join(ROOT_DIR, "scripts/stack/kafka/log4j2.properties");

/** What ConsumerPerformance printed, and what the run cost its JVM. */
export type ConsumerPerformanceResult = {
  messages: number;
  /** Messages per second over the whole run, group join included. */
  eventsPerSecond: number;
  /** Messages per second over the fetch time only (join and rebalance excluded). */
  fetchEventsPerSecond: number;
  megabytesPerSecond: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
};

/**
 * The figures of ConsumerPerformance's summary (a header line of comma-separated names, then one line
 * of values), by name. Throws when the output has no such pair of lines.
 */
export function parseConsumerPerformance(stdout: string): Record<string, number> {
  const lines = stdout.split("\n").map((l) => l.trim());
  const header = lines.findIndex((l) => l.startsWith("start.time"));
  const values = lines[header + 1];
  if (header < 0 || !values)
    throw new Error(`no summary in ConsumerPerformance's output:\n${stdout.slice(-2000)}`);
  const names = lines[header]!.split(",").map((s) => s.trim());
  const cells = values.split(",").map((s) => s.trim());
  return Object.fromEntries(names.map((name, i) => [name, Number(cells[i])]));
}

/** Folder of Kafka's tool jars (the broker's version), resolved with Maven on first use like the broker's. */
export function resolveKafkaToolsJars(): string {
  const version = kafkaVersion();
  const libs = path.join(TOOLS_DIR, `kafka-tools-${version}`, "libs");
  const marker = path.join(libs, ".complete");
  if (existsSync(marker)) return libs;
  if (!commandExists("mvn") || !commandExists("java"))
    throw new StackError("Kafka's ConsumerPerformance needs Maven (mvn) and a Java 17+ runtime.");
  say(
    `bench: resolving Apache Kafka ${version} tools with Maven into ${path.relative(ROOT_DIR, libs)} (first run only)`,
  );
  rmSync(libs, { recursive: true, force: true });
  mkdirSync(libs, { recursive: true });
  run("mvn", [
    "-q",
    "-B",
    "-f",
    MANIFEST,
    "dependency:copy-dependencies",
    `-DoutputDirectory=${libs}`,
    "-DincludeScope=runtime",
    `-Dkafka.version=${version}`,
  ]);
  writeFileSync(marker, `${version}\n`);
  return libs;
}

/** A consumer.config for `connection` (SASL user and TLS as the Node clients use them). */
export function toConsumerProperties(connection: KafkaConnection, caFile: string | null): string {
  const transport = connection.ssl ? "SSL" : "PLAINTEXT";
  const lines = [`security.protocol=${connection.sasl ? `SASL_${transport}` : transport}`];
  if (connection.sasl) {
    const { mechanism, username, password } = connection.sasl;
    const loginModule =
      mechanism === "plain"
        ? "org.apache.kafka.common.security.plain.PlainLoginModule"
        : "org.apache.kafka.common.security.scram.ScramLoginModule";
    lines.push(
      `sasl.mechanism=${mechanism.toUpperCase()}`,
      `sasl.jaas.config=${loginModule} required username="${username}" password="${password}";`,
    );
  }
  if (caFile) lines.push("ssl.truststore.type=PEM", `ssl.truststore.location=${caFile}`);
  return `${lines.join("\n")}\n`;
}

/**
 * Kafka's own consumer reading `messages` messages of `topic` from the start, in a group of its own:
 * the read-only ceiling of this broker and machine. The properties file holds a password, so it lives
 * in a private temporary folder removed afterwards.
 */
export async function runConsumerPerformance(options: {
  connection: KafkaConnection;
  topic: string;
  messages: number;
  groupId: string;
}): Promise<ConsumerPerformanceResult> {
  const libs = resolveKafkaToolsJars();
  const dir = mkdtempSync(path.join(tmpdir(), "tickstream-bench-"));
  try {
    const caFile = options.connection.ssl?.ca ? path.join(dir, "ca.pem") : null;
    if (caFile) writeFileSync(caFile, options.connection.ssl!.ca!, { mode: 0o600 });
    const config = path.join(dir, "consumer.properties");
    writeFileSync(config, toConsumerProperties(options.connection, caFile), { mode: 0o600 });
    const child = spawn(
      "java",
      [
        "-Xmx512m",
        "-XX:+UseG1GC",
        `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
        "-cp",
        `${libs}/*`,
        "org.apache.kafka.tools.ConsumerPerformance",
        "--bootstrap-server",
        options.connection.brokers.join(","),
        "--topic",
        options.topic,
        "--messages",
        String(options.messages),
        "--group",
        options.groupId,
        "--consumer.config",
        config,
        "--timeout",
        "30000",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const usage = watchProcesses(100);
    if (child.pid) usage.add(child.pid);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    const used = child.pid ? usage.read(child.pid) : null;
    usage.stop();
    if (code !== 0)
      throw new Error(`ConsumerPerformance exited ${code}:\n${(stderr || stdout).slice(-2000)}`);
    const figures = parseConsumerPerformance(stdout);
    const messages = figures["data.consumed.in.nMsg"] ?? 0;
    if (messages < options.messages)
      throw new Error(`ConsumerPerformance read ${messages} of ${options.messages} messages (timed out?)`);
    return {
      messages,
      eventsPerSecond: figures["nMsg.sec"] ?? 0,
      fetchEventsPerSecond: figures["fetch.nMsg.sec"] ?? 0,
      megabytesPerSecond: figures["MB.sec"] ?? 0,
      seconds: messages / (figures["nMsg.sec"] || 1),
      cpuSeconds: used?.cpuSeconds ?? 0,
      peakRssMiB: used?.peakRssMiB ?? 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
