// A tiny process on the real lifecycle harness, for workers/run-worker.test.ts. Each shutdown hook
// prints "step:<name>" so that the test can check the order; `mode` (argv[2]) picks the failure.
import { runWorker } from "@/workers/run-worker";

const mode = process.argv[2] ?? "clean";
const say = (line: string) => process.stdout.write(`${line}\n`);

void runWorker(
  "lifecycle-fixture",
  async (ctx) => {
    // Stands for open connections: the event loop stays busy until a hook closes them.
    const connections = setInterval(() => undefined, 1_000);
    ctx.signal.addEventListener("abort", () => say("step:stop-fetching"));
    ctx.onShutdown(() => {
      clearInterval(connections);
      say("step:close-pool");
    });
    ctx.onShutdown(async () => {
      say("step:disconnect");
      if (mode === "hang") await new Promise(() => undefined);
    });
    ctx.onShutdown(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      say("step:finish-batch");
    });
    if (mode === "fail-start") throw new Error("cannot reach the broker");
    if (mode === "give-up") setTimeout(() => ctx.shutdown("consumer gave up", 1), 100);
    await Promise.resolve();
    say("ready");
  },
  { shutdownTimeoutMs: Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 5_000) },
);
