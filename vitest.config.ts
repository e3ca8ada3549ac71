import { defineConfig } from "vitest/config";

// One suite: unit tests run in parallel; the slow end-to-end files (pipeline, dashboard build,
// browser) share one fork so two Framework builds never race on dashboard/.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: "forks",
  },
});
