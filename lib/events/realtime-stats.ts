import { z } from "zod";

const count = z.number().int().nonnegative();

/** The web process's Socket.IO relay figures (attachRealtime().stats), shown in GET /api/health. */
export const realtimeStatsSchema = z.object({
  /** Sockets connected, as counted by connect and disconnect events. */
  connections: count,
  /** Live updates received and passed to the rooms watching them (none, often) since the process started. */
  relayed: count,
  /**
   * `market.kpis` messages that failed their schema and were dropped. Only the messages a page wants
   * are decoded (lib/realtime/server.ts), so a bad update nobody watches is not counted.
   */
  invalid: count,
  /** Whether the live-update consumer is running (false while Kafka is away). */
  consumerRunning: z.boolean(),
  /** Engine.IO clients connected. */
  sockets: count,
});

export type RealtimeStats = z.infer<typeof realtimeStatsSchema>;
