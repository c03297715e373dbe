/**
 * The admin REST bodies are defined (as zod schemas) in lib/events/api-admin.ts; this re-exports their
 * types for lib/admin (which builds them) and the admin components (which render them).
 */
export type { AddSymbolsOutcome, AdminSymbol, AuditEntry } from "@/lib/events/api-admin";
export type { SymbolStatus as AdminSymbolStatus } from "@/lib/events/api-market";

/** The poll interval an admin may choose, in seconds (from lib/admin/admin-schemas.ts). */
export type PollIntervalBounds = { min: number; max: number };
