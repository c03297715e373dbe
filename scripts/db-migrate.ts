// `npm run db:migrate`: applies the SQL migrations in drizzle/ to DATABASE_URL and sets the BI role's
// password from BI_READONLY_PASSWORD.
import { getEnv, InvalidEnvError } from "@/lib/env";
import { getMigrateOptions, migrateDatabase } from "@/lib/db/migrate";
import { loadEnvFiles } from "@/scripts/stack/env-file";

loadEnvFiles();
try {
  const env = getEnv();
  await migrateDatabase(env.DATABASE_URL, getMigrateOptions(env));
  console.log(`[tickstream] migrations applied to ${new URL(env.DATABASE_URL).pathname.slice(1)}`);
} catch (error) {
  console.error(
    `[tickstream] migration failed: ${error instanceof InvalidEnvError ? error.message : (error as Error).message}`,
  );
  process.exit(1);
}
