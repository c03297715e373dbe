import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

import { verifyPassword } from "@/lib/auth/password";

/** How the admin password is configured: a scrypt hash (ADMIN_PASSWORD_HASH) or plain (ADMIN_PASSWORD). */
export type AdminCredentials = { username: string } & (
  { kind: "hash"; passwordHash: string } | { kind: "plain"; password: string }
);

export type CredentialCheck = (username: string, password: string) => boolean;

/**
 * A checker whose time does not depend on how much of the username or password is right. Plain values
 * are compared as HMACs under a per-process random key (equal-length digests, `timingSafeEqual`); a
 * hash is verified with scrypt. Both the username and the password are always checked, so a wrong
 * username costs as long as a wrong password.
 */
export function createCredentialCheck(credentials: AdminCredentials): CredentialCheck {
  const key = randomBytes(32);
  const digest = (value: string) => createHmac("sha256", key).update(value, "utf8").digest();
  const expectedUser = digest(credentials.username);
  const expectedPassword = credentials.kind === "plain" ? digest(credentials.password) : null;
  return (username, password) => {
    const isUserRight = timingSafeEqual(digest(username), expectedUser);
    const isPasswordRight =
      credentials.kind === "hash"
        ? verifyPassword(password, credentials.passwordHash)
        : timingSafeEqual(digest(password), expectedPassword!);
    return isUserRight && isPasswordRight;
  };
}
