import { isIP } from "node:net";

/**
 * The client address of a request, for sign-in throttling and the audit log. server.ts has already
 * replaced `x-forwarded-for` with the one address it believes (the socket's, or behind trusted proxies
 * the client they name: lib/http/forwarded-headers.ts); the last entry is read so that a request
 * handled without server.ts (tests) still cannot choose its address by prepending entries.
 */
export function getClientIp(headers: Headers): string | null {
  const last =
    headers.get("x-forwarded-for")?.split(",").pop()?.trim() ?? headers.get("x-real-ip")?.trim() ?? "";
  const ip = last.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  return ip && isIP(ip) ? ip : null;
}
