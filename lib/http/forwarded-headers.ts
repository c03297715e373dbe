import type { IncomingHttpHeaders } from "node:http";
import { BlockList, isIP } from "node:net";

/**
 * The reverse proxies whose X-Forwarded-* headers are believed (TRUSTED_PROXIES): addresses or CIDR
 * ranges such as `127.0.0.1`, `10.0.0.0/8` or `fd00::/8`. Throws on an entry that is neither.
 */
export function createTrustedProxies(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", bits] = entry.split("/");
    const family = isIP(address);
    if (family === 0) throw new Error(`${JSON.stringify(entry)} is not an address or CIDR range`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (bits === undefined) list.addAddress(address, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128))
        throw new Error(`${JSON.stringify(entry)} has a bad prefix length`);
      list.addSubnet(address, prefix, type);
    }
  }
  return list;
}

/** An address as the client-ip rules expect it: IPv4-mapped IPv6 unwrapped; null when not an address. */
function normalizeAddress(value: string | undefined): string | null {
  const address = (value ?? "").trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  return isIP(address) ? address : null;
}

function isTrusted(address: string | null, trusted: BlockList): boolean {
  return address !== null && trusted.check(address, isIP(address) === 4 ? "ipv4" : "ipv6");
}

const firstValue = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value)?.split(",")[0]?.trim().toLowerCase();

export type ForwardedHeaders = {
  /** The client's address: the socket's, or behind trusted proxies the first hop they did not add. */
  "x-forwarded-for": string;
  "x-forwarded-proto": "http" | "https";
  /** Kept only from a trusted proxy (undefined: removed). */
  "x-forwarded-host": string | undefined;
  "x-forwarded-port": string | undefined;
};

/**
 * The forwarded headers a request may carry into the app. From a peer that is not a trusted proxy,
 * every X-Forwarded-* header is what the client chose to send: they are replaced by what the socket
 * says (its address, https only when the socket itself is TLS). From a trusted proxy they are kept,
 * and X-Forwarded-For is read from the right, skipping the trusted proxies it passed through.
 */
export function resolveForwardedHeaders(
  request: { headers: IncomingHttpHeaders; remoteAddress: string | undefined; isEncrypted: boolean },
  trusted: BlockList,
): ForwardedHeaders {
  const peer = normalizeAddress(request.remoteAddress);
  const ownProto = request.isEncrypted ? "https" : "http";
  if (!isTrusted(peer, trusted))
    return {
      "x-forwarded-for": peer ?? "",
      "x-forwarded-proto": ownProto,
      "x-forwarded-host": undefined,
      "x-forwarded-port": undefined,
    };
  const forwardedFor = [request.headers["x-forwarded-for"] ?? []]
    .flat()
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
  let client: string = peer!;
  for (const hop of forwardedFor.reverse()) {
    // A hop that is not an address cannot be followed further: the proxy that wrote it is the client.
    const address = normalizeAddress(hop);
    if (address === null) break;
    client = address;
    if (!isTrusted(address, trusted)) break;
  }
  const proto = firstValue(request.headers["x-forwarded-proto"]);
  const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  return {
    "x-forwarded-for": client,
    "x-forwarded-proto": proto === "https" || proto === "http" ? proto : ownProto,
    "x-forwarded-host": single(request.headers["x-forwarded-host"]),
    "x-forwarded-port": single(request.headers["x-forwarded-port"]),
  };
}

/** Headers that name the client or its scheme in other spellings: never believed, always removed. */
const OTHER_SPELLINGS = ["forwarded", "x-real-ip", "x-forwarded-scheme", "x-forwarded-ssl"];

/** Writes `resolved` into the request's headers (in place, before Next or Socket.IO read them). */
export function applyForwardedHeaders(headers: IncomingHttpHeaders, resolved: ForwardedHeaders): void {
  for (const name of OTHER_SPELLINGS) delete headers[name];
  for (const [name, value] of Object.entries(resolved)) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
}
