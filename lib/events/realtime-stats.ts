import { z } from "zod";

const count = z.number().int().nonnegative();

/** The web process's Socket.IO relay figures (attachRealtime().stats), shown in GET /api/health. */
export const realtimeStatsSchema = z.object({
  /** Sockets connected, as counted by connect and disconnect events. */
  connections: count,
  /**
   * Live updates received and passed to the rooms watching them (none, often) since the process
   * started: each symbol update of a symbols message counts.
   */
  relayed: count,
  /**
   * `market.kpis` updates that failed their schema, or messages that are not one, dropped. Only the
   * updates a page wants are checked (lib/realtime/server.ts), so a bad update nobody watches is not
   * counted: a v1 update it does not want is not even decoded, and of a symbols message of many symbols
   * only the watched updates are checked.
   */
  invalid: count,
  /** Whether the live-update consumer is running (false while Kafka is away). */
  consumerRunning: z.boolean(),
  /** Engine.IO clients connected. */
  sockets: count,
});

export type RealtimeStats = z.infer<typeof realtimeStatsSchema>;
