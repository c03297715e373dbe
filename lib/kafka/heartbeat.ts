// kafkajs has no heartbeat thread: a member beats only when its code calls heartbeat(), which kafkajs
// does between batches. A consumer that holds eachBatch while it waits for slow work therefore goes
// silent: it learns of a rebalance only when the wait ends (every other member waits for its rejoin
// meanwhile), and a wait longer than the session timeout gets it removed from the group.

/**
 * Waits for `work`, calling `heartbeat` every `intervalMs` meanwhile. A heartbeat's error (the group
 * is rebalancing, or the member was removed) ends the wait at once and is thrown from here, so that
 * kafkajs rejoins without waiting for `work`, which goes on. `work`'s own rejection is returned, not
 * thrown: the caller decides what a failed work means.
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
    if (!settled) await heartbeat();
  }
}
