// Lint: ESLint's recommended rules and typescript-eslint's recommended rules over the TypeScript
// sources, the dashboard's browser modules as plain JavaScript. `npm run lint`; .ci/run runs it.
// (The type-aware rule set, tseslint.configs.recommendedTypeChecked, is the next step: it needs the
// lake readers typed first, see issue 12.)
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
