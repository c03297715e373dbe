import { formatPercent, getChangeDirection } from "@/lib/kpi/format";
import { cn } from "@/lib/utils";

/** A signed percentage coloured by direction, with an arrow for colour-blind readers. */
export function ChangeText({
  value,
  className,
  testId,
}: {
  value: number | null | undefined;
  className?: string;
  testId?: string;
}) {
  const direction = getChangeDirection(value);
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
      {formatPercent(value)}
    </span>
  );
}
