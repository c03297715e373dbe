import { describe, expect, it } from "vitest";

import { describePrivilegeProblems } from "@/lib/db/runtime-privileges";

describe("describePrivilegeProblems", () => {
  it("says nothing about a role with DML and no more", () => {
    expect(describePrivilegeProblems({ role: "tickstream_app", excess: [], missing: [] })).toBeNull();
  });

  it("names the role, every excess and every lack on one line, with the fix", () => {
    const problem = describePrivilegeProblems({
      role: "tickstream",
      excess: ["is a superuser", "may create roles"],
      missing: ["DELETE on symbols", "EXECUTE on pg_notify"],
    });
    expect(problem).toBe(
      'DATABASE_URL connects as role "tickstream", which has too much privilege: it is a superuser; may create roles; ' +
        "and too little: no DELETE on symbols, EXECUTE on pg_notify. Run the web server and workers as a role " +
        "without DDL made by docs/sql/create-roles.sql, and migrate as the owner with DATABASE_OWNER_URL " +
        '(README, "Database roles")',
    );
  });

  it("reports a lack alone as too little privilege", () => {
    expect(describePrivilegeProblems({ role: "r", excess: [], missing: ["SELECT on symbols"] })).toMatch(
      /^DATABASE_URL connects as role "r", which has too little: no SELECT on symbols\. /,
    );
  });
});
