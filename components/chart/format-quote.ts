const quoteFormat = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 4 });

/** A price as the database holds it, to 4 decimals (a tooltip is compared with the stored bar). */
export function formatQuote(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "—" : quoteFormat.format(value);
}

/** "+1.23%" for compare mode. */
export function formatSignedPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return `${value > 0 ? "+" : ""}${value.toFixed(2)}%`;
}
