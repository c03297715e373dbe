/**
 * When a symbol's newest bar starts (ms), as the dashboard and the admin page show it: the later of the
 * newest bar this deployment's ingest published to Kafka (`published`, symbols.last_tick_at) and the
 * newest bar stored (`stored`, fact_prices). Both count because each can be the only one: bars of an
 * `external` symbol reach the topic without passing through this ingest, so only `stored` knows them,
 * and while the stream worker lags only `published` has the newest. Null before either has a bar.
 */
export function pickLastTickAt(published: number | null, stored: number | null): number | null {
  if (published === null) return stored;
  if (stored === null) return published;
  return Math.max(published, stored);
}
