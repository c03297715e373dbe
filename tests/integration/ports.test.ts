import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { readEphemeralPortRange, findFreePort, findFreePortPair, isPortFree } from "@/scripts/stack/ports";

const listening: net.Server[] = [];
afterEach(async () => {
  await Promise.all(listening.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function occupy(port: number): Promise<void> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  listening.push(server);
}

describe("readEphemeralPortRange", () => {
  it("reads the kernel's range, and falls back to Linux's default when the file is missing or malformed", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ports-"));
    const file = path.join(dir, "range");
    writeFileSync(file, "40000\t50000\n");
    expect(readEphemeralPortRange(file)).toEqual({ low: 40_000, high: 50_000 });
    writeFileSync(file, "garbage");
    expect(readEphemeralPortRange(file)).toEqual({ low: 32_768, high: 60_999 });
    expect(readEphemeralPortRange(path.join(dir, "absent"))).toEqual({ low: 32_768, high: 60_999 });
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("findFreePort and findFreePortPair", () => {
  const { low, high } = readEphemeralPortRange();

  it("never choose a port inside the ephemeral range, even when asked to start there", async () => {
    const pair = await findFreePortPair(low + 100);
    expect(pair > high || pair + 1 < low).toBe(true);
    const one = await findFreePort(low);
    expect(one > high || one < low).toBe(true);
    for (let i = 0; i < 20; i++) {
      const port = await findFreePort();
      expect(port < low || port > high).toBe(true);
      expect(port).toBeGreaterThanOrEqual(10_000);
    }
  });

  it("step over a port that is taken, and a pair whose second port is taken", async () => {
    const start = await findFreePortPair(20_000);
    await occupy(start + 1);
    const pair = await findFreePortPair(start);
    expect(pair).toBeGreaterThan(start);
    expect(await isPortFree(pair)).toBe(true);
    expect(await isPortFree(pair + 1)).toBe(true);
    await occupy(pair);
    expect(await findFreePort(pair)).toBeGreaterThan(pair);
  });
});
