import pg from "pg";

import { describeError, type Logger } from "@/lib/log";

export type NotificationListener = { stop: () => Promise<void>; readonly connected: boolean };

/**
 * LISTENs on a PostgreSQL channel with a dedicated connection. When the connection drops (server
 * restart, network) it reconnects with backoff and calls `onReconnect`, because notifications sent
 * while it was away are lost and the caller must re-read the state.
 */
export function listenForNotifications(options: {
  url: string;
  channel: string;
  logger: Logger;
  onNotify: (payload: string) => void;
  onReconnect?: () => void;
}): NotificationListener {
  const { url, channel, logger } = options;
  let client: pg.Client | null = null;
  let stopped = false;
  let connected = false;
  let delay = 500;
  let timer: NodeJS.Timeout | undefined;
  let everConnected = false;

  const scheduleReconnect = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void connect(), delay);
    delay = Math.min(delay * 2, 10_000);
  };

  async function connect(): Promise<void> {
    if (stopped) return;
    const c = new pg.Client({
      connectionString: url,
      application_name: `tickstream-listen-${channel}`,
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
    client = c;
    c.on("notification", (msg) => {
      if (msg.channel === channel) options.onNotify(msg.payload ?? "");
    });
    c.on("error", (error) => {
      if (connected)
        logger.warn({ channel, err: error.message }, "notification connection lost; reconnecting");
      connected = false;
      void c.end().catch(() => undefined);
      scheduleReconnect();
    });
    try {
      await c.connect();
      await c.query(`listen ${pg.escapeIdentifier(channel)}`);
      connected = true;
      delay = 500;
      if (everConnected) {
        logger.info({ channel }, "notification connection restored");
        options.onReconnect?.();
      }
      everConnected = true;
    } catch (error) {
      connected = false;
      logger.debug({ channel, err: describeError(error) }, "could not listen yet");
      void c.end().catch(() => undefined);
      scheduleReconnect();
    }
  }

  void connect();
  return {
    get connected() {
      return connected;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
