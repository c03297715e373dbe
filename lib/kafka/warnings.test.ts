import { afterEach, describe, expect, it } from "vitest";

import { silenceKafkajsTimeoutWarning } from "@/lib/kafka/warnings";

const END = "CollectWarningsEnd";

/**
 * Collects the warnings `act` causes. Warnings reach listeners on a later tick, in the order they were
 * emitted; a marker warning emitted after `act` says that every warning before it has arrived.
 */
async function collectWarnings(act: () => void): Promise<string[]> {
  const seen: string[] = [];
  let listener: ((warning: Error) => void) | undefined;
  try {
    await new Promise<void>((resolve) => {
      listener = (warning: Error) => {
        if (warning.name === END) resolve();
        else seen.push(`${warning.name}: ${warning.message}`);
      };
      process.on("warning", listener);
      act();
      process.emitWarning("all warnings before this one have arrived", END);
    });
  } finally {
    if (listener) process.off("warning", listener);
  }
  return seen;
}

describe("silenceKafkajsTimeoutWarning", () => {
  const timers: NodeJS.Timeout[] = [];
  afterEach(() => timers.splice(0).forEach(clearTimeout));

  it("drops the negative-timeout warning and keeps every other warning and every listener", async () => {
    const ownListener = () => undefined;
    process.on("warning", ownListener);
    const listenersBefore = process.listeners("warning");

    expect(await collectWarnings(() => timers.push(setTimeout(() => undefined, -5)))).toEqual([
      expect.stringMatching(/^TimeoutNegativeWarning: /),
    ]);

    silenceKafkajsTimeoutWarning();
    silenceKafkajsTimeoutWarning(); // twice: the client factory and the probe both call it

    expect(process.listeners("warning")).toEqual(listenersBefore);
    const seen = await collectWarnings(() => {
      timers.push(setTimeout(() => undefined, -5));
      process.emitWarning("first form", "CustomWarning");
      process.emitWarning("second form", { type: "OtherWarning", code: "X1" });
      process.emitWarning(Object.assign(new Error("third form"), { name: "DeprecationWarning" }));
      process.emitWarning("named in the options form", { type: "TimeoutNegativeWarning" });
    });
    expect(seen).toEqual([
      "CustomWarning: first form",
      "OtherWarning: second form",
      "DeprecationWarning: third form",
    ]);
    process.off("warning", ownListener);
  });
});
