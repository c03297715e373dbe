// POST /api/admin/session: sign in (sets the session cookie, returns the CSRF token);
// DELETE /api/admin/session: sign out (revokes the session, clears the cookie).
import { adminApi } from "@/app/(admin)/_data/admin-context";

export const dynamic = "force-dynamic";

export const POST = adminApi.login;
export const DELETE = adminApi.logout;
