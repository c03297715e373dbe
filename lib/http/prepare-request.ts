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
  for (const [name, value] of Object.entries(prepareHeaders(req, trustedProxies))) res.setHeader(name, value);
}

/**
 * Rewrites `req`'s forwarded headers as `prepareRequest` does and returns the security headers its
 * answer needs: for answers written outside the "request" listeners (a WebSocket upgrade).
 */
export function prepareHeaders(req: IncomingMessage, trustedProxies: BlockList): Record<string, string> {
  const forwarded = resolveForwardedHeaders(
    {
      headers: req.headers,
      remoteAddress: req.socket.remoteAddress,
      isEncrypted: Boolean((req.socket as Partial<TLSSocket>).encrypted),
    },
    trustedProxies,
  );
  applyForwardedHeaders(req.headers, forwarded);
  return getSecurityHeaders({ isHttps: forwarded["x-forwarded-proto"] === "https" });
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
