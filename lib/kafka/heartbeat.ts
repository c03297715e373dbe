// kafkajs has no heartbeat thread: a member beats only when its code calls heartbeat(), which kafkajs
// does between batches and after an empty fetch. A consumer that holds eachBatch while it waits for slow
// work blocks its broker's fetch loop, so with one broker it goes silent: it learns of a rebalance only
// when the wait ends (the members that joined or rejoined wait for it meanwhile), and a wait longer than
// the session timeout gets it removed from the group.

/**
 * Waits for `work`, asking for a heartbeat every `intervalMs` meanwhile (kafkajs sends one at most once
 * per its own interval). A heartbeat's error (the group is rebalancing, or the member was removed) ends
 * the wait at once and is thrown from here, so that kafkajs rejoins without waiting for `work`, which
 * goes on. The wait ends as soon as `work` settles, even with a heartbeat still in flight (a later
 * heartbeat call shares that request and gets its error). `work`'s own rejection is ignored: the caller
 * decides what a failed work means.
 */
export async function waitWithHeartbeats(
  work: Promise<unknown>,
  heartbeat: () => Promise<void>,
  intervalMs: number,
): Promise<void> {
  let settled = false;
  const done = work.then(
    () => void (settled = true),
    () => void (settled = true),
  );
  while (!settled) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = new Promise<void>((resolve) => (timer = setTimeout(resolve, intervalMs)));
    await Promise.race([done, tick]);
    clearTimeout(timer);
    if (!settled) await Promise.race([done, heartbeat()]);
  }
}
