import { readE2eState, stopProcess } from "./stack";

/** Stops the workers global setup started (the database stays for inspection until the next run). */
export default async function globalTeardown(): Promise<void> {
  const state = readE2eState();
  await Promise.all(state.workerPids.map((pid) => stopProcess(pid)));
}
