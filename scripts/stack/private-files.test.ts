import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "private-files-"));
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(root, { recursive: true, force: true });
});

const modeOf = (p: string) => statSync(p).mode & 0o777;

describe(".data permissions", () => {
  it("creates private directories and files (0700, 0600), also over looser existing ones", async () => {
    const { ensurePrivateDir, writePrivateFile } = await import("./private-files");
    const dir = path.join(root, "a", "b");
    ensurePrivateDir(dir);
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(path.join(root, "a"))).toBe(0o700);
    chmodSync(dir, 0o755);
    ensurePrivateDir(dir);
    expect(modeOf(dir)).toBe(0o700);
    const file = path.join(dir, "secret.env");
    writeFileSync(file, "old", { mode: 0o644 });
    writePrivateFile(file, "new");
    expect(modeOf(file)).toBe(0o600);
  });

  it("on start, hides an existing world-readable .data: nobody else may enter it, its files and folders are the owner's", async () => {
    const dataDir = path.join(root, "data");
    for (const sub of ["", "logs", "run", "kafka"])
      mkdirSync(path.join(dataDir, sub), { recursive: true, mode: 0o755 });
    for (const file of ["logs/web.log", "run/web.pid", "admin-credentials.env"])
      writeFileSync(path.join(dataDir, file), "x", { mode: 0o644 });
    vi.stubEnv("TICKSTREAM_DATA_DIR", dataDir);
    vi.resetModules();
    const { securePrivateDataDir } = await import("./private-files");
    securePrivateDataDir();
    // As root, .data and logs stay passable (never listable) for the postgres group: 0710 at most.
    for (const dir of ["", "logs"]) expect(modeOf(path.join(dataDir, dir)) & 0o067, dir || ".data").toBe(0);
    for (const dir of ["run", "kafka"]) expect(modeOf(path.join(dataDir, dir)), dir).toBe(0o700);
    for (const file of ["logs/web.log", "run/web.pid", "admin-credentials.env"])
      expect(modeOf(path.join(dataDir, file)), file).toBe(0o600);
  });
});
