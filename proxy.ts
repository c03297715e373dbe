// Next's proxy (formerly middleware): gives every page request a fresh CSP nonce. Next reads the nonce
// from the request's Content-Security-Policy header and puts it on the scripts it renders; the page's
// answer carries the same policy. Everything else keeps the strict non-page policy server.ts sets.
import { NextResponse, type NextRequest } from "next/server";

import { buildPageCsp, createCspNonce } from "@/lib/http/security-headers";

export function proxy(request: NextRequest) {
  const nonce = createCspNonce();
  const csp = buildPageCsp({
    nonce,
    // server.ts has already replaced X-Forwarded-Proto unless a trusted proxy sent it.
    isHttps: request.headers.get("x-forwarded-proto") === "https",
    isDevelopment: process.env.NODE_ENV === "development",
    host: request.headers.get("host"),
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  // Pages only: not the API, static files or Socket.IO. Prefetches are included (unlike Next's CSP
  // guide): everything else gets server.ts's `default-src 'none'`, under which a document the browser
  // prefetched and then displayed could run nothing.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|socket.io).*)"],
};
