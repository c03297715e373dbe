// `npm run bench [stream|dashboard|watchlist|symbols|series|kafka|all] [flags]`: prints speed and memory
// figures. Targets live here, never in timed unit tests.
//   stream     the real pipeline (built stream workers and web server) on a product of its own: backlog
//              drains against Kafka's own consumer, steady rates with latency to PostgreSQL and to
//              Socket.IO clients (flags: --quick for a smoke run, --only=<run ids>, --out=<file.json>)
//   dashboard  first render of a full session and live-update latency in headless Chromium
//              on a product of its own (fresh database and topics, built web server and stream worker)
//   watchlist  the landing list with 500 symbols updating every second: first render, JavaScript,
//              update-to-paint latency, long tasks and dropped frames, in headless Chromium
//   series     the stream worker's in-memory series at its cache's bound (2,000,000 bars): heap per bar
//              and CPU per applied bar, in this process (no servers)
//   symbols    symbol lists with 50,000 registered symbols: page sizes and times, a flood's events
//   kafka      kafkajs's encoding of a 1.74 MB produce request of live updates, with its own encoder and
//              with lib/kafka/encoder.ts, alternated in processes of their own (no servers)
import { benchDashboard } from "./dashboard";
import { benchKafkaEncode } from "./kafka-encode";
import { benchSeries } from "./series";
import { benchStream } from "./stream";
import { benchSymbols } from "./symbols";
import { benchWatchlist } from "./watchlist";

const args = process.argv.slice(2);
const which = args.find((a) => !a.startsWith("--")) ?? "all";
const flags = args.filter((a) => a.startsWith("--"));
try {
  if (which === "stream" || which === "all") await benchStream(flags);
  if (which === "dashboard" || which === "all") await benchDashboard();
  if (which === "series" || which === "all") benchSeries();
  if (which === "symbols" || which === "all") await benchSymbols();
  if (which === "watchlist" || which === "all") await benchWatchlist();
  if (which === "kafka" || which === "all") benchKafkaEncode();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
process.exit(0);
