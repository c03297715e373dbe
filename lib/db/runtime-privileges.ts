import { sql } from "drizzle-orm";

import type { DbOrTx } from "@/lib/db/client";
import type { Logger } from "@/lib/log";

/** Where a user who brings their own PostgreSQL finds the roles to create (README, "Database roles"). */
export const CREATE_ROLES_SQL_FILE = "docs/sql/create-roles.sql";

/** What the web server and workers do about a runtime role with too much or too little privilege. */
export type PrivilegeCheckMode = "enforce" | "warn" | "off";

/** The data manipulation the product does on each of its tables. */
const DML_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE"] as const;

type PrivilegeRow = {
  role: string;
  is_superuser: boolean;
  can_create_role: boolean;
  can_create_db: boolean;
  can_create_in_public: boolean;
  can_create_schema: boolean;
  can_use_server_files: boolean;
  owned_tables: string[];
  missing: string[];
};

export type RuntimePrivileges = {
  role: string;
  /** Privileges the runtime role must not have (DDL, superuser, server files). */
  excess: string[];
  /** Privileges on the product's tables it lacks. */
  missing: string[];
};

/**
 * What the connected role may do beyond what the web server and workers use, and what it lacks of it.
 * Table ownership counts through membership: a role inheriting the owner's rights can run DDL too.
 */
export async function getRuntimePrivileges(db: DbOrTx): Promise<RuntimePrivileges> {
  const privileges = sql.raw(DML_PRIVILEGES.map((p) => `'${p}'`).join(", "));
  const result = await db.execute<PrivilegeRow>(sql`
    select r.rolname::text as role,
           r.rolsuper as is_superuser,
           r.rolcreaterole as can_create_role,
           r.rolcreatedb as can_create_db,
           has_schema_privilege(current_user, 'public', 'CREATE') as can_create_in_public,
           has_database_privilege(current_user, current_database(), 'CREATE') as can_create_schema,
           (pg_has_role(current_user, 'pg_execute_server_program', 'USAGE')
             or pg_has_role(current_user, 'pg_read_server_files', 'USAGE')
             or pg_has_role(current_user, 'pg_write_server_files', 'USAGE')) as can_use_server_files,
           coalesce((select array_agg(c.relname::text order by c.relname)
                       from pg_class c join pg_namespace n on n.oid = c.relnamespace
                      where n.nspname = 'public' and c.relkind in ('r', 'p')
                        and pg_has_role(current_user, c.relowner, 'USAGE')), '{}') as owned_tables,
           coalesce((select array_agg(p.privilege || ' on ' || c.relname::text order by c.relname, p.privilege)
                       from pg_class c join pg_namespace n on n.oid = c.relnamespace
                       cross join unnest(array[${privileges}]) as p(privilege)
                      where n.nspname = 'public' and c.relkind in ('r', 'p')
                        and not has_table_privilege(current_user, c.oid, p.privilege)), '{}')
             -- The symbols trigger calls pg_notify as the role that writes the row.
             || case when has_function_privilege(current_user, 'pg_catalog.pg_notify(text, text)', 'EXECUTE')
                     then '{}'::text[] else array['EXECUTE on pg_notify'] end as missing
      from pg_roles r
     where r.rolname = current_user`);
  const row = result.rows[0];
  if (!row) throw new Error("the connected role is not in pg_roles");
  const excess: string[] = [];
  if (row.is_superuser) excess.push("is a superuser");
  if (row.can_use_server_files) excess.push("may read, write or run programs on the server");
  if (row.can_create_role) excess.push("may create roles");
  if (row.can_create_db) excess.push("may create databases");
  if (row.owned_tables.length > 0 && !row.is_superuser)
    excess.push(`owns (or inherits the owner of) ${row.owned_tables.join(", ")}`);
  if (row.can_create_in_public && !row.is_superuser) excess.push("may create objects in schema public");
  if (row.can_create_schema && !row.is_superuser) excess.push("may create schemas");
  return { role: row.role, excess, missing: row.missing };
}

/** One line naming the problems of the runtime role and the fix; null when it has what it needs and no more. */
export function describePrivilegeProblems(privileges: RuntimePrivileges): string | null {
  const parts: string[] = [];
  if (privileges.excess.length > 0) parts.push(`too much privilege: it ${privileges.excess.join("; ")}`);
  if (privileges.missing.length > 0) parts.push(`too little: no ${privileges.missing.join(", ")}`);
  if (parts.length === 0) return null;
  return (
    `DATABASE_URL connects as role "${privileges.role}", which has ${parts.join("; and ")}. ` +
    `Run the web server and workers as a role without DDL made by ${CREATE_ROLES_SQL_FILE}, and migrate ` +
    `as the owner with DATABASE_OWNER_URL (README, "Database roles")`
  );
}

export class RuntimePrivilegeError extends Error {
  override name = "RuntimePrivilegeError";
}

/**
 * Checks the runtime role once at the start of a process: `enforce` throws a RuntimePrivilegeError with
 * the one-line problem, `warn` logs it, `off` skips the check (DATABASE_PRIVILEGE_CHECK).
 */
export async function checkRuntimePrivileges(
  db: DbOrTx,
  options: { mode: PrivilegeCheckMode; logger: Logger },
): Promise<void> {
  if (options.mode === "off") return;
  const problem = describePrivilegeProblems(await getRuntimePrivileges(db));
  if (!problem) return;
  if (options.mode === "enforce") throw new RuntimePrivilegeError(problem);
  options.logger.warn(problem);
}
