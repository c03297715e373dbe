import type { z } from "zod";

import { ApiError } from "@/lib/api/errors";
import { MAX_ADMIN_BODY_BYTES } from "@/lib/events/api-admin-requests";
import { parseJson } from "@/lib/events/parse-json";

/**
 * Reads and validates a JSON body of at most `maxBytes`: 413 when Content-Length or the bytes actually
 * received exceed it (the stream is cancelled, never buffered whole), 400 for a non-JSON content type,
 * malformed JSON or a body the schema refuses (with the schema's message).
 */
export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  maxBytes = MAX_ADMIN_BODY_BYTES,
): Promise<z.infer<S>> {
  const tooLarge = () =>
    new ApiError("payload_too_large", `the request body is larger than ${Math.round(maxBytes / 1024)} KiB`);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge();
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type))
    throw new ApiError("bad_request", "send a JSON body with the header content-type: application/json");
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        // The 413 below is the answer either way; a stream that fails to cancel has nothing more to send.
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  const json = parseJson(text);
  if (!json.ok)
    throw new ApiError(
      "bad_request",
      text.trim() ? "the request body is not valid JSON" : "the request body is empty; send a JSON object",
    );
  return schema.parse(json.data);
}

/** Whether the request reached us over https (directly or, per x-forwarded-proto, through a proxy). */
export function isHttpsRequest(request: Request): boolean {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return forwarded ? forwarded === "https" : new URL(request.url).protocol === "https:";
}

/** Origins a state-changing request may come from: this server as the browser addressed it, and PUBLIC_URL. */
export function getAllowedOrigins(request: Request, publicOrigin: string | null): string[] {
  const origins = [new URL(request.url).origin];
  const host = request.headers.get("host");
  if (host) origins.push(`${isHttpsRequest(request) ? "https" : "http"}://${host}`);
  if (publicOrigin) origins.push(publicOrigin);
  return origins;
}
