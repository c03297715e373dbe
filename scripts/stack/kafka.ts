import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import type { Env } from "@/lib/env";
import type { KafkaConnection, KafkaConnectionEnv } from "@/lib/kafka/connection";
import { probeKafka } from "@/lib/kafka/probe";
import { pollUntil, PollTimeoutError } from "@/lib/retry";

import {
  addScramUsers,
  listScramUsers,
  LOG4J_CONFIG,
  SCRAM,
  writeServerProperties,
} from "./kafka-broker-config";
import {
  connectAs,
  generateKafkaCredentials,
  getConfiguredConnection,
  readKafkaCredentials,
  writeKafkaCredentials,
  type KafkaCredentials,
} from "./kafka-credentials";
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
import { isPortFree } from "./ports";

const MANIFEST = path.join(ROOT_DIR, "scripts/stack/kafka/pom.xml");
/** A local broker: its process name (pid and log files) and data folder. Tests run extra ones. */
export type LocalBroker = { name: string; dir: string };
export const DEFAULT_BROKER: LocalBroker = { name: "kafka", dir: path.join(DATA_DIR, "kafka") };

export function parseBrokers(list: string): { host: string; port: number }[] {
  return list.split(",").map((entry) => {
    const [host, port] = entry.trim().split(/:(?=\d+$)/);
    return { host: host ?? "127.0.0.1", port: Number(port) };
  });
}

export function kafkaVersion(): string {
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

/** The local broker's users, generated when its storage is formatted (owner-only file). */
export function getCredentialsFile(broker: LocalBroker): string {
  return path.join(broker.dir, "credentials.json");
}

function spawnBroker(broker: LocalBroker, classpath: string, config: string): number {
  const heap = process.env.KAFKA_HEAP ?? "-Xms256m -Xmx768m";
  return spawnDetached(broker.name, "java", [
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
}

async function isKafkaReady(connection: KafkaConnection): Promise<boolean> {
  return (await probeKafka(connection, [], 2_500)).ok;
}

/**
 * `credentials`: the users to connect as (the local broker's, or KAFKA_CREDENTIALS_FILE's; null when
 * the configuration names one user for everything, or none). `admin`: the stack scripts' connection.
 */
export type KafkaHandle = {
  startedHere: boolean;
  pid?: number;
  credentials: KafkaCredentials | null;
  admin: KafkaConnection;
};

export type StackKafkaEnv = KafkaConnectionEnv & Pick<Env, "KAFKA_CREDENTIALS_FILE">;

/**
 * Whom the stack connects as: the users of KAFKA_CREDENTIALS_FILE, else (for a local address and no
 * security configured by hand) the local broker's generated users, else the configuration as it is.
 */
function resolveKafkaAccess(env: StackKafkaEnv, broker: LocalBroker) {
  const configured = getConfiguredConnection(env);
  const brokers = parseBrokers(env.KAFKA_BROKERS);
  const isLocal = brokers.length === 1 && isLocalHost(brokers[0]!.host);
  const hasOwnSecurity = Boolean(
    configured.credentials ?? configured.connection.sasl ?? configured.connection.ssl,
  );
  const stored = isLocal && !hasOwnSecurity ? readKafkaCredentials(getCredentialsFile(broker)) : null;
  const credentials = configured.credentials ?? stored;
  const admin = connectAs(configured.connection, credentials, "admin");
  return { configured, isLocal, hasOwnSecurity, stored, credentials, admin };
}

/** The stack's users and admin connection for KAFKA_BROKERS, without starting anything. */
export function getKafkaAccess(
  env: StackKafkaEnv,
  broker: LocalBroker = DEFAULT_BROKER,
): { credentials: KafkaCredentials | null; admin: KafkaConnection } {
  const { credentials, admin } = resolveKafkaAccess(env, broker);
  return { credentials, admin };
}

/**
 * Makes a broker available at KAFKA_BROKERS: reuses one that answers; otherwise, for a local address,
 * runs a single-node Apache Kafka broker in KRaft mode from the official jars (resolved with Maven
 * once), storing its data under .data/kafka, with SCRAM users generated when its storage is formatted.
 */
export async function ensureKafka(
  env: StackKafkaEnv,
  broker: LocalBroker = DEFAULT_BROKER,
): Promise<KafkaHandle> {
  const processName = broker.name;
  const { configured, isLocal, hasOwnSecurity, stored, credentials, admin } = resolveKafkaAccess(env, broker);
  const brokers = parseBrokers(env.KAFKA_BROKERS);
  const first = brokers[0]!;
  const addresses = brokers.map((b) => `${b.host}:${b.port}`);
  if (await isKafkaReady(admin)) {
    say(`Kafka: using the broker at ${addresses.join(",")}`);
    return { startedHere: false, credentials, admin };
  }
  if (readPid(processName)) {
    say("Kafka: the local broker is starting; waiting for it");
    await waitForKafka(admin, readPid(processName)!, processName);
    return { startedHere: false, credentials, admin };
  }
  if (!isLocal || hasOwnSecurity) {
    throw new StackError(
      `Kafka at ${addresses.join(",")} is not reachable with the configured credentials; start it or fix KAFKA_BROKERS` +
        " (and KAFKA_SASL_MECHANISM, KAFKA_USERNAME, KAFKA_PASSWORD, KAFKA_SSL or KAFKA_CREDENTIALS_FILE).",
    );
  }
  if (await isPortOpen(first.host, first.port)) {
    throw new StackError(
      `Port ${first.port} is in use by something that does not answer as this checkout's Kafka broker (with the users in ${path.relative(ROOT_DIR, getCredentialsFile(broker))});` +
        " stop it, or set KAFKA_BROKERS to another port.",
    );
  }
  const host = first.host === "localhost" || first.host === "0.0.0.0" ? "127.0.0.1" : first.host;
  // The controller listens on the next port (kafka-broker-config.ts): a clear error here instead of a
  // BindException in the broker's log. A bind probe: a connection's local port blocks the bind too.
  if (first.port >= 65_535 || !(await isPortFree(first.port + 1, host))) {
    throw new StackError(
      `Port ${first.port + 1} is in use: the local Kafka broker's controller listens on the port after ${first.port};` +
        " stop what uses it, or set KAFKA_BROKERS to another port.",
    );
  }
  checkJava();
  const libs = resolveKafkaJars();
  const classpath = `${libs}/*`;
  const isFormatted = existsSync(path.join(broker.dir, "data", "meta.properties"));
  const local = stored ?? generateKafkaCredentials();
  const config = writeServerProperties(broker, host, first.port, local);
  if (!isFormatted) {
    writeKafkaCredentials(getCredentialsFile(broker), local);
    say(
      `Kafka: formatting the KRaft storage with new SCRAM users (first run; passwords in ${path.relative(ROOT_DIR, getCredentialsFile(broker))})`,
    );
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
        ...listScramUsers(local).flatMap((user) => [
          "--add-scram",
          `${SCRAM}=[name=${user.username},password=${user.password}]`,
        ]),
      ],
      {
        what: "kafka-storage format",
      },
    );
  }
  if (!stored && isFormatted) {
    say("Kafka: this broker's storage predates its users; adding them (topics and offsets are kept)");
    const upgrading = spawnBroker(
      broker,
      classpath,
      writeServerProperties(broker, host, first.port, local, true),
    );
    await addScramUsers(classpath, broker, `${host}:${first.port}`, local, upgrading);
    await stopProcessGroup(upgrading, 30_000);
    removePidFile(processName);
    writeServerProperties(broker, host, first.port, local);
  }
  // Written once the users exist: an upgrade cut short starts over with new passwords next time.
  if (!stored) writeKafkaCredentials(getCredentialsFile(broker), local);
  say(`Kafka: starting a single-node KRaft broker on ${host}:${first.port} (SASL/SCRAM, ACLs)`);
  const pid = spawnBroker(broker, classpath, config);
  const localAdmin = connectAs(configured.connection, local, "admin");
  try {
    await waitForKafka(localAdmin, pid, processName);
  } catch (error) {
    // A broker that never became ready is stopped here: no caller learns that this call started it.
    if (await stopLocalKafka(processName)) say("Kafka: local broker stopped");
    throw error;
  }
  return { startedHere: true, pid, credentials: local, admin: localAdmin };
}

async function waitForKafka(connection: KafkaConnection, pid: number, processName: string): Promise<void> {
  const lastLines = () => `Last lines of .data/logs/${processName}.log:\n${tailLog(processName)}`;
  try {
    await pollUntil(
      async () => {
        if (await isKafkaReady(connection)) return true;
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
