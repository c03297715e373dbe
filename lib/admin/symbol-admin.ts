import { toAuditState } from "@/lib/admin/admin-views";
import type { CheckedSymbol, SymbolValidator } from "@/lib/admin/symbol-validator";
import { ApiError } from "@/lib/api/errors";
import type { Db, DbOrTx } from "@/lib/db/client";
import { insertAuditEntry } from "@/lib/db/queries/audit-log";
import {
  getSymbol,
  getSymbolForUpdate,
  insertSymbols,
  listSymbolsByName,
  purgeSymbolHistory,
  updateSymbol,
  type PurgedHistory,
  type SymbolPatch,
  type SymbolRow,
  type SymbolSource,
  type SymbolStatus,
} from "@/lib/db/queries/symbols";
import type { AuditAction, AuditPurge, AuditState } from "@/lib/events/api-admin";
import { isFollowedStatus, isPollingSource, normalizeSymbolInput } from "@/lib/events/symbol";

/** Who makes a change, for the audit log. */
export type AdminActor = { username: string; clientIp: string | null };

export type SymbolAdminDeps = {
  db: Db;
  validator: SymbolValidator;
  /** INGEST_SOURCE: the source of symbols whose own source is null (every symbol added here). */
  defaultSource: SymbolSource;
  defaultTimeZone: string;
  clock: () => number;
};

export type AddSymbolsResult = {
  added: string[];
  /** Removed (or invalid) symbols that were followed again. */
  reactivated: string[];
  alreadyFollowed: { symbol: string; status: SymbolStatus }[];
  /** Not found at the source, with the reason. */
  rejected: { symbol: string; reason: string }[];
};

/**
 * Refuses a poll interval for symbols whose source does not poll: saving one would confirm and audit a
 * change that has no effect on their bars.
 */
function assertPollable(symbols: { symbol: string; source: SymbolSource }[]): void {
  const notPolled = symbols.filter((s) => !isPollingSource(s.source));
  if (notPolled.length === 0) return;
  const names = notPolled.map((s) => s.symbol).join(", ");
  const sources = [...new Set(notPolled.map((s) => s.source))].join(", ");
  throw new ApiError(
    "bad_request",
    `pollIntervalSeconds: ${names} ${notPolled.length === 1 ? "is" : "are"} not polled (source ${sources}): a poll interval would have no effect`,
  );
}

async function audit(
  tx: DbOrTx,
  actor: AdminActor,
  action: AuditAction,
  symbol: string,
  before: AuditState | null,
  after: AuditState | AuditPurge,
): Promise<void> {
  await insertAuditEntry(tx, {
    actor: actor.username,
    action,
    symbol,
    before,
    after,
    clientIp: actor.clientIp,
  });
}

/**
 * Follows new symbols. Those already followed (active or paused) are reported, not doubled; the rest
 * are checked at the source first, and a removed or invalid one that passes is reactivated. All writes
 * and their audit entries commit together; the `symbols` trigger then tells the ingest worker.
 */
export async function addSymbols(
  deps: SymbolAdminDeps,
  actor: AdminActor,
  input: { symbols: string[]; pollIntervalSeconds?: number },
): Promise<AddSymbolsResult> {
  const existing = new Map((await listSymbolsByName(deps.db, input.symbols)).map((row) => [row.symbol, row]));
  if (input.pollIntervalSeconds !== undefined)
    assertPollable(
      input.symbols.map((symbol) => ({
        symbol,
        source: existing.get(symbol)?.source ?? deps.defaultSource,
      })),
    );
  const result: AddSymbolsResult = { added: [], reactivated: [], alreadyFollowed: [], rejected: [] };
  const toCheck: string[] = [];
  for (const symbol of input.symbols) {
    const row = existing.get(symbol);
    if (row && isFollowedStatus(row.status)) result.alreadyFollowed.push({ symbol, status: row.status });
    else toCheck.push(symbol);
  }
  // The source is asked outside the transaction: a Yahoo round trip must not hold row locks.
  const check = toCheck.length > 0 ? await deps.validator.check(toCheck) : { found: [], rejected: [] };
  result.rejected = check.rejected;
  await deps.db.transaction(async (tx) => {
    for (const found of check.found) {
      const row = await getSymbolForUpdate(tx, found.symbol);
      if (row && isFollowedStatus(row.status)) {
        result.alreadyFollowed.push({ symbol: row.symbol, status: row.status });
      } else if (row) {
        const updated = await updateSymbol(tx, row.symbol, {
          ...reactivationPatch(found, row),
          ...(input.pollIntervalSeconds !== undefined && { pollIntervalSeconds: input.pollIntervalSeconds }),
        });
        await audit(tx, actor, "symbol.reactivate", row.symbol, toAuditState(row), toAuditState(updated!));
        result.reactivated.push(row.symbol);
      } else {
        const [inserted] = await insertSymbols(tx, [
          {
            symbol: found.symbol,
            displayName: found.displayName,
            exchangeTimezone: found.exchangeTimezone ?? deps.defaultTimeZone,
            status: "active",
            ...(input.pollIntervalSeconds !== undefined && {
              pollIntervalSeconds: input.pollIntervalSeconds,
            }),
          },
        ]);
        // Nothing inserted: another request added it between our read and this insert.
        if (!inserted) result.alreadyFollowed.push({ symbol: found.symbol, status: "active" });
        else {
          await audit(tx, actor, "symbol.add", inserted.symbol, null, toAuditState(inserted));
          result.added.push(inserted.symbol);
        }
      }
    }
  });
  return result;
}

function reactivationPatch(found: CheckedSymbol, row: SymbolRow): SymbolPatch {
  return {
    status: "active",
    statusReason: null,
    removedAt: null,
    lastError: null,
    lastErrorAt: null,
    displayName: found.displayName ?? row.displayName,
    exchangeTimezone: found.exchangeTimezone ?? row.exchangeTimezone,
  };
}

async function getFollowableOrThrow(db: DbOrTx, symbol: string, forUpdate: boolean): Promise<SymbolRow> {
  const row = forUpdate ? await getSymbolForUpdate(db, symbol) : await getSymbol(db, symbol);
  if (!row) throw new ApiError("not_found", `${symbol} is not a followed symbol`);
  return row;
}

/**
 * Pauses (`paused`), resumes (`active`) and/or sets the poll interval (400 for a source that does not
 * poll). Resuming an invalid symbol checks it at the source again. A removed symbol must be added again
 * instead. No change, no audit.
 */
export async function updateSymbolSettings(
  deps: SymbolAdminDeps,
  actor: AdminActor,
  symbol: string,
  change: { status?: "active" | "paused"; pollIntervalSeconds?: number },
): Promise<{ row: SymbolRow; isChanged: boolean }> {
  const current = await getFollowableOrThrow(deps.db, symbol, false);
  if (current.status === "removed")
    throw new ApiError("conflict", `${symbol} was removed; add it again to follow it`);
  if (change.pollIntervalSeconds !== undefined)
    assertPollable([{ symbol, source: current.source ?? deps.defaultSource }]);
  let recheck: CheckedSymbol | null = null;
  if (change.status === "active" && current.status === "invalid") {
    const check = await deps.validator.check([symbol]);
    const rejected = check.rejected[0];
    if (rejected) throw new ApiError("bad_request", `cannot resume ${symbol}: ${rejected.reason}`);
    recheck = check.found[0] ?? null;
  }
  return deps.db.transaction(async (tx) => {
    const row = await getFollowableOrThrow(tx, symbol, true);
    if (row.status === "removed")
      throw new ApiError("conflict", `${symbol} was removed; add it again to follow it`);
    const patch: SymbolPatch = {};
    if (change.status !== undefined && change.status !== row.status) {
      Object.assign(
        patch,
        recheck ? reactivationPatch(recheck, row) : { status: change.status, statusReason: null },
      );
    }
    if (change.pollIntervalSeconds !== undefined && change.pollIntervalSeconds !== row.pollIntervalSeconds)
      patch.pollIntervalSeconds = change.pollIntervalSeconds;
    if (Object.keys(patch).length === 0) return { row, isChanged: false };
    const updated = (await updateSymbol(tx, symbol, patch))!;
    await audit(tx, actor, describeUpdate(patch), symbol, toAuditState(row), toAuditState(updated));
    return { row: updated, isChanged: true };
  });
}

function describeUpdate(patch: SymbolPatch): AuditAction {
  const statusAction =
    patch.status === "paused" ? "symbol.pause" : patch.status === "active" ? "symbol.resume" : null;
  if (statusAction && patch.pollIntervalSeconds !== undefined) return "symbol.update";
  return statusAction ?? "symbol.poll_interval";
}

/** Stops following a symbol (status removed); its history stays until purged. */
export async function removeSymbol(
  deps: SymbolAdminDeps,
  actor: AdminActor,
  symbol: string,
): Promise<{ row: SymbolRow; isChanged: boolean }> {
  return deps.db.transaction(async (tx) => {
    const row = await getFollowableOrThrow(tx, symbol, true);
    if (row.status === "removed") return { row, isChanged: false };
    const updated = (await updateSymbol(tx, symbol, {
      status: "removed",
      statusReason: null,
      removedAt: new Date(deps.clock()),
    }))!;
    await audit(tx, actor, "symbol.remove", symbol, toAuditState(row), toAuditState(updated));
    return { row: updated, isChanged: true };
  });
}

/**
 * Deletes a removed symbol's history (bars, daily stats, window KPIs, raw ticks, ingest cursor) once
 * `confirm` repeats the symbol. Its row and audit trail stay; adding it again starts from scratch.
 */
export async function purgeSymbol(
  deps: SymbolAdminDeps,
  actor: AdminActor,
  symbol: string,
  confirm: string,
): Promise<PurgedHistory> {
  if (normalizeSymbolInput(confirm) !== symbol)
    throw new ApiError(
      "bad_request",
      `to delete ${symbol}'s history, confirm with the symbol itself: {"confirm": "${symbol}"}`,
    );
  return deps.db.transaction(async (tx) => {
    const row = await getFollowableOrThrow(tx, symbol, true);
    if (row.status !== "removed")
      throw new ApiError("conflict", `${symbol} is ${row.status}: remove it before purging its history`);
    const deleted = await purgeSymbolHistory(tx, symbol);
    await audit(tx, actor, "symbol.purge", symbol, toAuditState(row), { deleted });
    return deleted;
  });
}
