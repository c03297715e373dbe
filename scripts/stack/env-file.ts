import { existsSync } from "node:fs";
import path from "node:path";

import { ROOT_DIR } from "./paths";

/**
 * Loads .env (then .env.local) from the repository root into process.env without overriding what the
 * environment already sets, so every child process sees the same configuration.
 */
export function loadEnvFiles(): void {
  for (const name of [".env.local", ".env"]) {
    const file = path.join(ROOT_DIR, name);
    if (existsSync(file)) process.loadEnvFile(file);
  }
}
