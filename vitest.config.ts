import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Test files that write the repository's own dashboard/src/data or build into dashboard/dist (or serve
 * what another file built there): they run one at a time, after every other file, so none of them
 * races another on those folders, nor on the dashboard data `run --no-build` writes in the unit tests.
 * Every other file — the unit tests, and the end-to-end tests that work in a copy of the product or in
 * a temporary folder — runs in parallel.
 */
const IN_PLACE = ["test/e2e/hotspot-map.test.ts", "test/e2e/any-city.test.ts"];

/**
 * The slowest files, slowest first (measured in full runs): started first, so that no long file is
 * left running alone at the end. vitest orders by the durations of the previous run when its cache has
 * them; a fresh clone (CI) has none, and would otherwise start the largest files first.
 */
const SLOWEST = [
  "test/e2e/lambda-bundle.test.ts",
  "test/e2e/bare-clone.test.ts",
  "test/e2e/pipeline.test.ts",
  "test/e2e/dashboard-build.test.ts",
  "test/handlers-s3.test.ts",
  "test/lake-kill-suite.test.ts",
  "test/ingest-fast-path.test.ts",
  "test/bad-input.test.ts",
  "test/infra-nag.test.ts",
  "test/describe-source.test.ts",
  "test/e2e/site-usability.test.ts",
  "test/analyse-incremental.test.ts",
  "test/ingest-exit-codes.test.ts",
  "test/real-data.test.ts",
  "test/dashboard-publish.test.ts",
  "test/csv-reader-counts.test.ts",
];

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const i = SLOWEST.findIndex((file) => spec.moduleId.endsWith(file));
      return i < 0 ? SLOWEST.length : i;
    };
    // Array.prototype.sort is stable: the rest keep vitest's own order (the last run's durations).
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 300_000,
    globalSetup: ["test/helpers/unpack-chromium.ts", "test/global-setup.ts"],
    sequence: { sequencer: SlowestFirst },
    projects: [
      {
        extends: true,
        // vitest's default is one worker fewer than the cores: a single worker on a 2-core CI machine,
        // where most files wait on child processes (the CLI, DuckDB, Chromium) much of the time.
        test: { name: "parallel", include: ["test/**/*.test.ts"], exclude: IN_PLACE, maxWorkers: Math.max(2, availableParallelism() - 1) },
      },
      { extends: true, test: { name: "in-place", include: IN_PLACE, fileParallelism: false } },
    ],
  },
});
