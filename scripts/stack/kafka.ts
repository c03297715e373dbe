import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import { probeKafka } from "@/lib/kafka/probe";
import { pollUntil, PollTimeoutError } from "@/lib/retry";

import { DATA_DIR, ROOT_DIR, TOOLS_DIR } from "./paths";
import {
  commandExists,
  isAlive,
  isLocalHost,
  isPortOpen,
  readPid,
  removePidFile,
  run,
  say,
  spawnDetached,
  StackError,
  stopProcessGroup,
  tailLog,
} from "./proc";

const MANIFEST = path.join(ROOT_DIR, "scripts/stack/kafka/pom.xml");
const LOG4J_CONFIG = path.join(ROOT_DIR, "scripts/stack/kafka/log4j2.properties");
/** A local broker: its process name (pid and log files) and data folder. Tests run extra ones. */
export type LocalBroker = { name: string; dir: string };
export const DEFAULT_BROKER: LocalBroker = { name: "kafka", dir: path.join(DATA_DIR, "kafka") };

export function parseBrokers(list: string): { host: string; port: number }[] {
  return list.split(",").map((entry) => {
    const [host, port] = entry.trim().split(/:(?=\d+$)/);
    return { host: host ?? "127.0.0.1", port: Number(port) };
  });
}

function kafkaVersion(): string {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(MANIFEST, "utf8"));
  if (!match?.[1]) throw new StackError(`no <kafka.version> in ${MANIFEST}`);
  return match[1];
}

/** Folder of the broker's jars for the manifest's version, resolved with Maven on first use. */
export function resolveKafkaJars(): string {
  const version = kafkaVersion();
  const libs = path.join(TOOLS_DIR, `kafka-${version}`, "libs");
  const marker = path.join(libs, ".complete");
  if (existsSync(marker)) return libs;
  if (!commandExists("mvn")) {
    throw new StackError(
      "No Kafka broker is reachable at KAFKA_BROKERS and Maven (mvn) is missing to fetch Apache Kafka's jars.\n" +
        "  Install Maven and a Java 17+ runtime (Debian/Ubuntu: sudo apt-get install maven openjdk-17-jre-headless),\n" +
        "  or set KAFKA_BROKERS to a running broker.",
    );
  }
  say(
    `Kafka: resolving Apache Kafka ${version} jars with Maven into ${path.relative(ROOT_DIR, libs)} (first run only)`,
  );
  rmSync(libs, { recursive: true, force: true });
  mkdirSync(libs, { recursive: true });
  run(
    "mvn",
    [
      "-q",
      "-B",
      "-f",
      MANIFEST,
      "dependency:copy-dependencies",
      `-DoutputDirectory=${libs}`,
      "-DincludeScope=runtime",
    ],
    {
      what: "mvn dependency:copy-dependencies (Kafka jars)",
    },
  );
  writeFileSync(marker, `${version}\n`);
  return libs;
}

function checkJava(): void {
  if (!commandExists("java")) {
    throw new StackError(
      "No Kafka broker is reachable at KAFKA_BROKERS and Java is missing to run one.\n" +
        "  Install a Java 17+ runtime (Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless), or set KAFKA_BROKERS.",
    );
  }
  const out = run("java", ["-version"]).stderr;
  const major = Number(/version "(\d+)/.exec(out)?.[1] ?? 0);
  if (major < 17)
    throw new StackError(`Kafka ${kafkaVersion()} needs Java 17 or newer; found: ${out.split("\n")[0]}`);
}

function writeServerProperties(broker: LocalBroker, host: string, port: number): string {
  const file = path.join(broker.dir, "server.properties");
  const controllerPort = port + 1;
  const props = [
    "# Written by scripts/stack/kafka.ts: a single-node KRaft broker for local use.",
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@${host}:${controllerPort}`,
    `listeners=PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://${host}:${port}`,
    "controller.listener.names=CONTROLLER",
    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
    `log.dirs=${path.join(broker.dir, "data")}`,
    "num.partitions=3",
    "auto.create.topics.enable=false",
    "offsets.topic.replication.factor=1",
    "offsets.topic.num.partitions=10",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "transaction.state.log.num.partitions=5",
    "share.coordinator.state.topic.replication.factor=1",
    "group.initial.rebalance.delay.ms=0",
    "log.retention.hours=168",
    "log.segment.bytes=268435456",
    "",
  ].join("\n");
  mkdirSync(broker.dir, { recursive: true });
  writeFileSync(file, props);
  return file;
}

async function isKafkaReady(brokers: string[]): Promise<boolean> {
  return (await probeKafka(brokers, [], 2_500)).ok;
}

export type KafkaHandle = { startedHere: boolean; pid?: number };

/**
 * Makes a broker available at `brokerList`: reuses one that answers; otherwise, for a local address,
 * runs a single-node Apache Kafka broker in KRaft mode from the official jars (resolved with Maven
 * once), storing its data under .data/kafka.
 */
export async function ensureKafka(
  brokerList: string,
  broker: LocalBroker = DEFAULT_BROKER,
): Promise<KafkaHandle> {
  const processName = broker.name;
  const brokers = parseBrokers(brokerList);
  const first = brokers[0]!;
  const addresses = brokers.map((b) => `${b.host}:${b.port}`);
  if (await isKafkaReady(addresses)) {
    say(`Kafka: using the broker at ${addresses.join(",")}`);
    return { startedHere: false };
  }
  if (readPid(processName)) {
    say("Kafka: the local broker is starting; waiting for it");
    await waitForKafka(addresses, readPid(processName)!, processName);
    return { startedHere: false };
  }
  if (brokers.length > 1 || !isLocalHost(first.host)) {
    throw new StackError(`Kafka at ${addresses.join(",")} is not reachable; start it or fix KAFKA_BROKERS.`);
  }
  if (await isPortOpen(first.host, first.port)) {
    throw new StackError(
      `Port ${first.port} is in use by something that is not a Kafka broker; free it or set KAFKA_BROKERS to another port.`,
    );
  }
  checkJava();
  const libs = resolveKafkaJars();
  const host = first.host === "localhost" || first.host === "0.0.0.0" ? "127.0.0.1" : first.host;
  const config = writeServerProperties(broker, host, first.port);
  const classpath = `${libs}/*`;
  if (!existsSync(path.join(broker.dir, "data", "meta.properties"))) {
    say("Kafka: formatting the KRaft storage (first run)");
    run(
      "java",
      [
        "-cp",
        classpath,
        "kafka.tools.StorageTool",
        "format",
        "-t",
        randomUUID().replace(/-/g, "").slice(0, 22),
        "-c",
        config,
        "--ignore-formatted",
      ],
      {
        what: "kafka-storage format",
      },
    );
  }
  say(`Kafka: starting a single-node KRaft broker on ${host}:${first.port}`);
  const heap = process.env.KAFKA_HEAP ?? "-Xms256m -Xmx768m";
  const pid = spawnDetached(processName, "java", [
    ...heap.split(" "),
    "-XX:+UseG1GC",
    "-Djava.awt.headless=true",
    `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
    `-Dkafka.logs.dir=${path.join(broker.dir, "logs")}`,
    "-cp",
    classpath,
    "kafka.Kafka",
    config,
  ]);
  try {
    await waitForKafka([`${host}:${first.port}`], pid, processName);
  } catch (error) {
    // A broker that never became ready is stopped here: no caller learns that this call started it.
    if (await stopLocalKafka(processName)) say("Kafka: local broker stopped");
    throw error;
  }
  return { startedHere: true, pid };
}

async function waitForKafka(addresses: string[], pid: number, processName: string): Promise<void> {
  const lastLines = () => `Last lines of .data/logs/${processName}.log:\n${tailLog(processName)}`;
  try {
    await pollUntil(
      async () => {
        if (await isKafkaReady(addresses)) return true;
        if (!isAlive(pid)) {
          removePidFile(processName);
          throw new StackError(`the Kafka broker exited during start-up. ${lastLines()}`);
        }
        return false;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: "the Kafka broker" },
    );
  } catch (error) {
    if (error instanceof PollTimeoutError)
      throw new StackError(`the Kafka broker did not answer within 90 s. ${lastLines()}`);
    throw error;
  }
}

/** Stops the broker this checkout started (controlled shutdown, then SIGKILL after 30 s). */
export async function stopLocalKafka(processName = DEFAULT_BROKER.name): Promise<boolean> {
  const pid = readPid(processName);
  if (!pid) return false;
  await stopProcessGroup(pid, 30_000);
  removePidFile(processName);
  return true;
}

export function isLocalKafkaRunning(name = DEFAULT_BROKER.name): boolean {
  return readPid(name) !== null;
}
