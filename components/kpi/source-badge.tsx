import type { SymbolSource } from "@/lib/events/symbol";
import { cn } from "@/lib/utils";

/** Sources whose bars are not live market data, with what the badge says about them. */
const NOT_LIVE: Partial<Record<SymbolSource, { label: string; meaning: string }>> = {
  replay: {
    label: "Replay",
    meaning: "Recorded real bars replayed on the wall clock; not live market data",
  },
  synthetic: {
    label: "Synthetic",
    meaning: "Generated bars (a random walk for load tests); not market data",
  },
};

/**
 * Marks a symbol whose bars are not live market data (replay, synthetic) wherever the symbol appears;
 * renders nothing for live sources. The tooltip says what the label means; screen readers hear it only
 * on the full-size badge (a symbol's own page), not on every row of a table.
 */
export function SourceBadge({
  source,
  size = "md",
  className,
}: {
  source: SymbolSource | null | undefined;
  size?: "sm" | "md";
  className?: string;
}) {
  const kind = source ? NOT_LIVE[source] : undefined;
  if (!source || !kind) return null;
  return (
    <span
      data-testid="source-badge"
      data-source={source}
      title={kind.meaning}
      className={cn(
        "inline-block rounded-full font-semibold whitespace-nowrap",
        source === "replay"
          ? "bg-violet-100 text-violet-800 dark:bg-violet-900/50 dark:text-violet-200"
          : "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-100",
        size === "sm" ? "px-1.5 text-[10px] leading-4" : "px-2.5 py-0.5 text-xs",
        className,
      )}
    >
      {kind.label}
      {/* Said once where the symbol is the page's subject; a table's rows keep it to the tooltip. */}
      {size === "md" && <span className="sr-only"> ({kind.meaning})</span>}
    </span>
  );
}

/** The text the symbol picker appends to a replayed symbol's name (an <option> cannot hold a badge). */
export function formatSourceSuffix(source: SymbolSource | null | undefined): string {
  const kind = source ? NOT_LIVE[source] : undefined;
  return kind ? ` · ${kind.label.toLowerCase()}` : "";
}
