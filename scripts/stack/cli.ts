// The local stack from the command line: `tsx scripts/stack/cli.ts up|down|status|topics`.
// `up` starts (or reuses) PostgreSQL and Kafka, creates the topics, migrates, and leaves them running.
import { getEnv, getKafkaBrokers, InvalidEnvError } from "@/lib/env";
import { probeKafka } from "@/lib/kafka/probe";

import { loadEnvFiles } from "./env-file";
import { bringDownInfra, bringUpInfra, topicSpecs } from "./infra";
import { isLocalKafkaRunning } from "./kafka";
import { isPrivatePostgresRunning } from "./postgres";
import { say, StackError } from "./proc";

async function main(command: string | undefined): Promise<void> {
  loadEnvFiles();
  const env = getEnv();
  switch (command) {
    case "up": {
      await bringUpInfra(env);
      say("stack is up");
      return;
    }
    case "down":
      await bringDownInfra();
      return;
    case "status": {
      say(`private PostgreSQL cluster: ${isPrivatePostgresRunning() ? "running" : "not running"}`);
      say(`local Kafka broker: ${isLocalKafkaRunning() ? "running" : "not running"}`);
      return;
    }
    case "topics": {
      const probe = await probeKafka(getKafkaBrokers(env), topicSpecs(env).map((t) => t.topic));
      if (!probe.ok) throw new StackError(`Kafka at ${env.KAFKA_BROKERS} is not reachable: ${probe.error}`);
      for (const t of probe.topics) console.log(`${t.topic}\tpartitions=${t.partitions}${t.partitions === 0 ? "\t(missing)" : ""}`);
      return;
    }
    default:
      throw new StackError("usage: stack up | down | status | topics");
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
