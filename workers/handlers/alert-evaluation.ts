import type { DbOrTx } from "@/lib/db/client";
import {
  insertAlertEvents,
  listAlertEventsInSpans,
  retractAlertEvents,
  reviseAlertEvents,
  type AlertSpanQuery,
  type NewAlertEvent,
} from "@/lib/db/queries/alert-events";
import { loadSymbolHistory } from "@/lib/db/queries/fact-prices";
import type { AlertRule } from "@/lib/events/alert-rule";
import {
  ALERT_WINDOW_MINUTES,
  computeLookbackBars,
  findAlertContextStart,
  hasAlertContext,
  type AlertConditionType,
  type AlertRuleSpec,
} from "@/lib/kpi/alert-rules";
import {
  computeAlertFirings,
  diffAlertSpan,
  type AlertSpanDiff,
  type StoredAlert,
} from "@/lib/kpi/alert-span";
import { MINUTE_MS } from "@/lib/kpi/durations";
import {
  CONTEXT_BARS,
  computeLoadFrom,
  findLowerBound,
  readSeriesBars,
  type SeriesChanges,
  type SeriesState,
} from "@/lib/kpi/symbol-series";
import { findColumnsLowerBound, getTradeDate, getTs } from "@/lib/kpi/bar-columns";
import type { FactBar } from "@/lib/kpi/types";

/** The bar-driven rules in force, indexed by symbol (stale data is the sweep's: workers/stream/alert-runtime.ts). */
export type AlertRuleIndex = {
  forAll: AlertRuleSpec[];
  bySymbol: Map<string, AlertRuleSpec[]>;
  types: Map<number, AlertConditionType>;
};

export function indexAlertRules(rules: readonly AlertRule[]): AlertRuleIndex {
  const index: AlertRuleIndex = { forAll: [], bySymbol: new Map(), types: new Map() };
  for (const rule of rules) {
    if (rule.status !== "enabled" || rule.condition.type === "stale_data") continue;
    const spec: AlertRuleSpec = {
      id: rule.id,
      version: rule.version,
      condition: rule.condition,
      cooldownMinutes: rule.cooldownMinutes,
    };
    index.types.set(rule.id, rule.condition.type);
    if (rule.scope.kind === "all") index.forAll.push(spec);
    else
      for (const symbol of new Set(rule.scope.symbols)) {
        const list = index.bySymbol.get(symbol);
        if (list) list.push(spec);
        else index.bySymbol.set(symbol, [spec]);
      }
  }
  return index;
}

function listRulesFor(index: AlertRuleIndex, symbol: string): AlertRuleSpec[] {
  const own = index.bySymbol.get(symbol);
  if (!own) return index.forAll;
  return index.forAll.length === 0 ? own : [...index.forAll, ...own];
}

/** What one batch changed in alert_events (for metrics and, later, delivery). */
export type AlertEvaluationResult = { inserted: number; revised: number; retracted: number };

type SymbolSpan = {
  symbol: string;
  bars: readonly FactBar[];
  from: number;
  rules: AlertRuleSpec[];
  /** Longest cooldown of the rules, in ms: events that far before the span seed the cooldowns. */
  cooldownMs: number;
};

const RETRACT_REASON =
  "a revision of the bars no longer fires it: the condition is not met at this final bar, or an earlier event now covers it with the cooldown";

/**
 * The span of one symbol to recompute: from the bar before its earliest changed bar (that bar may just
 * have become final) to its newest bar. When the in-memory state lacks what the first bar's rules read
 * (a volume look-back, the previous day's close, the 60-minute window), the missing older bars are
 * read from PostgreSQL, which already holds this batch's rows.
 */
async function prepareSpan(
  tx: DbOrTx,
  symbol: string,
  state: SeriesState,
  changes: SeriesChanges,
  rules: AlertRuleSpec[],
): Promise<SymbolSpan | null> {
  if (changes.bars.length === 0 || state.bars.length === 0) return null;
  const firstChanged = Math.min(...changes.bars.map((b) => b.ts));
  const lookback = Math.max(...rules.map((r) => computeLookbackBars(r.condition)));
  // The state packs its bars: only those the rules read are copied out as objects. A copy that starts
  // later than the state holds every bar of the context, so it answers hasAlertContext as the state would.
  const packed = state.bars;
  const fromInState = Math.max(0, findColumnsLowerBound(packed, firstChanged) - 1);
  const tailStart = findAlertContextStart(
    { ts: (i) => getTs(packed, i), tradeDate: (i) => getTradeDate(packed, i) },
    fromInState,
    lookback,
  );
  const inMemory = readSeriesBars(state, tailStart);
  let bars: readonly FactBar[] = inMemory;
  let from = fromInState - tailStart;
  if (!hasAlertContext(bars, state.hasAllHistory, from, lookback)) {
    const spanTs = bars[from]!.ts;
    const loaded = await loadSymbolHistory(
      tx,
      symbol,
      computeLoadFrom(spanTs, ALERT_WINDOW_MINUTES),
      Math.max(CONTEXT_BARS, lookback),
    );
    const firstInMemory = inMemory[0]!.ts;
    bars = [...loaded.bars.filter((b) => b.ts < firstInMemory), ...inMemory];
    from = findLowerBound(bars, spanTs);
  }
  const cooldownMs = Math.max(...rules.map((r) => r.cooldownMinutes)) * MINUTE_MS;
  return { symbol, bars, from, rules, cooldownMs };
}

function groupBySymbol(stored: readonly StoredAlert[]): Map<string, StoredAlert[]> {
  const out = new Map<string, StoredAlert[]>();
  for (const s of stored) {
    const list = out.get(s.symbol);
    if (list) list.push(s);
    else out.set(s.symbol, [s]);
  }
  return out;
}

function diffSpan(span: SymbolSpan, stored: readonly StoredAlert[]): AlertSpanDiff {
  const spanTs = span.bars[span.from]!.ts;
  const versions = new Map(span.rules.map((r) => [r.id, r.version]));
  const lastFiredBefore = new Map<number, number>();
  const inSpan: StoredAlert[] = [];
  for (const s of stored) {
    // Events of other rule versions are history: neither compared nor seeding a cooldown.
    if (versions.get(s.ruleId) !== s.ruleVersion) continue;
    if (s.barTs >= spanTs) inSpan.push(s);
    else if (!s.isRetracted && s.barTs > (lastFiredBefore.get(s.ruleId) ?? -Infinity))
      lastFiredBefore.set(s.ruleId, s.barTs);
  }
  const computed = computeAlertFirings(span.symbol, span.bars, span.from, span.rules, lastFiredBefore);
  return diffAlertSpan(computed, inSpan);
}

/**
 * Evaluates the rules on what one stream batch changed, inside the batch's transaction (after its KPI
 * rows are written): each changed symbol's span is recomputed from its bars and compared with the
 * events stored for it, then new events are inserted, retracted ones that fire again are revived and
 * events a revision undid are retracted. Rows and offsets commit together, so a crash or a retried
 * batch neither loses nor doubles an event.
 */
export async function evaluateAlerts(
  tx: DbOrTx,
  index: AlertRuleIndex,
  changes: ReadonlyMap<string, SeriesChanges>,
  getState: (symbol: string) => SeriesState | undefined,
  now: number,
): Promise<AlertEvaluationResult> {
  const result: AlertEvaluationResult = { inserted: 0, revised: 0, retracted: 0 };
  if (index.forAll.length === 0 && index.bySymbol.size === 0) return result;
  const spans: SymbolSpan[] = [];
  for (const [symbol, change] of changes) {
    const rules = listRulesFor(index, symbol);
    const state = getState(symbol);
    if (rules.length === 0 || !state) continue;
    const span = await prepareSpan(tx, symbol, state, change, rules);
    if (span) spans.push(span);
  }
  if (spans.length === 0) return result;
  const queries: AlertSpanQuery[] = spans.map((s) => ({
    symbol: s.symbol,
    from: s.bars[s.from]!.ts - s.cooldownMs,
  }));
  const stored = groupBySymbol(await listAlertEventsInSpans(tx, queries));

  const inserted: NewAlertEvent[] = [];
  const revised: AlertSpanDiff["updated"] = [];
  const retracted: AlertSpanDiff["retracted"] = [];
  for (const span of spans) {
    const diff = diffSpan(span, stored.get(span.symbol) ?? []);
    for (const e of diff.inserted) inserted.push({ ...e, ruleType: index.types.get(e.ruleId)! });
    revised.push(...diff.updated);
    retracted.push(...diff.retracted);
  }
  await insertAlertEvents(tx, inserted, new Date(now));
  await reviseAlertEvents(tx, revised);
  await retractAlertEvents(tx, retracted, RETRACT_REASON, new Date(now));
  return { inserted: inserted.length, revised: revised.length, retracted: retracted.length };
}
