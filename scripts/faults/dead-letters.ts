import { DLQ_HEADERS } from "@/lib/events/topics";

import type { ReadMessage } from "@/tests/integration/support/read-topic";

export type DeadLetterCheck = {
  /** Per class: the bad events found on the source topic, and the distinct dead letters for them. */
  byClass: Map<string, { expected: number; got: number }>;
  /** Source coordinates ("partition:offset") of bad events without a dead letter. */
  missing: string[];
  /** Dead letters for events that were not bad (or of another topic). */
  extra: string[];
  /** Dead letters whose class is not the one their event must get. */
  wrongClass: string[];
  /** Dead letters beyond the first for the same source event (told apart by the source headers). */
  duplicates: number;
};

/**
 * Checks the dead-letter topic against the source topic: every message on `ticks` whose exact value the
 * suite sent as bad (`expectedClass`: value → class) must have exactly one distinct dead letter with
 * that class, and nothing else may have one. The source topic is read back, rather than the list sent
 * trusted, so that a message the producer wrote twice (a retried send) counts as the two events it is.
 */
export function checkDeadLetters(
  ticksTopic: string,
  ticks: readonly ReadMessage[],
  deadLetters: readonly ReadMessage[],
  expectedClass: ReadonlyMap<string, string>,
): DeadLetterCheck {
  const expected = new Map<string, string>();
  for (const m of ticks) {
    const cls = expectedClass.get(m.value);
    if (cls) expected.set(`${m.partition}:${m.offset}`, cls);
  }
  const got = new Map<string, string>();
  let duplicates = 0;
  const extra: string[] = [];
  for (const letter of deadLetters) {
    const h = letter.headers;
    const at = `${h[DLQ_HEADERS.sourcePartition]}:${h[DLQ_HEADERS.sourceOffset]}`;
    if (h[DLQ_HEADERS.sourceTopic] !== ticksTopic) {
      extra.push(`${h[DLQ_HEADERS.sourceTopic] ?? "?"}/${at}`);
      continue;
    }
    if (got.has(at)) duplicates++;
    else got.set(at, h[DLQ_HEADERS.reasonClass] ?? "other");
  }
  const byClass = new Map<string, { expected: number; got: number }>();
  const count = (cls: string, field: "expected" | "got") => {
    const entry = byClass.get(cls) ?? { expected: 0, got: 0 };
    entry[field]++;
    byClass.set(cls, entry);
  };
  const missing: string[] = [];
  const wrongClass: string[] = [];
  for (const [at, cls] of expected) {
    count(cls, "expected");
    const letterClass = got.get(at);
    if (letterClass === undefined) missing.push(at);
    else if (letterClass !== cls) wrongClass.push(`${at} ${letterClass} (expected ${cls})`);
  }
  for (const [at, cls] of got) {
    count(cls, "got");
    if (!expected.has(at)) extra.push(`${at} ${cls}`);
  }
  return { byClass, missing, extra, wrongClass, duplicates };
}
