import { isIP } from "node:net";

/**
 * The client address of a request, for rate limiting and the audit log. Next's server fills
 * `x-forwarded-for` with the socket's address when the request has none; behind a reverse proxy that
 * appends (nginx `$proxy_add_x_forwarded_for`) the last entry is the address that proxy saw. Only the
 * last entry is read: every entry before it is whatever the client chose to send.
 */
export function getClientIp(headers: Headers): string | null {
  const last =
    headers.get("x-forwarded-for")?.split(",").pop()?.trim() ?? headers.get("x-real-ip")?.trim() ?? "";
  const ip = last.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  return ip && isIP(ip) ? ip : null;
}
