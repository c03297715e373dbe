/** The market REST bodies are defined (as zod schemas) in lib/events/api-market.ts; this re-exports their types. */
export type { MoversView, Snapshot, SymbolSummary } from "@/lib/events/api-market";
