// Web entrypoint: one http.Server for Next.js and Socket.IO. `npm run dev` runs it with tsx (Next in dev
// mode); `npm run start:web` runs the bundled build (dist/server.js) in production mode.
import { createServer } from "node:http";
import os from "node:os";

import next from "next";

import { getEnv, getKafkaBrokers } from "@/lib/env";
import { listenForNotifications } from "@/lib/db/listen";
import { SYMBOLS_CHANGED_CHANNEL, symbolsChangedSchema } from "@/lib/events/symbols-changed";
import { createAdmin, createConsumer, createKafkaClient } from "@/lib/kafka/client";
import { createLogger, describeError } from "@/lib/log";
import { attachRealtime } from "@/lib/realtime/server";
import { setRealtimeStats } from "@/lib/realtime/stats";

async function main(): Promise<void> {
  const env = getEnv();
  const logger = createLogger("web");
  const dev = env.NODE_ENV !== "production";
  const app = next({ dev, hostname: env.HOST, port: env.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((req, res) => {
    // Client addresses (login rate limits, audit) come from X-Forwarded-For; unless a trusted proxy
    // sets it, a client could forge it, so the socket's address replaces it.
    if (!env.TRUST_PROXY) req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
    void handle(req, res);
  });
  const kafka = createKafkaClient({
    brokers: getKafkaBrokers(env),
    clientId: `${env.KAFKA_CLIENT_ID}-web`,
    logger,
  });
  // A group per instance: every web instance receives every update (fan-out, not load sharing).
  const groupId = `tickstream-web-${os.hostname()}-${process.pid}-${Date.now().toString(36)}`;
  const realtime = attachRealtime(server, {
    consumer: createConsumer(kafka, { groupId }),
    topic: env.TOPIC_KPIS,
    logger: logger.child({ component: "realtime" }),
    moversWindows: [0, ...env.KPI_WINDOWS],
  });
  setRealtimeStats(realtime.stats);

  const symbolsListener = listenForNotifications({
    url: env.DATABASE_URL,
    channel: SYMBOLS_CHANGED_CHANNEL,
    schema: symbolsChangedSchema,
    logger,
    onNotify: (change) => realtime.emitSymbolsChanged(change),
    onReconnect: () => realtime.emitSymbolsChanged({ op: "UPDATE", symbol: "*" }),
  });

  server.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE")
      logger.fatal(`port ${env.PORT} is in use: stop what uses it or set PORT`);
    else logger.fatal({ err: describeError(error) }, "web server failed");
    process.exit(1);
  });
  server.listen(env.PORT, env.HOST, () => {
    const url = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
    logger.info({ url, mode: dev ? "development" : "production" }, `Tickstream is up at ${url}`);
  });

  // SIGTERM/SIGINT: stop accepting, close sockets and the live consumer, drop this instance's group.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, "shutting down");
    setTimeout(() => process.exit(1), 10_000).unref();
    await symbolsListener.stop();
    await realtime.close();
    const admin = createAdmin(kafka);
    await admin
      .connect()
      .then(() => admin.deleteGroups([groupId]))
      .catch(() => undefined)
      .finally(() => void admin.disconnect().catch(() => undefined));
    await app.close().catch(() => undefined);
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  // Started by `npm start` with an IPC channel: if the supervisor dies, stop instead of running orphaned.
  if (process.send) process.on("disconnect", () => void shutdown("supervisor exited"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
