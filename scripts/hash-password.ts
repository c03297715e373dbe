// `npm run admin:hash-password -- <password>` (or the password on stdin): prints an ADMIN_PASSWORD_HASH value.
import { readFileSync } from "node:fs";

import { hashPassword } from "@/lib/auth/password";

const password = process.argv[2] ?? readFileSync(0, "utf8").trim();
if (!password || password.length < 8) {
  console.error("usage: npm run admin:hash-password -- <password of at least 8 characters>");
  process.exit(1);
}
console.log(hashPassword(password));
