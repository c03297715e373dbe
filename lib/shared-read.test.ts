import { describe, expect, it } from "vitest";

import { createSharedRead } from "@/lib/shared-read";

/** A read whose every call waits until the test settles it; `started` lists the calls' keys in order. */
function controlledRead() {
  const calls: { key: string; resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
  const read = (key: string) =>
    new Promise<string>((resolve, reject) => calls.push({ key, resolve, reject }));
  return { read, calls };
}

/** Lets every promise callback that is due run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("createSharedRead", () => {
  it("reads at once when idle, and makes the callers that came during a read share the next one", async () => {
    const { read, calls } = controlledRead();
    const shared = createSharedRead<string, string>({ stalledAfterMs: 60_000 });
    const get = (key: string) => shared(key, read);
    const first = get("a");
    const second = get("a");
    const third = get("a");
    expect(calls).toHaveLength(1);

    calls[0]!.resolve("read 1");
    await expect(first).resolves.toBe("read 1");
    await settle();
    // The next read started after the two callers asked: each of them gets it, not read 1.
    expect(calls).toHaveLength(2);
    calls[1]!.resolve("read 2");
    await expect(second).resolves.toBe("read 2");
    await expect(third).resolves.toBe("read 2");
  });

  it("never answers a caller with a read that started before it asked, however many come", async () => {
    const { read, calls } = controlledRead();
    const shared = createSharedRead<string, string>({ stalledAfterMs: 60_000 });
    const get = (key: string) => shared(key, read);
    let settled = 0;
    /** Ends the oldest read still in flight with its number (read n is calls[n - 1]). */
    const endOldest = async () => {
      calls[settled]!.resolve(`read ${settled + 1}`);
      settled++;
      await settle();
    };
    const asked: { readsStarted: number; answer: Promise<string> }[] = [];
    for (let i = 0; i < 10; i++) {
      asked.push({ readsStarted: calls.length, answer: get("a") });
      if (i % 3 === 2) await endOldest();
    }
    while (settled < calls.length) await endOldest();
    for (const { readsStarted, answer } of asked) {
      expect(Number((await answer).split(" ")[1])).toBeGreaterThan(readsStarted);
    }
    // At most one read in flight and one waiting: ten callers in four rounds, five reads.
    expect(calls).toHaveLength(5);
  });

  it("reads keys on their own", async () => {
    const { read, calls } = controlledRead();
    const shared = createSharedRead<string, string>({ stalledAfterMs: 60_000 });
    const get = (key: string) => shared(key, read);
    const a = get("a");
    const b = get("b");
    expect(calls.map((c) => c.key)).toEqual(["a", "b"]);
    calls[1]!.resolve("b1");
    calls[0]!.resolve("a1");
    await expect(a).resolves.toBe("a1");
    await expect(b).resolves.toBe("b1");
  });

  it("gives a failed read's error to its callers only, and the waiting read still runs", async () => {
    const { read, calls } = controlledRead();
    const shared = createSharedRead<string, string>({ stalledAfterMs: 60_000 });
    const get = (key: string) => shared(key, read);
    const failing = get("a");
    const waiting = get("a");
    calls[0]!.reject(new Error("database went away"));
    await expect(failing).rejects.toThrow("database went away");
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve("read 2");
    await expect(waiting).resolves.toBe("read 2");
  });

  it("stops waiting for a read that has run past the stall limit, and reads anew", async () => {
    const { read, calls } = controlledRead();
    const stalls: string[] = [];
    const shared = createSharedRead<string, string>({
      stalledAfterMs: 50,
      onStalled: (key) => stalls.push(key),
    });
    const hung = shared("a", read);
    const waiting = shared("a", read);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(calls).toHaveLength(2);
    expect(stalls).toEqual(["a"]);
    calls[1]!.resolve("read 2");
    await expect(waiting).resolves.toBe("read 2");
    calls[0]!.resolve("read 1, late");
    await expect(hung).resolves.toBe("read 1, late");
  });

  it("runs the read each call brings", async () => {
    const shared = createSharedRead<string, string>({ stalledAfterMs: 60_000 });
    await expect(shared("a", () => Promise.resolve("old code"))).resolves.toBe("old code");
    await expect(shared("a", () => Promise.resolve("new code"))).resolves.toBe("new code");
  });

  it("starts afresh once idle", async () => {
    const { read, calls } = controlledRead();
    const shared = createSharedRead<string, string>({ stalledAfterMs: 60_000 });
    const get = (key: string) => shared(key, read);
    const first = get("a");
    calls[0]!.resolve("read 1");
    await first;
    await settle();
    const later = get("a");
    expect(calls).toHaveLength(2);
    calls[1]!.resolve("read 2");
    await expect(later).resolves.toBe("read 2");
  });
});
