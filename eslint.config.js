// Lint: ESLint's recommended rules and typescript-eslint's recommended rules over the TypeScript
// sources (the dashboard's components included), the dashboard's remaining JavaScript modules with
// browser globals. `npm run lint`; .ci/run runs it.
// (The type-aware rule set, tseslint.configs.recommendedTypeChecked, is not on yet: over etl/ it
// reported 40 findings in 24 files on 2026-12-02 — 18 no-base-to-string, 17
// no-unnecessary-type-assertion, 5 no-unsafe-* / restrict-template-expressions — and it needs the
// type information of the whole program, about 2 minutes more per lint run.)
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dashboard/dist/", "dashboard/src/.observablehq/", "cdk.out/", "lake/", "reports/", "test/artifacts/"] },
  js.configs.recommended,
  {
    files: ["**/*.ts"],
    extends: [tseslint.configs.recommended],
    rules: {
      // A leading underscore marks a value deliberately left unused (a destructured part dropped).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    // Tests read synthesised CloudFormation templates and handler results, which are untyped JSON.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["dashboard/src/**/*.js", "dashboard/observablehq.config.js"],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ["bin/**/*.js", "eslint.config.js"],
    languageOptions: { globals: globals.node },
  },
);
