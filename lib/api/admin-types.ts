/**
 * What the admin API returns, as the browser sees it: the one definition shared by lib/admin (which
 * builds these views) and the admin components (which render them). Types only: runs anywhere.
 */
export type AdminSymbolStatus = "active" | "paused" | "invalid" | "removed";

export type AdminSymbol = {
  symbol: string;
  displayName: string | null;
  status: AdminSymbolStatus;
  statusReason: string | null;
  source: string;
  pollIntervalSeconds: number;
  exchangeTimezone: string;
  marketState: string | null;
  lastTickAt: number | null;
  latestTradeDate: string | null;
  ticksToday: number;
  lastError: string | null;
  lastErrorAt: number | null;
  removedAt: number | null;
  updatedAt: number;
};

export type AuditEntry = {
  id: number;
  at: number;
  actor: string;
  action: string;
  symbol: string | null;
  before: unknown;
  after: unknown;
  clientIp: string | null;
};

export type AddSymbolsOutcome = {
  added: string[];
  reactivated: string[];
  alreadyFollowed: { symbol: string; status: AdminSymbolStatus }[];
  rejected: { symbol: string; reason: string }[];
};

export type PollIntervalBounds = { min: number; max: number };
