// The local stack from the command line: `tsx scripts/stack/cli.ts up|down|status|topics`.
// `up` starts (or reuses) PostgreSQL and Kafka, creates the topics, migrates, and leaves them running.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

import { getEnv, InvalidEnvError } from "@/lib/env";
import { probeKafka } from "@/lib/kafka/probe";

import { loadEnvFiles } from "./env-file";
import { bringDownInfra, bringUpInfra, topicSpecs } from "./infra";
import { getKafkaAccess, isLocalKafkaRunning } from "./kafka";
import { isPrivatePostgresRunning } from "./postgres";
import { say, StackError } from "./proc";

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main(command: string | undefined): Promise<void> {
  loadEnvFiles();
  const env = getEnv();
  switch (command) {
    case "up": {
      // --state FILE records what this call started, so that `down --state FILE` stops only that.
      const infra = await bringUpInfra(env);
      const stateFile = flag("--state");
      if (stateFile)
        writeFileSync(
          stateFile,
          JSON.stringify({ kafka: infra.kafka.startedHere, postgres: infra.postgres.startedHere }),
        );
      say("stack is up");
      return;
    }
    case "down": {
      const stateFile = flag("--state");
      const which =
        stateFile && existsSync(stateFile)
          ? (JSON.parse(readFileSync(stateFile, "utf8")) as { kafka: boolean; postgres: boolean })
          : { kafka: true, postgres: true };
      await bringDownInfra(which);
      return;
    }
    case "status": {
      say(`private PostgreSQL cluster: ${isPrivatePostgresRunning() ? "running" : "not running"}`);
      say(`local Kafka broker: ${isLocalKafkaRunning() ? "running" : "not running"}`);
      return;
    }
    case "topics": {
      const probe = await probeKafka(
        getKafkaAccess(env).admin,
        topicSpecs(env).map((t) => t.topic),
      );
      if (!probe.ok) throw new StackError(`Kafka at ${env.KAFKA_BROKERS} is not reachable: ${probe.error}`);
      for (const t of probe.topics)
        console.log(`${t.topic}\tpartitions=${t.partitions}${t.partitions === 0 ? "\t(missing)" : ""}`);
      return;
    }
    default:
      throw new StackError("usage: stack up [--state FILE] | down [--state FILE] | status | topics");
  }
}

main(process.argv[2]).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof StackError || error instanceof InvalidEnvError) {
      console.error(`[tickstream] ${error.message}`);
    } else {
      console.error(error);
    }
    process.exit(1);
  },
);
