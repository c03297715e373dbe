/**
 * The admin REST bodies are defined (as zod schemas) in lib/events/api-admin.ts; lib/admin's view
 * builders take their types from here.
 */
export type { AdminSymbol, AuditEntry } from "@/lib/events/api-admin";

/** The poll interval an admin may choose, in seconds (from lib/admin/admin-schemas.ts). */
export type PollIntervalBounds = { min: number; max: number };
