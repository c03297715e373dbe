// `npm run bench [stream|dashboard|all]`: prints speed and memory figures. Targets live here, never in
// timed unit tests.
//   stream     synthetic bars for many symbols through Kafka into the stream worker and PostgreSQL
//   dashboard  first render of a full session and live-update latency in headless Chromium
//              on a product of its own (fresh database and topics, built web server and stream worker)
import { benchDashboard } from "./dashboard";
import { benchStream } from "./stream";

const which = process.argv[2] ?? "all";
if (which === "stream" || which === "all") await benchStream();
if (which === "dashboard" || which === "all") await benchDashboard();
process.exit(0);
