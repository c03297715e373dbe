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

/** A short stable id of this checkout, to keep state of two clones apart where it must live outside them. */
export const CHECKOUT_ID = createHash("sha256").update(ROOT_DIR).digest("hex").slice(0, 10);
