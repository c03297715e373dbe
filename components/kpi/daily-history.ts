/** Trading days the daily high/low chart shows (the server's first render and the live reloads). */
export const DAILY_HISTORY_DAYS = 10;
