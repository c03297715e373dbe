/** Parses a `Cookie` header into name → value (first occurrence wins, values URI-decoded when valid). */
export function parseCookieHeader(header: string | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || out.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      out.set(name, decodeURIComponent(value));
    } catch {
      out.set(name, value);
    }
  }
  return out;
}

export type CookieOptions = {
  /** Seconds until expiry; 0 deletes the cookie. */
  maxAgeSeconds: number;
  isSecure: boolean;
  sameSite: "Lax" | "Strict";
  now: number;
};

/** A `Set-Cookie` value for an httpOnly, Path=/ cookie with Max-Age and Expires. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    "Path=/",
    "HttpOnly",
    `SameSite=${options.sameSite}`,
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    `Expires=${new Date(options.maxAgeSeconds > 0 ? options.now + options.maxAgeSeconds * 1000 : 0).toUTCString()}`,
  ];
  if (options.isSecure) parts.push("Secure");
  return parts.join("; ");
}
