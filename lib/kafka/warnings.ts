let installed = false;

/**
 * kafkajs' request queue calls setTimeout with a negative delay when idle, which Node 24 reports as a
 * TimeoutNegativeWarning on every connection (Node clamps the delay to 1 ms, so it is harmless). This
 * drops that one warning and prints every other one the way Node does.
 */
export function silenceKafkajsTimeoutWarning(): void {
  if (installed) return;
  installed = true;
  process.removeAllListeners("warning");
  process.on("warning", (warning) => {
    if (warning.name === "TimeoutNegativeWarning") return;
    process.stderr.write(`(node:${process.pid}) ${warning.name}: ${warning.message}\n`);
  });
}
