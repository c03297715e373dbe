/**
 * How many events a producer holding `ratePerSecond` owes after `elapsedMs`, having sent `sent`: the
 * schedule is anchored at the start, so a late timer or a slow send is made up at the next tick rather
 * than lowering the rate (a producer that cannot keep up shows as an achieved rate below the target).
 */
export function countDueEvents(ratePerSecond: number, elapsedMs: number, sent: number): number {
  return Math.max(0, Math.floor((ratePerSecond * Math.max(0, elapsedMs)) / 1000) - sent);
}

/** Events per second actually sent over `elapsedMs` (0 before any time has passed). */
export function computeAchievedRate(sent: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (sent * 1000) / elapsedMs : 0;
}

/** Splits `count` events into sends of at most `maxPerSend` (a produce request stays small). */
export function splitIntoSends(count: number, maxPerSend: number): number[] {
  const sends: number[] = [];
  for (let left = count; left > 0; left -= maxPerSend) sends.push(Math.min(left, maxPerSend));
  return sends;
}
