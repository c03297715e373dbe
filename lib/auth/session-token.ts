import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Name of the admin session cookie. */
export const SESSION_COOKIE_NAME = "tickstream_admin";

/** A new random session token: 32 bytes (256 bits), base64url. */
export function createSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

function computeSignature(token: string, secret: string): string {
  return createHmac("sha256", secret).update(`session:${token}`).digest("base64url");
}

/** The cookie value: `<token>.<HMAC-SHA256(secret, token)>`, both base64url. */
export function signSessionToken(token: string, secret: string): string {
  return `${token}.${computeSignature(token, secret)}`;
}

/**
 * The token inside a signed cookie value, or null when the value is malformed or its signature does not
 * match `secret` (compared in constant time). A forged or tampered cookie never reaches the database.
 */
export function verifySignedSessionToken(value: string | null | undefined, secret: string): string | null {
  if (!value || value.length > 256) return null;
  const dot = value.lastIndexOf(".");
  if (dot <= 0) return null;
  const token = value.slice(0, dot);
  // Compare the encoded text, not decoded bytes: base64url's last character carries unused bits, so
  // two spellings decode alike, and only the canonical one is the signature.
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(computeSignature(token, secret));
  if (given.length !== expected.length) return null;
  return timingSafeEqual(given, expected) ? token : null;
}

/** What admin_sessions stores instead of the token: its SHA-256, hex. A leaked table grants nothing. */
export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
