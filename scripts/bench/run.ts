// `npm run bench [stream|dashboard|all]`: prints speed and memory figures. Targets live here, never in
// timed unit tests.
//   stream     synthetic bars for many symbols through Kafka into the stream worker and PostgreSQL
//   dashboard  first render of a full session and live-update latency in headless Chromium
//              (needs the product running: `npm start`, or BENCH_URL)
import { benchDashboard } from "./dashboard";
import { benchStream } from "./stream";

const which = process.argv[2] ?? "all";
if (which === "stream" || which === "all") await benchStream();
if (which === "dashboard" || which === "all") await benchDashboard();
process.exit(0);
