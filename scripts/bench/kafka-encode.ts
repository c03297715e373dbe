import { execFileSync } from "node:child_process";
import path from "node:path";

import { ROOT_DIR } from "@/scripts/stack/paths";

const ROUNDS = 3;

/** One side's figures: bytes of the request, milliseconds to encode it. */
function runSide(variant: "kafkajs" | "rope"): { bytes: number; ms: number } {
  const out = execFileSync(
    process.execPath,
    ["--import", "tsx", path.join(ROOT_DIR, "scripts/bench/kafka-encode-run.ts"), variant],
    { cwd: ROOT_DIR, encoding: "utf8" },
  );
  return JSON.parse(out) as { bytes: number; ms: number };
}

/**
 * `npm run bench kafka`: kafkajs's encoding of a produce request of live updates (40 messages of about
 * 50 KB of JSON, as a drain's pass publishes), with kafkajs's own encoder and with lib/kafka/encoder.ts,
 * each in a process of its own, alternated for ROUNDS rounds (README, "Fifteenth step").
 */
export function benchKafkaEncode(): void {
  console.log(`kafkajs produce request encoding, ${ROUNDS} alternated rounds (200 requests each, after 30)`);
  const ratios: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const own = runSide("kafkajs");
    const rope = runSide("rope");
    ratios.push(own.ms / rope.ms);
    const mb = (side: { bytes: number; ms: number }) => (side.bytes / 1e6 / (side.ms / 1e3)).toFixed(0);
    console.log(
      `  round ${round}: ${(own.bytes / 1e6).toFixed(2)} MB a request; kafkajs's encoder ${own.ms.toFixed(2)} ms ` +
        `(${mb(own)} MB/s), lib/kafka/encoder.ts ${rope.ms.toFixed(2)} ms (${mb(rope)} MB/s): ${(own.ms / rope.ms).toFixed(2)}×`,
    );
  }
  console.log(
    `  median ${[...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!.toFixed(2)}× faster`,
  );
}
