/**
 * The window of a movers ranking, as one number everywhere (events, Socket.IO rooms, REST bodies, the
 * loader, the browser): the minutes of a tumbling window, or `TRADING_DAY_WINDOW` (0) for the trading
 * day ranked by change % against the previous close. The `market.kpis` v1 event carries that number in
 * `windowMinutes`, so it stays the representation; `day` is only how a URL may spell it.
 */
export type MoversWindow = number;

export const TRADING_DAY_WINDOW: MoversWindow = 0;

/** The URL spelling of the trading day: `/api/movers?window=day`. */
export const TRADING_DAY_PARAM = "day";

/** Longest tumbling window a URL may ask for (one day). */
export const MAX_WINDOW_MINUTES = 1440;

export function isTradingDayWindow(window: MoversWindow): boolean {
  return window === TRADING_DAY_WINDOW;
}

/** The `window` query value of a movers window: `day` for the trading day, else its minutes. */
export function formatMoversWindowParam(window: MoversWindow): string {
  return isTradingDayWindow(window) ? TRADING_DAY_PARAM : String(window);
}

/**
 * Reads a `window` query value: `day` or `0` is the trading day, `1`..`1440` a window length in
 * minutes; anything else is null.
 */
export function parseMoversWindowParam(text: string): MoversWindow | null {
  const value = text.trim().toLowerCase();
  if (value === TRADING_DAY_PARAM) return TRADING_DAY_WINDOW;
  if (!/^\d{1,4}$/.test(value)) return null;
  const minutes = Number(value);
  return minutes <= MAX_WINDOW_MINUTES ? minutes : null;
}

/** Short label of a movers window: `Day`, `5 m`, `1 h`. */
export function formatMoversWindowLabel(window: MoversWindow): string {
  if (isTradingDayWindow(window)) return "Day";
  return window < 60 || window % 60 !== 0 ? `${window} m` : `${window / 60} h`;
}

/**
 * The movers windows a deployment ranks, in the order the dashboard offers them: each configured
 * tumbling window length (`kpiWindows`, KPI_WINDOWS), then the trading day.
 */
export function listMoversWindows(kpiWindows: readonly number[]): MoversWindow[] {
  return [...kpiWindows, TRADING_DAY_WINDOW];
}

/** Whether a deployment with these tumbling window lengths ranks movers over `window`. */
export function isMoversWindow(window: MoversWindow, kpiWindows: readonly number[]): boolean {
  return listMoversWindows(kpiWindows).includes(window);
}

/** Whether a deployment with these tumbling window lengths (KPI_WINDOWS) computes windows of `minutes`. */
export function isKpiWindow(minutes: number, kpiWindows: readonly number[]): boolean {
  return kpiWindows.includes(minutes);
}

/**
 * The words of a 400 for a well-formed window the deployment does not have, the same for the movers
 * and the window KPIs: "window: 7 is not a window of this deployment; one of 5, 15, 60, day".
 */
export function describeWindowNotOffered(window: MoversWindow, offered: readonly MoversWindow[]): string {
  return `window: ${formatMoversWindowParam(window)} is not a window of this deployment; one of ${offered.map(formatMoversWindowParam).join(", ")}`;
}
