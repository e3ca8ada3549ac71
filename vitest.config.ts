import { defineConfig } from "vitest/config";

// Two projects: unit tests run in parallel; end-to-end tests (test/e2e) build the dashboard in
// place, so they run one file at a time and never race on dashboard/src/data or dashboard/dist.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 300_000,
    globalSetup: ["test/helpers/unpack-chromium.ts"],
    projects: [
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: ["test/e2e/**"] } },
      { extends: true, test: { name: "e2e", include: ["test/e2e/**/*.test.ts"], fileParallelism: false } },
    ],
  },
});
