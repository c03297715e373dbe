import { createHash } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (two levels above this file). */
export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Runtime state of the local stack: database and broker data, pid files, logs. Ignored by git. */
export const DATA_DIR = path.resolve(process.env.TICKSTREAM_DATA_DIR ?? path.join(ROOT_DIR, ".data"));
/** Downloaded tools (Node, Kafka jars). Ignored by git. */
export const TOOLS_DIR = path.join(ROOT_DIR, ".tools");
export const RUN_DIR = path.join(DATA_DIR, "run");
export const LOG_DIR = path.join(DATA_DIR, "logs");

/**
 * A short stable id of this checkout's data folder, to keep the state of two clones — or of two data
 * folders of one clone (TICKSTREAM_DATA_DIR: the fault suite's) — apart where it must live outside them.
 * The default folder keeps the id of the checkout, as before there were others.
 */
export const CHECKOUT_ID = createHash("sha256")
  .update(DATA_DIR === path.join(ROOT_DIR, ".data") ? ROOT_DIR : DATA_DIR)
  .digest("hex")
  .slice(0, 10);
