// ESLint flat config (Next 16 has no `next lint`): typescript-eslint's type-checked rules, React hooks,
// Next's rules, drizzle's "update/delete must have where", and the module boundaries of STYLE.md
// (proved by scripts/lint/eslint-boundaries.test.ts).
import nextPlugin from "@next/eslint-plugin-next";
import drizzle from "eslint-plugin-drizzle";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// Module boundaries (STYLE.md "Module boundaries"). Every row of the table is one `boundary` block
// below; the blocks cover disjoint files, because a file that matched two would keep only the last
// block's options. Specifiers are checked as written: project code imports through "@/", and relative
// imports are refused outside app/ so that no import can slip past a rule by spelling its path
// differently. Test files beside a module follow its row too, but may use the harnesses in tests/.
const TESTS = "tests/"; // allowed in every row: the TEST_ONLY rule keeps it out of production
const RELATIVE = {
  regex: "^\\.",
  message: "import project modules through @/, so that the boundary rules see them",
};
const NEXT = { regex: "^next($|/)", message: "next/* belongs to app/ and server.ts" };
const SERVER_ONLY = {
  regex: "^server-only$",
  message: "server-only throws outside Next's server bundle; it goes on app/**/_data only",
};
// "@/lib/kpi/../db/client" would pass the rules of "@/lib/kpi/" while importing lib/db.
const DOT_SEGMENT = {
  regex: "^@/(.*/)?\\.\\.?(/|$)",
  message: "no . or .. segments after @/: spell the module's own path, so that the boundary rules see it",
};
// Runs-anywhere modules (the browser bundle loads them) import no Node built-in and no server package.
const NODE_BUILTINS = [
  "assert",
  "async_hooks",
  "buffer",
  "child_process",
  "cluster",
  "crypto",
  "dgram",
  "dns",
  "events",
  "fs",
  "http",
  "http2",
  "https",
  "module",
  "net",
  "os",
  "path",
  "perf_hooks",
  "process",
  "querystring",
  "readline",
  "stream",
  "string_decoder",
  "timers",
  "tls",
  "tty",
  "url",
  "util",
  "v8",
  "vm",
  "worker_threads",
  "zlib",
];
const SERVER_PACKAGES = [
  "pg",
  "kafkajs",
  "drizzle-orm",
  "drizzle-kit",
  "pino",
  "pino-pretty",
  "socket\\.io",
  "prom-client",
  "server-only",
  "@t3-oss/env-core",
];
const NODE_OR_SERVER = {
  regex: `^(node:|(${[...NODE_BUILTINS, ...SERVER_PACKAGES].join("|")})(/|$))`,
  message:
    "runs-anywhere modules (lib/kpi, lib/events, lib/realtime/events, lib/utils, lib/retry, components) import no Node built-in and no server package",
};
/** Forbids every "@/" import whose path does not start with one of `allowed` (regex alternatives). */
const only = (allowed, message) => ({ regex: `^@/(?!(${[...allowed, TESTS].join("|")}))`, message });
/** Allows `import type` only (the TypeScript rule's allowTypeImports). */
const typesOnly = (regex, message) => ({ regex, message, allowTypeImports: true });
const boundary = (files, patterns, ignores = []) => ({
  files,
  ignores,
  rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [...patterns, DOT_SEGMENT] }] },
});

const RUNS_ANYWHERE = [
  "lib/(kpi|events)/",
  "lib/realtime/events$",
  "lib/(utils|retry|lru-cache|throttled-pass|shared-read)$",
];
const BASE_LIB = ["lib/(env|log|retry|lru-cache|throttled-pass|shared-read)$", "lib/(events|kpi)/"];
const SERVICE_LIB = [
  ...BASE_LIB,
  "lib/(db|kafka|ingest|admin|alerts|auth|health|metrics|api|http)/",
  "lib/realtime/(events|stats|alerts-relay|watchlist-relay|json-events-parser|room-fanout)$",
  "lib/utils$",
];
const SERVICE_DIRS = [
  "lib/ingest/**",
  "lib/admin/**",
  "lib/alerts/**",
  "lib/auth/**",
  "lib/health/**",
  "lib/metrics/**",
  "lib/http/**",
];
const TABLE_FILES = [
  "lib/kpi/**",
  "lib/events/**",
  "lib/realtime/events.ts",
  "lib/db/**",
  "lib/kafka/**",
  "lib/env.ts",
  "lib/log.ts",
  ...SERVICE_DIRS,
  "lib/api/**",
  "lib/realtime/server.ts",
  "lib/utils.ts",
  "lib/retry.ts",
  "lib/lru-cache.ts",
  "lib/throttled-pass.ts",
  "lib/shared-read.ts",
];

const BOUNDARIES = [
  boundary(
    ["lib/kpi/**"],
    [
      only(["lib/kpi/"], "lib/kpi is pure: it imports nothing else of the project"),
      NODE_OR_SERVER,
      NEXT,
      RELATIVE,
    ],
  ),
  boundary(
    ["lib/events/**", "lib/realtime/events.ts"],
    [
      only(
        ["lib/(events|kpi)/"],
        "the contracts (lib/events, lib/realtime/events.ts) import only lib/kpi types",
      ),
      // lib/kpi/durations (time units, minute alignment) is the one value import: the tick contract
      // validates a bar start by the same rule the KPIs assume.
      typesOnly(
        "^@/lib/kpi/(?!durations$)",
        "the contracts import lib/kpi for types only (import type), values only from lib/kpi/durations",
      ),
      NODE_OR_SERVER,
      NEXT,
      RELATIVE,
    ],
  ),
  ...[
    ["lib/db/**", "lib/db/"],
    ["lib/kafka/**", "lib/kafka/"],
  ].map(([files, self]) =>
    boundary(
      [files],
      [
        only(
          [...BASE_LIB, self],
          "lib/db and lib/kafka import only lib/env, lib/log, lib/events and lib/kpi",
        ),
        NEXT,
        SERVER_ONLY,
        RELATIVE,
      ],
    ),
  ),
  // next.config.ts loads lib/env.ts outside the "@/" alias, hence its one relative import.
  boundary(
    ["lib/env.ts", "lib/log.ts"],
    [
      only(BASE_LIB, "lib/env and lib/log import only lib/events and lib/kpi"),
      NEXT,
      SERVER_ONLY,
      { regex: "^\\.(?!/events/)", message: "import project modules through @/" },
    ],
  ),
  boundary(
    [...SERVICE_DIRS, "lib/api/**"],
    [
      only(
        SERVICE_LIB,
        "lib/ingest, admin, auth, health, metrics and api never import app, workers, components or server.ts",
      ),
      NEXT,
      SERVER_ONLY,
      RELATIVE,
    ],
  ),
  boundary(
    ["lib/realtime/server.ts"],
    [
      only(
        ["lib/realtime/(events|json-events-parser|room-fanout)$", "lib/events/", "lib/(log|retry)$"],
        "lib/realtime/server.ts imports lib/realtime/events, json-events-parser and room-fanout, lib/events, lib/log (and lib/kafka types)",
      ),
      typesOnly("^@/lib/kafka/", "lib/realtime/server.ts takes Kafka clients as arguments: import type only"),
      NEXT,
      RELATIVE,
    ],
  ),
  boundary(
    ["lib/utils.ts", "lib/retry.ts", "lib/lru-cache.ts", "lib/throttled-pass.ts", "lib/shared-read.ts"],
    [only([], "runs-anywhere helpers import nothing else of the project"), NODE_OR_SERVER, NEXT, RELATIVE],
  ),
  // Any other module under lib/ (a new folder) gets the service row until the table names it.
  boundary(
    ["lib/**"],
    [
      only(SERVICE_LIB, "lib never imports app, workers, components or server.ts"),
      NEXT,
      SERVER_ONLY,
      RELATIVE,
    ],
    TABLE_FILES,
  ),
  boundary(
    ["components/**"],
    [
      only(
        [...RUNS_ANYWHERE, "components/"],
        "components use only runs-anywhere lib modules and other components",
      ),
      NODE_OR_SERVER,
      RELATIVE,
    ],
  ),
  boundary(
    ["app/**"],
    [{ regex: "^@/(workers/|server$|scripts/)", message: "app never imports workers, server.ts or scripts" }],
  ),
  boundary(
    ["workers/**"],
    [
      only(["lib/", "workers/"], "workers never import app, components, server.ts or scripts"),
      NEXT,
      SERVER_ONLY,
      RELATIVE,
    ],
  ),
  boundary(
    ["server.ts"],
    [
      only(
        ["lib/", "workers/run-worker$"],
        "server.ts imports lib and the process lifecycle, never app or components",
      ),
      SERVER_ONLY,
    ],
  ),
];

// Harnesses and fakes (tests/, any testing/ folder) never reach production modules; tests may use them.
const TEST_FILES = ["**/*.test.ts", "**/*.test.tsx"];

// The import rules above see static imports only: a dynamic import() of a project module, or of a path
// computed at run time, and require() would slip past them. Scripts and tests (which load what they
// start on demand) may use them.
const NO_TS_NOCHECK = { selector: "Literal[value=/ts-nocheck/]", message: "no ts-nocheck" };
const NO_DYNAMIC_IMPORTS = {
  files: ["**/*.ts", "**/*.tsx"],
  ignores: ["scripts/**", "tests/**", ...TEST_FILES],
  rules: {
    "no-restricted-syntax": [
      "error",
      NO_TS_NOCHECK,
      {
        selector: "ImportExpression[source.value=/^(@\\/|\\.)/]",
        message: "import project modules statically, so that the boundary rules see them",
      },
      {
        selector: "ImportExpression:not([source.type='Literal'])",
        message: "import() of a computed path escapes the boundary rules",
      },
      {
        selector: "CallExpression[callee.name='require']",
        message: "use import, so that the boundary rules see it",
      },
    ],
  },
};
const TEST_ONLY = {
  files: ["lib/**", "app/**", "components/**", "workers/**", "server.ts"],
  ignores: TEST_FILES,
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            regex: "^@/tests/|(^|/)testing(/|$)",
            message:
              "test harnesses and fakes stay out of production modules (only *.test.ts files use them)",
          },
        ],
      },
    ],
  },
};

export default tseslint.config(
  {
    ignores: [
      ".next/**",
      "dist/**",
      "node_modules/**",
      ".tools/**",
      ".data/**",
      "drizzle/**",
      "bi/superset/.venv/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
      "**/*.mjs",
      "**/*.js",
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { drizzle, "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "@typescript-eslint/consistent-type-definitions": ["error", "type"],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/no-misused-promises": [
        "error",
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      "no-restricted-syntax": ["error", NO_TS_NOCHECK],
    },
  },
  ...BOUNDARIES,
  TEST_ONLY,
  NO_DYNAMIC_IMPORTS,
  // Playwright fixtures call `use`, which is not React's hook.
  {
    files: ["**/*.test.ts", "**/*.test.tsx", "tests/**"],
    rules: { "@typescript-eslint/unbound-method": "off", "react-hooks/rules-of-hooks": "off" },
  },
);
