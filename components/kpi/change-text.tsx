import { formatPercent, getChangeDirection, getSignificantPercentDigits } from "@/lib/kpi/format";
import { cn } from "@/lib/utils";

/**
 * A signed percentage coloured by direction, with an arrow for colour-blind readers. `isRanked` (a
 * gainer or loser, ranked by its sign) shows as many decimals as the sign needs, up to four.
 */
export function ChangeText({
  value,
  className,
  testId,
  isRanked = false,
}: {
  value: number | null | undefined;
  className?: string;
  testId?: string;
  isRanked?: boolean;
}) {
  const digits = isRanked ? getSignificantPercentDigits(value) : 2;
  const direction = getChangeDirection(value, digits);
  return (
    <span
      data-testid={testId}
      data-direction={direction}
      className={cn(
        "tabular font-semibold whitespace-nowrap",
        direction === "up" && "text-up",
        direction === "down" && "text-down",
        className,
      )}
    >
      {direction === "up" ? "▲ " : direction === "down" ? "▼ " : ""}
      {formatPercent(value, digits)}
    </span>
  );
}
