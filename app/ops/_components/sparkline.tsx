/**
 * A tiny line of recent values (no axes): the shape of the last few minutes at a glance. Gaps (null)
 * break the line; an all-zero series lies on the baseline.
 */
export function Sparkline({
  values,
  label,
  className = "text-brand",
  width = 160,
  height = 32,
}: {
  values: readonly (number | null)[];
  label: string;
  className?: string;
  width?: number;
  height?: number;
}) {
  const max = Math.max(1, ...values.map((v) => v ?? 0));
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const segments: string[] = [];
  let current = "";
  values.forEach((v, i) => {
    if (v === null) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    const x = (i * step).toFixed(1);
    const y = (height - 1 - (v / max) * (height - 2)).toFixed(1);
    current += `${current ? " L" : "M"}${x},${y}`;
  });
  if (current) segments.push(current);
  return (
    <svg
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      className={className}
    >
      <line
        x1={0}
        x2={width}
        y1={height - 1}
        y2={height - 1}
        className="stroke-slate-200 dark:stroke-slate-700"
      />
      {segments.map((d) => (
        <path key={d} d={d} fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinejoin="round" />
      ))}
    </svg>
  );
}
