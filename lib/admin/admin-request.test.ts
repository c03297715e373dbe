import { describe, expect, it } from "vitest";
import { z } from "zod";

import { getAllowedOrigins, isHttpsRequest, readJsonBody } from "@/lib/admin/admin-request";
import { ApiError } from "@/lib/api/errors";

const schema = z.object({ name: z.string() });
const post = (
  body: BodyInit | null,
  headers: Record<string, string> = { "content-type": "application/json" },
) => new Request("http://127.0.0.1:3000/api/admin/symbols", { method: "POST", body, headers });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return error instanceof ApiError ? error.code : error instanceof z.ZodError ? "zod" : String(error);
  }
}

describe("reading a JSON body", () => {
  it("parses a body within the limit", async () => {
    await expect(readJsonBody(post(JSON.stringify({ name: "x" })), schema, 100)).resolves.toEqual({
      name: "x",
    });
  });

  it("answers 413 for a body over the limit, declared or streamed without a length", async () => {
    expect(await codeOf(readJsonBody(post(JSON.stringify({ name: "x".repeat(200) })), schema, 100))).toBe(
      "payload_too_large",
    );
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(64).fill(32));
      },
    });
    const request = new Request("http://h/x", {
      method: "POST",
      body: stream,
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    expect(await codeOf(readJsonBody(request, schema, 1000))).toBe("payload_too_large");
  });

  it("answers 400 for another content type, malformed JSON or an empty body", async () => {
    expect(
      await codeOf(
        readJsonBody(post("name=x", { "content-type": "application/x-www-form-urlencoded" }), schema),
      ),
    ).toBe("bad_request");
    expect(await codeOf(readJsonBody(post("{not json"), schema))).toBe("bad_request");
    expect(await codeOf(readJsonBody(post(null), schema))).toBe("bad_request");
  });

  it("leaves schema failures to the caller's error mapping (zod → 400)", async () => {
    expect(await codeOf(readJsonBody(post(JSON.stringify({ name: 1 })), schema))).toBe("zod");
  });
});

describe("request origin", () => {
  it("knows https from x-forwarded-proto or the URL", () => {
    expect(isHttpsRequest(new Request("http://h/", { headers: { "x-forwarded-proto": "https" } }))).toBe(
      true,
    );
    expect(isHttpsRequest(new Request("https://h/"))).toBe(true);
    expect(isHttpsRequest(new Request("http://h/"))).toBe(false);
  });

  it("allows the URL's origin, the Host the browser used, and PUBLIC_URL", () => {
    const request = new Request("http://0.0.0.0:3000/api", { headers: { host: "localhost:3000" } });
    expect(getAllowedOrigins(request, "https://ts.example.com")).toEqual([
      "http://0.0.0.0:3000",
      "http://localhost:3000",
      "https://ts.example.com",
    ]);
  });
});
