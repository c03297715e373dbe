/**
 * CSV export (RFC 4180), the one encoder behind every "Export CSV" of the dashboard. A cell is quoted
 * when it holds a comma, quote or line break. Text that a spreadsheet would run as a formula (starting
 * with =, +, -, @, tab or carriage return) is prefixed with an apostrophe (OWASP's CSV injection
 * advice): a symbol name comes from outside and must never execute in the analyst's spreadsheet.
 * Numbers are written in full precision and never formatted (no thousands separators, no currency).
 */

export type CsvCell = string | number | boolean | null | undefined;

export type CsvColumn<Row> = { header: string; value: (row: Row) => CsvCell };

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell's text: empty for null, undefined and non-finite numbers. */
export function encodeCsvCell(cell: CsvCell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "number") return Number.isFinite(cell) ? String(cell) : "";
  if (typeof cell === "boolean") return cell ? "true" : "false";
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header line and one line per row, CRLF-separated as RFC 4180 says, ending with a line break. */
export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const lines = [columns.map((c) => encodeCsvCell(c.header)).join(",")];
  for (const row of rows) lines.push(columns.map((c) => encodeCsvCell(c.value(row))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** "tickstream-AAPL-2026-03-16.csv": a file name safe on every OS from free-text parts. */
export function toCsvFileName(parts: readonly string[]): string {
  const safe = parts.map((p) => p.replace(/[^A-Za-z0-9._-]+/g, "_")).filter((p) => p.length > 0);
  return `${["tickstream", ...safe].join("-")}.csv`;
}
