// `npm run test:faults`: the product as `npm start` runs it, on a private PostgreSQL and Kafka of its
// own (data under .data/faults, free ports), fed a fixed recorded data set while workers, Kafka and
// PostgreSQL are killed or stopped and malformed events pour in. Afterwards the KPI tables must equal an
// independent computation, the dead letters must be exactly the bad events, and memory must have stayed
// under its bound; a table prints each fault and its recovery time. Exits 1 when a check fails.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findFreePortPair } from "@/scripts/stack/ports";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dataDir = path.resolve(process.env.FAULTS_DATA_DIR ?? path.join(ROOT, ".data", "faults"));

// Ports apart from the defaults (55432, 9092, 3000), so that a stack already running on this machine is
// never touched, and below the ephemeral range, so that no outgoing connection takes one between this
// choice and the bind seconds later; the stack modules read TICKSTREAM_DATA_DIR when they load, hence
// the late import.
const pgPort = await findFreePortPair(26_500);
const kafkaPort = await findFreePortPair(pgPort + 2);
const webPort = await findFreePortPair(kafkaPort + 2);
mkdirSync(dataDir, { recursive: true });
const productEnv = {
  TICKSTREAM_DATA_DIR: dataDir,
  // A database of this run's own: run as root in a checkout the `postgres` user cannot enter, the
  // private cluster lives outside the checkout (scripts/stack/postgres.ts) and outlives this folder.
  DATABASE_URL: `postgres://tickstream:tickstream@127.0.0.1:${pgPort}/faults_${Math.floor(Date.now() / 1000)}`,
  // The suite's own cluster is created with this superuser, which its checks also use; the product's
  // least-privilege roles are covered by the integration and e2e tests, so here it is only logged.
  DATABASE_PRIVILEGE_CHECK: "warn",
  KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
  PORT: String(webPort),
  INGEST_METRICS_PORT: "0",
  STREAM_METRICS_PORT: "0",
  ADMIN_PASSWORD: "faults-suite-password",
  // The product's own replay follows one symbol from now on (no backfill): the ingest worker runs and
  // is killed like in production, while the suite's data set is the only history the checks look at.
  DEFAULT_SYMBOLS: "SPY",
  REPLAY_BACKFILL_DAYS: "0",
};
Object.assign(process.env, productEnv);

const { runFaultSuite } = await import("./suite");
const code = await runFaultSuite({ root: ROOT, dataDir, productEnv });
// A feed or a client still retrying after a failed run must not keep the process alive.
process.exit(code);
