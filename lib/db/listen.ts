import pg from "pg";
import type { z } from "zod";

import { createDedicatedClient } from "@/lib/db/client";
import { parseJsonWith } from "@/lib/events/parse-json";
import { describeError, type Logger } from "@/lib/log";
import { retry } from "@/lib/retry";

export type NotificationListener = { stop: () => Promise<void>; readonly connected: boolean };

type NotificationOptions<T> = {
  channel: string;
  /** The payload's schema (lib/events); a payload that is not JSON or fails it is logged and dropped. */
  schema: z.ZodType<T>;
  logger: Logger;
  /**
   * Called with a parsed payload. A payload is only a hint that something may have changed: anyone
   * connected can NOTIFY anything, so whatever is acted upon must be read from the tables.
   */
  onNotify: (payload: T) => void;
  clock?: () => number;
};

/** How often a stream of invalid payloads is summarised in the log after the first one is logged. */
export const INVALID_NOTIFICATION_LOG_INTERVAL_MS = 60_000;

/**
 * Turns a raw notification payload into a call of `onNotify` with the parsed payload. Never throws:
 * it runs inside pg's event emitter, where an exception would crash the process, and anyone allowed
 * to NOTIFY can send any text. Invalid payloads are ignored; the first is logged with its reason and
 * later ones are counted and summarised at most once a minute, so a flood cannot flood the log.
 */
export function createNotificationHandler<T>(options: NotificationOptions<T>): (payload: string) => void {
  const { channel, logger } = options;
  const clock = options.clock ?? Date.now;
  let lastLoggedAt: number | null = null;
  let suppressed = 0;
  return (payload) => {
    const parsed = parseJsonWith(options.schema, payload);
    if (!parsed.ok) {
      const now = clock();
      if (lastLoggedAt !== null && now - lastLoggedAt < INVALID_NOTIFICATION_LOG_INTERVAL_MS) {
        suppressed++;
        return;
      }
      logger.warn(
        { channel, payload: payload.slice(0, 200), reason: parsed.reason, ignoredSinceLastLog: suppressed },
        "invalid notification payload; ignored",
      );
      lastLoggedAt = now;
      suppressed = 0;
      return;
    }
    try {
      options.onNotify(parsed.data);
    } catch (error) {
      logger.error({ channel, payload, err: describeError(error) }, "notification handler failed");
    }
  };
}

/**
 * LISTENs on a PostgreSQL channel with a dedicated connection. When the connection drops (server
 * restart, network) it reconnects with backoff and calls `onReconnect`, because notifications sent
 * while it was away are lost and the caller must re-read the state.
 */
export function listenForNotifications<T>(
  options: NotificationOptions<T> & { url: string; onReconnect?: () => void },
): NotificationListener {
  const { url, channel, logger } = options;
  const handleNotification = createNotificationHandler(options);
  const stopping = new AbortController();
  let client: pg.Client | null = null;
  let connected = false;
  let everConnected = false;

  async function connectOnce(): Promise<void> {
    const c = createDedicatedClient(url, { applicationName: `tickstream-listen-${channel}` });
    client = c;
    c.on("notification", (msg) => {
      if (msg.channel === channel) handleNotification(msg.payload ?? "");
    });
    c.on("error", (error) => {
      // Fires once per broken connection; an error before `connect` resolved is the rejection below.
      if (!connected) return;
      logger.warn({ channel, err: error.message }, "notification connection lost; reconnecting");
      connected = false;
      void c
        .end()
        .catch((endError: unknown) =>
          logger.debug({ channel, err: describeError(endError) }, "closing the lost connection failed"),
        );
      void connect();
    });
    try {
      await c.connect();
      await c.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      // The connect error is what the retry loop reports; a failure to close the half-open client adds nothing.
      void c
        .end()
        .catch((endError: unknown) =>
          logger.debug({ channel, err: describeError(endError) }, "closing a failed connection failed"),
        );
      throw error;
    }
  }

  async function connect(): Promise<void> {
    try {
      await retry(connectOnce, {
        baseMs: 1_000,
        maxMs: 10_000,
        signal: stopping.signal,
        onRetry: (error) =>
          logger.debug({ channel, err: describeError(error) }, "could not listen yet; retrying"),
      });
    } catch {
      return; // only stop() ends the loop
    }
    if (stopping.signal.aborted) return;
    connected = true;
    if (everConnected) {
      logger.info({ channel }, "notification connection restored");
      options.onReconnect?.();
    }
    everConnected = true;
  }

  void connect();
  return {
    get connected() {
      return connected;
    },
    async stop() {
      stopping.abort();
      connected = false;
      await client
        ?.end()
        .catch((error: unknown) =>
          logger.debug({ channel, err: describeError(error) }, "closing the notification connection failed"),
        );
    },
  };
}
