import type { DeadLetterCheck } from "./dead-letters";
import type { FaultRow } from "./suite";

export type SuiteReport = {
  rows: readonly FaultRow[];
  tables: { facts: number; days: number; windows: number; problems: readonly string[] };
  dlq: DeadLetterCheck;
  memory: readonly { role: string; peakMb: number; boundMb: number }[];
  drainedAtS: number;
  ticks: number;
};

/** Rows as a Markdown table (the README keeps the last run's), columns padded for the terminal. */
function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

const fmt = (n: number | null) => (n === null ? "none" : n.toFixed(1));

/** The suite's outcome: each fault and its recovery time, then the differences (zero when it passes). */
export function formatTable(report: SuiteReport): string {
  const faults = renderTable(
    ["#", "fault", "at (s)", "outage (s)", "recovery (s)", "note"],
    report.rows.map((r, i) => [
      String(i),
      r.fault,
      r.atS.toFixed(1),
      r.outageS === null ? "" : r.outageS.toFixed(1),
      fmt(r.recoveryS),
      r.note,
    ]),
  );
  const { dlq, tables } = report;
  const classes = [...dlq.byClass].sort(([a], [b]) => a.localeCompare(b));
  const differences = renderTable(
    ["check", "compared", "differences"],
    [
      [
        "fact_prices, daily_stats, kpi_snapshots vs independent reference",
        `${tables.facts} + ${tables.days} + ${tables.windows} rows`,
        String(tables.problems.length),
      ],
      ...classes.map(([cls, { expected, got }]) => [
        `dead letters of class ${cls}`,
        `${expected} bad events on the topic`,
        String(Math.abs(got - expected)),
      ]),
      ["dead letters missing (by source partition/offset)", "", String(dlq.missing.length)],
      ["dead letters extra (for events that were not bad)", "", String(dlq.extra.length)],
      ["dead letters of the wrong class", "", String(dlq.wrongClass.length)],
      [
        "dead letters sent more than once (deduplicated above)",
        "",
        `${dlq.duplicates} (reported, not failed)`,
      ],
      ...report.memory.map((m) => [
        `peak RSS of the ${m.role} process (bound ${m.boundMb} MB)`,
        `${Math.round(m.peakMb)} MB`,
        m.peakMb > m.boundMb ? "over" : "0",
      ]),
    ],
  );
  return `${faults}\n\nTopic read back: ${report.ticks} events; lag 0 at ${report.drainedAtS.toFixed(1)} s.\n\n${differences}`;
}
