import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { isIP } from "node:net";

import type { WebhookAttemptOutcome } from "@/lib/alerts/webhook-retry";
import {
  getWebhookHost,
  isHostAllowed,
  isPrivateAddress,
  type WebhookHostPolicy,
} from "@/lib/alerts/webhook-url";

/** One POST of one delivery. */
export type WebhookRequest = { url: string; body: string; headers: Readonly<Record<string, string>> };

/** Sends one attempt and says how it went; never throws. The relay takes it as a parameter (tests, fakes). */
export type WebhookSender = (request: WebhookRequest) => Promise<WebhookAttemptOutcome>;

class RefusedAddress extends Error {}

/**
 * A DNS lookup that refuses private addresses (lib/alerts/webhook-url.ts): the check applies to the
 * address the socket connects to, so a name resolving (or re-pointed) to an internal address is refused.
 */
function createGuardedLookup(): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const refused = addresses.find((a) => isPrivateAddress(a.address));
      if (refused)
        return callback(
          new RefusedAddress(
            `${hostname} resolves to ${refused.address}, a private address; list the host in WEBHOOK_ALLOWED_HOSTS to allow it`,
          ),
          "",
          0,
        );
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/** Most characters of an error kept for last_error (it shows in the admin API and BI). */
const MAX_ERROR_LENGTH = 300;

/**
 * The product's sender: node:http(s) rather than fetch, because only its `lookup` hook sees the address
 * a name resolves to before connecting. No redirects are followed (a 3xx counts as a rejection: a
 * redirect could lead to an internal address), the response body is drained and ignored, and each
 * attempt is bounded by `timeoutMs` from start to status line.
 */
export function createWebhookSender(options: {
  policy: WebhookHostPolicy;
  timeoutMs: number;
  userAgent?: string;
}): WebhookSender {
  const guardedLookup = createGuardedLookup();
  return (request) =>
    new Promise<WebhookAttemptOutcome>((resolve) => {
      const url = new URL(request.url);
      const host = getWebhookHost(url);
      const isAllowed = isHostAllowed(host, options.policy);
      // Address literals never reach `lookup`: check them here.
      if (!isAllowed && isIP(host) !== 0 && isPrivateAddress(host)) {
        resolve({
          kind: "unreachable",
          error: `${host} is a private address; list it in WEBHOOK_ALLOWED_HOSTS to allow it`,
          isPermanent: true,
        });
        return;
      }
      const client = url.protocol === "https:" ? https : http;
      const body = Buffer.from(request.body, "utf8");
      const req = client.request(url, {
        method: "POST",
        headers: {
          ...request.headers,
          "content-type": "application/json",
          "content-length": String(body.length),
          "user-agent": options.userAgent ?? "Tickstream-Webhooks/1",
        },
        lookup: isAllowed ? undefined : guardedLookup,
        signal: AbortSignal.timeout(options.timeoutMs),
        agent: false,
      });
      req.on("response", (res) => {
        const httpStatus = res.statusCode ?? 0;
        res.resume();
        res.on("error", () => undefined);
        resolve(
          httpStatus >= 200 && httpStatus < 300
            ? { kind: "delivered", httpStatus }
            : { kind: "rejected", httpStatus },
        );
      });
      req.on("error", (error) => {
        const isTimeout = error.name === "AbortError" || error.name === "TimeoutError";
        const message = isTimeout ? `no answer within ${options.timeoutMs} ms` : error.message;
        resolve({
          kind: "unreachable",
          error: message.slice(0, MAX_ERROR_LENGTH),
          isPermanent: error instanceof RefusedAddress,
        });
      });
      req.end(body);
    });
}
