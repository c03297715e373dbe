// ESLint flat config (Next 16 has no `next lint`): typescript-eslint's type-checked rules, React hooks,
// Next's rules, drizzle's "update/delete must have where", and the module boundaries of STYLE.md.
import nextPlugin from "@next/eslint-plugin-next";
import drizzle from "eslint-plugin-drizzle";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const restrict = (regex, message) => ({
  "no-restricted-imports": ["error", { patterns: [{ regex, message }] }],
});
const NODE_ONLY_LIB =
  "lib/(db|kafka|ingest|health|auth|admin|api/with-api)(/|$)|lib/(env|log)$|lib/realtime/server$";
const PROCESS_CODE = "app/|workers/|scripts/|server$";

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
      "no-restricted-syntax": [
        "error",
        { selector: "Literal[value=/ts-nocheck/]", message: "no ts-nocheck" },
      ],
    },
  },
  // Module boundaries (STYLE.md): lib/kpi imports nothing else of the project; lib never imports
  // app/workers/scripts or next/*; components never import Node-only lib modules.
  {
    files: ["lib/kpi/**"],
    rules: restrict("^(@/(?!lib/kpi/)|next)", "lib/kpi is pure: it imports nothing else of the project"),
  },
  {
    files: ["lib/events/**", "lib/realtime/events.ts"],
    rules: restrict("^(@/(?!lib/(kpi|events)/)|next)", "contracts import only lib/kpi and lib/events"),
  },
  {
    files: ["lib/**"],
    ignores: ["lib/kpi/**", "lib/events/**", "lib/realtime/events.ts"],
    rules: restrict(
      `^(@/(${PROCESS_CODE}|components/)|next($|/))`,
      "lib never imports app, workers, components or next",
    ),
  },
  {
    files: ["components/**"],
    rules: restrict(`^@/(${NODE_ONLY_LIB}|${PROCESS_CODE})`, "components use only runs-anywhere lib modules"),
  },
  {
    files: ["workers/**"],
    rules: restrict("^(@/(app|components)/|next($|/))", "workers never import app, components or next"),
  },
  // Playwright fixtures call `use`, which is not React's hook.
  {
    files: ["**/*.test.ts", "**/*.test.tsx", "tests/**"],
    rules: { "@typescript-eslint/unbound-method": "off", "react-hooks/rules-of-hooks": "off" },
  },
);
