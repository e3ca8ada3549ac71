// Lint: ESLint's recommended rules and typescript-eslint's type-aware recommended rules over the
// TypeScript sources, and the dashboard's browser modules as plain JavaScript.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dashboard/dist/", "dashboard/src/.observablehq/", "cdk.out/", "lake/", "reports/", "test/artifacts/"] },
  js.configs.recommended,
  {
    files: ["**/*.ts"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
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
