import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import type { Bar } from "@/lib/kpi/types";

/**
 * Parses a recorded 1-minute bar file (yfinance CSV: `Datetime,Close,High,Low,Open,Volume`; columns are
 * read by header name, whatever their order). Rows that are not valid bars throw with their line number.
 */
export function parseRecordedBarsCsv(text: string, fileName = "csv"): Bar[] {
  const lines = text.trim().split(/\r?\n/);
  const header = (lines.shift() ?? "").split(",").map((h) => h.trim().toLowerCase());
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${fileName}: no "${name}" column in the header`);
    return i;
  };
  const [iTs, iOpen, iHigh, iLow, iClose, iVolume] = [
    col(header.includes("datetime") ? "datetime" : "date"),
    col("open"),
    col("high"),
    col("low"),
    col("close"),
    col("volume"),
  ];
  return lines.map((line, n) => {
    const cells = line.split(",");
    const bar: Bar = {
      ts: Date.parse((cells[iTs] ?? "").trim().replace(" ", "T")),
      open: Number(cells[iOpen]),
      high: Number(cells[iHigh]),
      low: Number(cells[iLow]),
      close: Number(cells[iClose]),
      volume: Number(cells[iVolume]),
    };
    if (
      !Number.isFinite(bar.ts) ||
      ![bar.open, bar.high, bar.low, bar.close, bar.volume].every(Number.isFinite)
    ) {
      throw new Error(`${fileName}:${n + 2}: not a bar: ${line}`);
    }
    return bar;
  });
}

/** Symbol of a recorded file: `AAPL_1m.csv` → AAPL. */
export function parseRecordedFileSymbol(fileName: string): string | null {
  const match = /^(.+)_1m\.csv$/i.exec(fileName);
  return match?.[1] ? match[1].toUpperCase() : null;
}

/** Symbols that have a recording in `dir`. */
export function listRecordedSymbols(dir: string): string[] {
  return readdirSync(dir)
    .map(parseRecordedFileSymbol)
    .filter((s): s is string => s !== null)
    .sort();
}

/** Every recording in `dir`, by symbol, bars sorted by ts. */
export function loadRecordedBars(dir: string): Map<string, Bar[]> {
  const out = new Map<string, Bar[]>();
  for (const file of readdirSync(dir).sort()) {
    const symbol = parseRecordedFileSymbol(file);
    if (!symbol) continue;
    const bars = parseRecordedBarsCsv(readFileSync(path.join(dir, file), "utf8"), file).sort(
      (a, b) => a.ts - b.ts,
    );
    out.set(symbol, bars);
  }
  return out;
}
