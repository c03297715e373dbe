import { z } from "zod";

/** The body of every REST answer that is not 2xx (lib/api/with-api.ts writes it). */
export const apiErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;
