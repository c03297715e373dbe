import type { DailyStat, FactBar, Mover, WindowKpi } from "@/lib/kpi/types";

/** A symbol as the dashboard and the REST API describe it. */
export type SymbolSummary = {
  symbol: string;
  displayName: string | null;
  status: "active" | "paused" | "invalid" | "removed";
  statusReason: string | null;
  source: string;
  marketState: string | null;
  exchangeTimezone: string;
  lastTickAt: number | null;
};

export type Snapshot = {
  symbol: SymbolSummary;
  latestBar: FactBar | null;
  day: DailyStat | null;
  windows: WindowKpi[];
};

export type MoversView = {
  windowMinutes: number;
  windowStart: number | null;
  windowEnd: number | null;
  gainers: Mover[];
  losers: Mover[];
};
