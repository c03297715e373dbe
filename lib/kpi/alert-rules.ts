import { MINUTE_MS } from "@/lib/kpi/durations";
import { computePercentChange } from "@/lib/kpi/percent-change";
import { findDayStart } from "@/lib/kpi/trading-day";
import { computeWindowStart } from "@/lib/kpi/tumbling-window";
import type { FactBar } from "@/lib/kpi/types";

// Alert rules as pure functions over a symbol's bars. lib/events/alert-rule.ts holds the zod schema of
// these shapes and is tied to them with `satisfies`, so the two cannot drift apart.
//
// Semantics (README "Alerts"):
// - A rule is evaluated on FINAL bars only (FactBar.isFinal, lib/kpi/bar-finality.ts). A bar's
//   condition depends on that bar and the bars before it, never on arrival order, so the same bars give
//   the same events however they arrived.
// - "Crossing" rules fire on the bar where a state flips from "not beyond" to strictly beyond: a close
//   equal to the level is not above it, and a close that returns to the level and leaves again fires
//   again (the cooldown limits that).
// - The cooldown is measured in bar time: an event at bar ts t is suppressed when the same rule fired
//   for the same symbol at a bar ts in (t − cooldown, t). Bar time, not wall clock, keeps it
//   deterministic.

export const ALERT_WINDOW_MINUTES = [5, 15, 60] as const;
export type AlertWindowMinutes = (typeof ALERT_WINDOW_MINUTES)[number];

export type AlertCondition =
  /** Close crosses a fixed price level: up = from ≤ level to > level, down = from ≥ level to < level. */
  | { type: "price_cross"; direction: "up" | "down"; level: number }
  /** Close crosses its own MA 20 or EMA 20 (same comparison as price_cross, against the bar's indicator). */
  | { type: "indicator_cross"; indicator: "ma20" | "ema20"; direction: "up" | "down" }
  /** MA 5 crosses MA 20: golden = from ma5 ≤ ma20 to ma5 > ma20, death = from ≥ to <. */
  | { type: "ma_cross"; kind: "golden" | "death" }
  /**
   * The running gain % of the bar's tumbling window ((close − window's first open) / first open × 100,
   * the kpi_snapshots gain_pct up to this bar) becomes strictly above (or below) the threshold.
   */
  | {
      type: "window_gain";
      windowMinutes: AlertWindowMinutes;
      direction: "above" | "below";
      thresholdPct: number;
    }
  /** Bar volume > factor × mean volume of the `lookbackBars` bars before it (mean 0: no spike). */
  | { type: "volume_spike"; factor: number; lookbackBars: number }
  /** The running day change % (close against the previous trading day's close) becomes beyond the threshold. */
  | { type: "day_change"; direction: "above" | "below"; thresholdPct: number }
  /** First bar of a trading day opens more than `minGapPct` % above (up) or below (down) the previous close. */
  | { type: "opening_gap"; direction: "up" | "down"; minGapPct: number }
  /** No bar for `minutes` while the symbol's market is open (the one clock-driven rule: {@link findStaleGap}). */
  | { type: "stale_data"; minutes: number };

export type AlertConditionType = AlertCondition["type"];

/** What the pipeline evaluates: a rule's identity, version, condition and cooldown. */
export type AlertRuleSpec = {
  id: number;
  /** Bumped whenever the condition, scope or cooldown changes; events of older versions are history. */
  version: number;
  condition: AlertCondition;
  cooldownMinutes: number;
};

/** The KPI values that made a condition true at a bar, stored with the event. */
export type AlertValues = Record<string, number | null>;

/** A condition true at one final bar. */
export type AlertCandidate = { barTs: number; values: AlertValues };

/** One (rule, symbol, bar) that fires, with the values that caused it. */
export type AlertFiring = AlertCandidate & { ruleId: number; ruleVersion: number; symbol: string };

/** Bars before a bar that its evaluation reads, besides its day and window (see {@link hasAlertContext}). */
export function computeLookbackBars(condition: AlertCondition): number {
  if (condition.type === "volume_spike") return condition.lookbackBars;
  return 1;
}

/**
 * Whether `bars` (contiguous, ts order) hold what evaluating bar `index` reads: its `lookback` previous
 * bars, the previous trading day's last bar and the start of its 60-minute window. Always true when
 * bars[0] is the symbol's first bar ever (then missing context means "not there", e.g. no previous day).
 */
export function hasAlertContext(
  bars: readonly FactBar[],
  hasAllHistory: boolean,
  index: number,
  lookback: number,
): boolean {
  if (hasAllHistory) return true;
  const first = bars[0];
  const bar = bars[index];
  if (!first || !bar) return false;
  const longest = Math.max(...ALERT_WINDOW_MINUTES);
  return (
    index >= lookback && first.tradeDate < bar.tradeDate && first.ts <= computeWindowStart(bar.ts, longest)
  );
}

/**
 * Index of the oldest bar that evaluating bars `index` on reads (the context {@link hasAlertContext}
 * asks for: `lookback` bars before `index`, its trading day with the previous day's last bar, and a bar
 * before the start of its longest window), in a series read through `at`; 0 when the series holds no
 * older bar than one of those. Bars after `index` read no further back. For a caller that copies only
 * these bars out of a longer series.
 */
export function findAlertContextStart(
  at: { ts: (i: number) => number; tradeDate: (i: number) => string },
  index: number,
  lookback: number,
): number {
  const dayStart = findDayStart(at.tradeDate, index);
  const windowStart = computeWindowStart(at.ts(index), Math.max(...ALERT_WINDOW_MINUTES));
  let beforeWindow = index;
  while (beforeWindow > 0 && at.ts(beforeWindow) >= windowStart) beforeWindow--;
  return Math.max(0, Math.min(index - lookback, dayStart - 1, beforeWindow));
}

type Crossing = "up" | "down";

/** From not above to strictly above (up), or from not below to strictly below (down). */
function isCrossing(direction: Crossing, before: number, beforeLevel: number, now: number, nowLevel: number) {
  return direction === "up"
    ? before <= beforeLevel && now > nowLevel
    : before >= beforeLevel && now < nowLevel;
}

function isBeyond(direction: "above" | "below", value: number, threshold: number): boolean {
  return direction === "above" ? value > threshold : value < threshold;
}

/** Per-bar day and window context, computed once per symbol and span. */
type BarContext = {
  /** Close of the previous trading day's last bar; null on the symbol's first day. */
  prevClose: number | null;
  isFirstOfDay: boolean;
};

const NO_DAY: BarContext = { prevClose: null, isFirstOfDay: false };

function computeDayContexts(bars: readonly FactBar[], from: number): BarContext[] {
  const out: BarContext[] = [];
  const dayStart = findDayStart((i) => bars[i]!.tradeDate, from);
  let prevClose = dayStart > 0 ? bars[dayStart - 1]!.close : null;
  for (let i = from; i < bars.length; i++) {
    const isFirstOfDay = i === 0 || bars[i - 1]!.tradeDate !== bars[i]!.tradeDate;
    if (isFirstOfDay && i > 0) prevClose = bars[i - 1]!.close;
    out.push({ prevClose, isFirstOfDay });
  }
  return out;
}

/** Running gain % of bar i's window: (close_i − first open of the window) / first open × 100. */
function computeRunningWindowGain(bars: readonly FactBar[], i: number, minutes: number): number {
  const start = computeWindowStart(bars[i]!.ts, minutes);
  let first = i;
  while (first > 0 && bars[first - 1]!.ts >= start) first--;
  return computePercentChange(bars[first]!.open, bars[i]!.close) ?? 0;
}

function evaluateAt(
  condition: AlertCondition,
  bars: readonly FactBar[],
  i: number,
  day: BarContext,
  prevDay: BarContext | undefined,
): AlertValues | null {
  const bar = bars[i]!;
  const prev = i > 0 ? bars[i - 1]! : undefined;
  switch (condition.type) {
    case "price_cross": {
      if (!prev) return null;
      const { level, direction } = condition;
      if (!isCrossing(direction, prev.close, level, bar.close, level)) return null;
      return { level, prevClose: prev.close, close: bar.close };
    }
    case "indicator_cross": {
      const key = condition.indicator;
      const before = prev?.[key];
      const now = bar[key];
      if (!prev || before == null || now == null) return null;
      if (!isCrossing(condition.direction, prev.close, before, bar.close, now)) return null;
      return { prevClose: prev.close, [`prev_${key}`]: before, close: bar.close, [key]: now };
    }
    case "ma_cross": {
      if (!prev || prev.ma5 == null || prev.ma20 == null || bar.ma5 == null || bar.ma20 == null) return null;
      const direction = condition.kind === "golden" ? "up" : "down";
      if (!isCrossing(direction, prev.ma5, prev.ma20, bar.ma5, bar.ma20)) return null;
      return { prevMa5: prev.ma5, prevMa20: prev.ma20, ma5: bar.ma5, ma20: bar.ma20 };
    }
    case "window_gain": {
      const { windowMinutes, direction, thresholdPct } = condition;
      const gainPct = computeRunningWindowGain(bars, i, windowMinutes);
      if (!isBeyond(direction, gainPct, thresholdPct)) return null;
      const sameWindow =
        prev && computeWindowStart(prev.ts, windowMinutes) === computeWindowStart(bar.ts, windowMinutes);
      if (
        sameWindow &&
        isBeyond(direction, computeRunningWindowGain(bars, i - 1, windowMinutes), thresholdPct)
      )
        return null;
      return { windowMinutes, windowStart: computeWindowStart(bar.ts, windowMinutes), gainPct, thresholdPct };
    }
    case "volume_spike": {
      const n = condition.lookbackBars;
      if (i < n) return null;
      let sum = 0;
      for (let j = i - n; j < i; j++) sum += bars[j]!.volume;
      const mean = sum / n;
      if (!(mean > 0) || !(bar.volume > condition.factor * mean)) return null;
      return { volume: bar.volume, meanVolume: mean, factor: condition.factor };
    }
    case "day_change": {
      const { direction, thresholdPct } = condition;
      const changePct = computePercentChange(day.prevClose, bar.close);
      if (changePct === null || !isBeyond(direction, changePct, thresholdPct)) return null;
      if (!day.isFirstOfDay && prev && prevDay) {
        const before = computePercentChange(prevDay.prevClose, prev.close);
        if (before !== null && isBeyond(direction, before, thresholdPct)) return null;
      }
      return { prevClose: day.prevClose, close: bar.close, changePct, thresholdPct };
    }
    case "opening_gap": {
      if (!day.isFirstOfDay) return null;
      const gapPct = computePercentChange(day.prevClose, bar.open);
      if (gapPct === null) return null;
      const { direction, minGapPct } = condition;
      const isGap = direction === "up" ? gapPct > minGapPct : gapPct < -minGapPct;
      if (!isGap) return null;
      return { prevClose: day.prevClose, open: bar.open, gapPct, minGapPct };
    }
    case "stale_data":
      return null;
  }
}

/**
 * The final bars from index `from` on at which `condition` is true, before any cooldown. `bars` are one
 * symbol's bars in ts order and must hold the context of bar `from` ({@link hasAlertContext}). The
 * result for a bar depends only on it and the bars before it.
 */
export function findAlertCandidates(
  condition: AlertCondition,
  bars: readonly FactBar[],
  from: number,
): AlertCandidate[] {
  const out: AlertCandidate[] = [];
  if (condition.type === "stale_data" || from >= bars.length) return out;
  const offset = Math.max(0, from - 1);
  // Only the day rules read the previous close; the others skip the walk back to the day's start.
  const isDayRule = condition.type === "day_change" || condition.type === "opening_gap";
  const days = isDayRule ? computeDayContexts(bars, offset) : [];
  for (let i = from; i < bars.length; i++) {
    const bar = bars[i]!;
    if (!bar.isFinal) continue;
    const values = evaluateAt(condition, bars, i, days[i - offset] ?? NO_DAY, days[i - 1 - offset]);
    if (values) out.push({ barTs: bar.ts, values });
  }
  return out;
}

/**
 * Keeps the candidates (ts order) that the cooldown lets through: one fires unless a kept event (or
 * `lastFiredTs`, the newest event before them) lies less than `cooldownMinutes` of bar time before it.
 * An event exactly `cooldownMinutes` later fires.
 */
export function applyCooldown<T extends { barTs: number }>(
  candidates: readonly T[],
  cooldownMinutes: number,
  lastFiredTs: number | null,
): T[] {
  const cooldownMs = cooldownMinutes * MINUTE_MS;
  const kept: T[] = [];
  let last = lastFiredTs;
  for (const candidate of candidates) {
    if (last !== null && candidate.barTs - last < cooldownMs) continue;
    kept.push(candidate);
    last = candidate.barTs;
  }
  return kept;
}

/**
 * Stale data: when the newest bar of a symbol (start `lastBarTs`) is followed by `minutes` without a
 * bar while its market is open, the gap is keyed by that bar's ts. The key, not the clock, makes it
 * exactly once: the same gap reported again (another sweep, another worker) is the same event.
 * Returns the key, or null when there is no such gap at `now`. The gap is measured from the end of the
 * bar's minute; exactly `minutes` of silence is stale.
 */
export function findStaleGap(
  lastBarTs: number | null,
  now: number,
  minutes: number,
  isMarketOpen: boolean,
): number | null {
  if (lastBarTs === null || !isMarketOpen) return null;
  return now - (lastBarTs + MINUTE_MS) >= minutes * MINUTE_MS ? lastBarTs : null;
}
