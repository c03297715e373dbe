import { randomBytes } from "node:crypto";

/** One year: browsers then use https for this host without asking, for that long after each visit. */
const HSTS_MAX_AGE_SECONDS = 365 * 24 * 3600;

/**
 * The CSP of every answer that is not an HTML page (API JSON, /socket.io, static files, errors): it
 * may load nothing and be framed by nobody. Pages get `buildPageCsp` instead (proxy.ts).
 */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Headers every response carries, whoever writes it (Next, Socket.IO, a 405): server.ts sets them
 * before any handler runs. HSTS only when the request came over https (from the socket, or from a
 * trusted proxy's X-Forwarded-Proto): sent over plain http it would be ignored, and it must never
 * depend on what a client claims.
 */
export function getSecurityHeaders(options: { isHttps: boolean }): Record<string, string> {
  return {
    "content-security-policy": NON_PAGE_CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    ...(options.isHttps ? { "strict-transport-security": `max-age=${HSTS_MAX_AGE_SECONDS}` } : {}),
  };
}

/** A fresh CSP nonce: 128 random bits, base64. */
export function createCspNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The CSP of an HTML page. Scripts run only with this request's nonce (Next puts it on its own
 * scripts when it renders the page per request) and what they load ('strict-dynamic'). Style
 * attributes are allowed ('unsafe-inline' in style-src-attr): recharts and React's `style` props
 * render them into the server HTML, and a style attribute cannot run code; <style> elements still
 * need the nonce. Socket.IO connects to this host over ws:/wss: as well as 'self'. Development adds
 * what React's dev build needs: eval (error overlays) and unnonced styles (hot reload).
 */
export function buildPageCsp(options: {
  nonce: string;
  isHttps: boolean;
  isDevelopment: boolean;
  /** The Host header, for the WebSocket source; omitted when absent or not a host[:port]. */
  host: string | null;
}): string {
  const { nonce, isHttps, isDevelopment } = options;
  const host =
    options.host && /^[\w.-]+(:\d+)?$|^\[[\d:a-f.]+\](:\d+)?$/i.test(options.host) ? options.host : null;
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDevelopment ? " 'unsafe-eval'" : ""}`,
    // Browsers without style-src-elem/-attr (older Safari) use this one.
    "style-src 'self' 'unsafe-inline'",
    isDevelopment ? "style-src-elem 'self' 'unsafe-inline'" : `style-src-elem 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${host ? ` ${isHttps ? "wss" : "ws"}://${host}` : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(isHttps ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}
