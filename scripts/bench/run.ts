// `npm run bench [stream|dashboard|all]`: prints speed and memory figures. Targets live here, never in
// timed unit tests.
//   stream     synthetic bars for many symbols through Kafka into the stream worker and PostgreSQL
//   dashboard  first render of a full session and live-update latency in headless Chromium
//              on a product of its own (fresh database and topics, built web server and stream worker)
//   watchlist  the landing list with 500 symbols updating every second: first render, JavaScript,
//              update-to-paint latency, long tasks and dropped frames, in headless Chromium
//   symbols    symbol lists with 50,000 registered symbols: page sizes and times, a flood's events
import { benchDashboard } from "./dashboard";
import { benchStream } from "./stream";
import { benchSymbols } from "./symbols";
import { benchWatchlist } from "./watchlist";

const which = process.argv[2] ?? "all";
if (which === "stream" || which === "all") await benchStream();
if (which === "dashboard" || which === "all") await benchDashboard();
if (which === "symbols" || which === "all") await benchSymbols();
if (which === "watchlist" || which === "all") await benchWatchlist();
process.exit(0);
