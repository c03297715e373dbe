import { BlockList, isIP } from "node:net";

import { webhookUrlSchema } from "@/lib/events/webhook";

/**
 * Server-side request forgery guard for webhook URLs. An admin types the URL, but the stream worker
 * POSTs to it from inside the deployment, where it could reach the database, the metrics ports, a cloud
 * metadata service (169.254.169.254) or anything else on a private network. So a webhook may only reach
 * public addresses, unless its host is listed in WEBHOOK_ALLOWED_HOSTS (a receiver on the same network,
 * a test on 127.0.0.1; `*` allows every host, for development). The check runs on the URL when an
 * endpoint is saved and on every address its name resolves to when a delivery connects
 * (lib/alerts/webhook-sender.ts), so a name re-pointed at a private address after saving is refused too.
 */

const PRIVATE_RANGES: readonly [string, number, "ipv4" | "ipv6"][] = [
  ["0.0.0.0", 8, "ipv4"], // "this network"
  ["10.0.0.0", 8, "ipv4"],
  ["100.64.0.0", 10, "ipv4"], // carrier-grade NAT
  ["127.0.0.0", 8, "ipv4"],
  ["169.254.0.0", 16, "ipv4"], // link-local, cloud metadata services
  ["172.16.0.0", 12, "ipv4"],
  ["192.0.0.0", 24, "ipv4"],
  ["192.168.0.0", 16, "ipv4"],
  ["198.18.0.0", 15, "ipv4"], // benchmarking
  ["224.0.0.0", 4, "ipv4"], // multicast
  ["240.0.0.0", 4, "ipv4"], // reserved, broadcast
  ["::", 128, "ipv6"],
  ["::1", 128, "ipv6"],
  ["fc00::", 7, "ipv6"], // unique local
  ["fe80::", 10, "ipv6"], // link-local
  ["ff00::", 8, "ipv6"], // multicast
  ["64:ff9b::", 96, "ipv6"], // NAT64 of any IPv4 address, private ones included
];

const privateAddresses = new BlockList();
for (const [network, prefix, family] of PRIVATE_RANGES) privateAddresses.addSubnet(network, prefix, family);

/** True for an address a webhook must not reach without an allow-list entry (IPv4-mapped IPv6 too). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return privateAddresses.check(address, "ipv4");
  if (family !== 6) return true; // not an address at all: refuse rather than guess
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return privateAddresses.check(mapped[1]!, "ipv4");
  // The WHATWG URL parser writes [::ffff:127.0.0.1] as [::ffff:7f00:1].
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (mappedHex) {
    const high = parseInt(mappedHex[1]!, 16);
    const low = parseInt(mappedHex[2]!, 16);
    return privateAddresses.check(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, "ipv4");
  }
  return privateAddresses.check(address, "ipv6");
}

/** WEBHOOK_ALLOWED_HOSTS as parsed: lower-case host names or addresses, or `*`. */
export type WebhookHostPolicy = { allowedHosts: readonly string[] };

/** The comma-separated env value as a policy ("" allows none beyond public addresses). */
export function parseWebhookHostPolicy(value: string | undefined): WebhookHostPolicy {
  const allowedHosts = (value ?? "")
    .split(",")
    .map((h) =>
      h
        .trim()
        .toLowerCase()
        .replace(/^\[(.*)\]$/, "$1"),
    )
    .filter((h) => h !== "");
  return { allowedHosts };
}

/** The URL's host as compared with the allow-list: lower case, IPv6 without brackets. */
export function getWebhookHost(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
}

export function isHostAllowed(host: string, policy: WebhookHostPolicy): boolean {
  return policy.allowedHosts.includes("*") || policy.allowedHosts.includes(host.toLowerCase());
}

export type WebhookUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * Whether an endpoint may have this URL: http(s) without credentials (webhookUrlSchema), and a host that
 * is neither `localhost` nor a private address literal unless allowed. Names are resolved only when a
 * delivery connects: a save does not depend on DNS, and the connect-time check is the one that counts.
 */
export function checkWebhookUrl(value: string, policy: WebhookHostPolicy): WebhookUrlCheck {
  const parsed = webhookUrlSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues[0]?.message ?? "invalid URL" };
  const url = new URL(parsed.data);
  const host = getWebhookHost(url);
  if (isHostAllowed(host, policy)) return { ok: true, url };
  const isLocalName = host === "localhost" || host.endsWith(".localhost");
  if (isLocalName || (isIP(host) !== 0 && isPrivateAddress(host)))
    return {
      ok: false,
      reason: `${host} is a private or local address; list it in WEBHOOK_ALLOWED_HOSTS to allow it`,
    };
  return { ok: true, url };
}
