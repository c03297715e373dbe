// `npm run db:migrate`: applies the SQL migrations in drizzle/ as the owner (DATABASE_OWNER_URL, else
// DATABASE_URL), grants the runtime role of DATABASE_URL its DML and sets the BI role's password from
// BI_READONLY_PASSWORD.
import { getEnv, InvalidEnvError } from "@/lib/env";
import { getMigrateOptions, getMigrationUrl, migrateDatabase } from "@/lib/db/migrate";
import { loadEnvFiles } from "@/scripts/stack/env-file";

loadEnvFiles();
try {
  const env = getEnv();
  await migrateDatabase(getMigrationUrl(env), getMigrateOptions(env));
  console.log(`[tickstream] migrations applied to ${new URL(env.DATABASE_URL).pathname.slice(1)}`);
} catch (error) {
  console.error(
    `[tickstream] migration failed: ${error instanceof InvalidEnvError ? error.message : (error as Error).message}`,
  );
  process.exit(1);
}
