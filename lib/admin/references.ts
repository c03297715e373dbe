import { ApiError } from "@/lib/api/errors";
import type { DbOrTx } from "@/lib/db/client";
import { listLiveAlertRuleIds } from "@/lib/db/queries/alert-rules";
import { getSymbolStatuses } from "@/lib/db/queries/symbols";
import { isFollowedStatus } from "@/lib/events/symbol";
import { formatShortList } from "@/lib/kpi/format";

// What an alert rule's scope and a webhook's filters may name: symbols the product follows and rules
// that exist. A typo would otherwise be stored as a rule or filter that never matches, silently.
// Names already on the rule or endpoint (`kept`) pass: a symbol removed since, or a rule retired since,
// must not block an unrelated edit (it still matches nothing, as before).

const listed = (items: readonly (string | number)[]) => formatShortList(items, 10);

/**
 * The items of `wanted` (each once, in order) that are neither kept nor known, asking `findKnown` about
 * the ones not kept only.
 */
async function findUnknown<T>(
  wanted: readonly T[],
  kept: readonly T[],
  findKnown: (items: T[]) => Promise<(item: T) => boolean>,
): Promise<T[]> {
  const isKept = new Set(kept);
  const toCheck = [...new Set(wanted)].filter((item) => !isKept.has(item));
  if (toCheck.length === 0) return [];
  const isKnown = await findKnown(toCheck);
  return toCheck.filter((item) => !isKnown(item));
}

/** 400 naming the symbols of `wanted` (not kept) that are not followed: unknown, removed or invalid. */
export async function requireFollowedSymbols(
  tx: DbOrTx,
  field: string,
  wanted: readonly string[],
  kept: readonly string[] = [],
): Promise<void> {
  const unknown = await findUnknown(wanted, kept, async (symbols) => {
    const statuses = await getSymbolStatuses(tx, symbols);
    return (symbol) => {
      const status = statuses.get(symbol)?.status;
      return status !== undefined && isFollowedStatus(status);
    };
  });
  if (unknown.length === 0) return;
  throw new ApiError(
    "bad_request",
    `${field}: ${listed(unknown)} ${unknown.length === 1 ? "is not a followed symbol" : "are not followed symbols"} (add ${unknown.length === 1 ? "it" : "them"} under Symbols first)`,
  );
}

/** 400 naming the ids of `wanted` that are not rules, or retired ones (not kept). */
export async function requireLiveAlertRules(
  tx: DbOrTx,
  field: string,
  wanted: readonly number[],
  kept: readonly number[] = [],
): Promise<void> {
  const unknown = await findUnknown(wanted, kept, async (ids) => {
    const live = await listLiveAlertRuleIds(tx, ids);
    return (id) => live.has(id);
  });
  if (unknown.length === 0) return;
  throw new ApiError(
    "bad_request",
    `${field}: no alert rule ${listed(unknown)} (see Alert rules for the ids)`,
  );
}
