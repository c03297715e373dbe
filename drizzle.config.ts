import { defineConfig } from "drizzle-kit";

// drizzle-kit reads the schema and writes SQL migrations to drizzle/ (its default folder); migrations
// are applied by `npm run db:migrate` (scripts/db-migrate.ts), never during `next build`.
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/db/schema.ts",
  out: "./drizzle",
  dbCredentials: {
    url: process.env.DATABASE_URL ?? "postgres://tickstream:tickstream@127.0.0.1:55432/tickstream",
  },
  strict: true,
  verbose: true,
});
