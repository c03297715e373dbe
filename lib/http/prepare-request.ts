import type { IncomingMessage, ServerResponse } from "node:http";
import type { BlockList } from "node:net";
import type { TLSSocket } from "node:tls";

import { applyForwardedHeaders, resolveForwardedHeaders } from "@/lib/http/forwarded-headers";
import { getSecurityHeaders } from "@/lib/http/security-headers";

/**
 * What the web server does to every request before any handler (Next, Socket.IO, a 405) sees it:
 * forwarded headers are replaced by what may be believed (lib/http/forwarded-headers.ts), and the
 * response gets the security headers, HSTS when the request came over https.
 */
export function prepareRequest(req: IncomingMessage, res: ServerResponse, trustedProxies: BlockList): void {
  const forwarded = resolveForwardedHeaders(
    {
      headers: req.headers,
      remoteAddress: req.socket.remoteAddress,
      isEncrypted: Boolean((req.socket as Partial<TLSSocket>).encrypted),
    },
    trustedProxies,
  );
  applyForwardedHeaders(req.headers, forwarded);
  const headers = getSecurityHeaders({ isHttps: forwarded["x-forwarded-proto"] === "https" });
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}

/** The path of a request target (origin form `/a?b`, or absolute form `http://h/a`); "/" when unreadable. */
export function getRequestPathname(url: string | undefined): string {
  const target = url ?? "/";
  if (target.startsWith("/")) return target.split(/[?#]/)[0] ?? "/";
  try {
    return new URL(target).pathname;
  } catch {
    return "/";
  }
}
