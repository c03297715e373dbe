// Proves that eslint.config.mjs enforces every row of the module-boundary table in STYLE.md: for each
// row, imports it forbids are reported and imports it allows are not, by linting snippets as if they
// were files of that folder (ESLint's Node API; only the import rules and the ban on dynamic imports
// run, without type info).
import path from "node:path";

import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BOUNDARY_RULES = new Set([
  "@typescript-eslint/no-restricted-imports",
  "no-restricted-imports",
  "no-restricted-syntax",
]);

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({
    cwd: ROOT,
    ruleFilter: ({ ruleId }) => BOUNDARY_RULES.has(ruleId),
    // The snippets are not files of the TypeScript project; the import rules need no type information.
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  });
});

/** The boundary errors ESLint reports for `code` as the file `filePath`. */
async function lintAs(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: path.join(ROOT, filePath) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId))
    .map((m) => m.message);
}

type Row = { file: string; forbidden: string[]; allowed: string[] };

const value = (from: string) => `import { x } from "${from}";`;
const type = (from: string) => `import type { X } from "${from}";`;

const ROWS: Record<string, Row> = {
  "lib/kpi imports nothing else of the project": {
    file: "lib/kpi/new-rule.ts",
    forbidden: [
      type("@/lib/events/tick-v1"),
      value("@/lib/db/client"),
      value("@/lib/utils"),
      value("next/server"),
      value("../events/tick-v1"),
      value("@/lib/kpi/../db/client"),
      value("@/lib/kpi/./types"),
      value("node:fs"),
      value("fs"),
      value("path/posix"),
      value("pg"),
      value("drizzle-orm"),
    ],
    allowed: [value("@/lib/kpi/types"), value("zod"), value("@date-fns/tz")],
  },
  "lib/events imports lib/kpi types only": {
    file: "lib/events/new-event.ts",
    forbidden: [
      value("@/lib/kpi/trading-day"),
      value("@/lib/db/schema"),
      value("@/lib/kpi/movers"),
      value("@/lib/log"),
      value("next/headers"),
      value("node:crypto"),
      value("crypto"),
      value("kafkajs"),
      type("kafkajs"),
      value("@/lib/events/../db/schema"),
    ],
    allowed: [
      type("@/lib/kpi/types"),
      value("@/lib/kpi/durations"),
      value("@/lib/events/symbol"),
      value("zod"),
    ],
  },
  "lib/realtime/events.ts imports lib/kpi types only": {
    file: "lib/realtime/events.ts",
    forbidden: [
      value("@/lib/kpi/format"),
      value("@/lib/realtime/server"),
      value("@/lib/kafka/client"),
      type("socket.io"),
      value("node:events"),
    ],
    allowed: [type("@/lib/kpi/types"), type("@/lib/events/kpi-update-v1")],
  },
  "lib/retry.ts and lib/utils.ts import nothing of the project and no Node built-in": {
    file: "lib/retry.ts",
    forbidden: [value("@/lib/log"), value("node:timers/promises"), value("timers"), value("pino")],
    allowed: [value("zod")],
  },
  "lib/utils.ts follows the same row": {
    file: "lib/utils.ts",
    forbidden: [value("@/lib/kpi/format"), value("node:util"), value("util")],
    allowed: [value("clsx")],
  },
  "lib/lru-cache.ts follows the same row": {
    file: "lib/lru-cache.ts",
    forbidden: [value("@/lib/log"), value("node:util")],
    allowed: [value("zod")],
  },
  "lib/db imports only lib/env, lib/log, lib/events and lib/kpi": {
    file: "lib/db/queries/new-table.ts",
    forbidden: [
      value("@/lib/kafka/client"),
      value("@/lib/ingest/driver"),
      value("@/lib/health/check-health"),
      value("@/workers/run-worker"),
      value("@/app/_data/market"),
      value("next/cache"),
      value("server-only"),
    ],
    allowed: [
      value("@/lib/env"),
      value("@/lib/log"),
      value("@/lib/events/tick-v1"),
      type("@/lib/kpi/types"),
      value("@/lib/db/schema"),
      value("pg"),
      value("node:crypto"),
    ],
  },
  "lib/kafka imports only lib/env, lib/log, lib/events and lib/kpi": {
    file: "lib/kafka/new-helper.ts",
    forbidden: [
      value("@/lib/db/client"),
      value("@/lib/admin/symbol-admin"),
      value("@/components/ui/card"),
      value("next"),
    ],
    allowed: [value("@/lib/log"), value("@/lib/events/topics"), value("@/lib/kafka/client")],
  },
  "lib/ingest never imports app, workers, components or next": {
    file: "lib/ingest/yahoo/new-source.ts",
    forbidden: [
      value("@/app/_data/market"),
      value("@/workers/run-worker"),
      value("@/components/kpi/kpi-tile"),
      value("@/server"),
      value("@/lib/realtime/server"),
      value("next/navigation"),
    ],
    allowed: [
      value("@/lib/db/client"),
      value("@/lib/kafka/messages"),
      value("@/lib/kpi/types"),
      value("@/lib/ingest/driver"),
    ],
  },
  "lib/admin, auth, health, metrics and api never import app, workers, components or next": {
    file: "lib/admin/new-use-case.ts",
    forbidden: [
      value("@/app/api/health/route"),
      value("@/workers/stream"),
      value("@/components/admin/symbols-table"),
      value("next/server"),
    ],
    allowed: [value("@/lib/auth/csrf"), value("@/lib/ingest/yahoo/lookup"), value("@/lib/api/errors")],
  },
  "lib/health follows the same row": {
    file: "lib/health/new-check.ts",
    forbidden: [value("@/workers/run-worker"), value("next/headers")],
    allowed: [value("@/lib/kafka/probe"), value("@/lib/db/client")],
  },
  "lib/http follows the same row": {
    file: "lib/http/new-header.ts",
    forbidden: [value("@/app/layout"), value("@/workers/run-worker"), value("next/server")],
    allowed: [value("@/lib/http/security-headers"), value("@/lib/events/api-error")],
  },
  "lib/api follows the same row": {
    file: "lib/api/new-schema.ts",
    forbidden: [value("@/app/_data/market"), value("@/components/kpi/kpi-tile"), value("next/server")],
    allowed: [value("@/lib/events/symbol"), value("@/lib/kpi/time-range")],
  },
  "lib/realtime/server.ts imports lib/realtime/events, lib/events, lib/log and lib/kafka types": {
    file: "lib/realtime/server.ts",
    forbidden: [
      value("@/lib/kafka/client"),
      value("@/lib/db/client"),
      value("@/lib/env"),
      value("@/workers/run-worker"),
    ],
    allowed: [
      type("@/lib/kafka/client"),
      value("@/lib/realtime/events"),
      value("@/lib/events/kpi-update-v1"),
      value("@/lib/log"),
    ],
  },
  "components use runs-anywhere lib modules and other components": {
    file: "components/kpi/new-chart.tsx",
    forbidden: [
      value("@/lib/db/client"),
      value("@/lib/kafka/client"),
      value("@/lib/env"),
      value("@/lib/log"),
      value("@/lib/realtime/server"),
      value("@/lib/ingest/tick-publisher"),
      value("@/app/_data/market"),
      value("@/workers/run-worker"),
      value("@/components/../lib/db/client"),
      value("node:path"),
      value("path"),
      value("pg"),
      value("kafkajs"),
      value("drizzle-orm"),
      value("drizzle-orm/pg-core"),
      value("pino"),
      value("socket.io"),
      value("prom-client"),
    ],
    allowed: [
      value("socket.io-client"),
      value("@/lib/kpi/format"),
      value("@/lib/events/kpi-update-v1"),
      type("@/lib/realtime/events"),
      value("@/lib/utils"),
      value("@/components/ui/card"),
      value("next/link"),
    ],
  },
  "app imports all of lib and components": {
    file: "app/(dashboard)/new/page.tsx",
    forbidden: [value("@/workers/run-worker"), value("@/server"), value("@/lib/../workers/run-worker")],
    allowed: [
      value("@/lib/db/client"),
      value("@/components/kpi/kpi-tile"),
      value("next/navigation"),
      value("./_components/view"),
    ],
  },
  "workers import all of lib, never app, components or next": {
    file: "workers/stream/new-wiring.ts",
    forbidden: [
      value("@/app/_data/market"),
      value("@/components/kpi/kpi-tile"),
      value("@/server"),
      value("next/server"),
    ],
    allowed: [value("@/lib/db/client"), value("@/lib/kafka/client"), value("@/workers/run-worker")],
  },
  "server.ts imports all of lib, never app or components": {
    file: "server.ts",
    forbidden: [value("@/app/_data/market"), value("@/components/ui/card")],
    allowed: [
      value("@/lib/realtime/server"),
      value("@/lib/db/listen"),
      value("@/workers/run-worker"),
      value("next"),
    ],
  },
  "a new lib folder never imports app, workers, components or next": {
    file: "lib/reports/new-report.ts",
    forbidden: [
      value("@/app/_data/market"),
      value("@/workers/run-worker"),
      value("@/components/ui/card"),
      value("next/server"),
    ],
    allowed: [value("@/lib/db/client")],
  },
};

describe("module boundaries (STYLE.md) are enforced by ESLint", { timeout: 60_000 }, () => {
  for (const [row, { file, forbidden, allowed }] of Object.entries(ROWS)) {
    describe(row, () => {
      it.each(forbidden)(`reports %s in ${file}`, async (code) => {
        expect(await lintAs(file, code)).not.toEqual([]);
      });
      it.each(allowed)(`accepts %s in ${file}`, async (code) => {
        expect(await lintAs(file, code)).toEqual([]);
      });
    });
  }
});

describe("test harnesses stay out of production modules", { timeout: 60_000 }, () => {
  const harness = value("@/tests/support/ingest/fake-driver-deps");
  const testingFolder = value("@/lib/ingest/testing/fake-source");

  it.each([
    "lib/ingest/new-source.ts",
    "app/api/new/route.ts",
    "components/kpi/new-chart.tsx",
    "workers/ingest.ts",
    "server.ts",
  ])("reports a harness import in %s", async (file) => {
    expect(await lintAs(file, harness)).not.toEqual([]);
    expect(await lintAs(file, testingFolder)).not.toEqual([]);
  });

  it("lets a test beside a module use the harnesses", async () => {
    expect(await lintAs("lib/ingest/yahoo/new-source.test.ts", harness)).toEqual([]);
  });

  it("still applies the module's row to its tests", async () => {
    expect(await lintAs("lib/kpi/new-rule.test.ts", value("@/lib/db/client"))).not.toEqual([]);
  });
});

describe("dynamic imports and require() do not slip past the rules", { timeout: 60_000 }, () => {
  const dynamicImports = [
    `export const load = () => import("@/lib/db/client");`,
    `export const load = () => import("../db/client");`,
    `const name = "@/lib/db/client";\nexport const load = () => import(name);`,
    `export const load = () => import(\`@/lib/\${"db"}/client\`);`,
    `export const client = require("@/lib/db/client");`,
    `export const pg = require("pg");`,
  ];
  const productionFiles = [
    "lib/kpi/new-rule.ts",
    "components/kpi/new-chart.tsx",
    "app/api/new/route.ts",
    "lib/db/queries/new-table.ts",
    "workers/stream/new-wiring.ts",
    "server.ts",
  ];

  it.each(productionFiles.flatMap((file) => dynamicImports.map((code) => [file, code] as const)))(
    "reports in %s: %s",
    async (file, code) => {
      expect(await lintAs(file, code)).not.toEqual([]);
    },
  );

  it("lets a production module import a package dynamically", async () => {
    expect(await lintAs("app/api/new/route.ts", `export const load = () => import("zod");`)).toEqual([]);
  });

  it.each(["scripts/stack/new-step.ts", "tests/integration/new.test.ts", "lib/kpi/new-rule.test.ts"])(
    "lets %s load project modules on demand",
    async (file) => {
      expect(await lintAs(file, `export const load = () => import("@/lib/kpi/types");`)).toEqual([]);
    },
  );
});
