import { z } from "zod";

// What a stream worker started by `npm start` tells its supervisor over the IPC channel of its process,
// after each join of its consumer group. Should the worker die, the supervisor hands the member id to the
// worker it starts in its place (STREAM_HANDED_OVER_MEMBER_ID), which then takes the dead member's place
// in the group at once instead of waiting for its session to expire (lib/kafka/member-handover.ts).

export const kafkaMembershipMessageSchema = z.strictObject({
  type: z.literal("kafka-membership"),
  groupId: z.string().min(1),
  memberId: z.string().min(1),
});

export type KafkaMembershipMessage = z.infer<typeof kafkaMembershipMessageSchema>;
