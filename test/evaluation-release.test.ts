import { readFileSync, readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../etl/duckdb/connection.ts";
import { evaluationLayout } from "../etl/evaluation/lake/evaluation-tables.ts";
import { tableDir } from "../etl/lake/table-paths.ts";
import { TABLES } from "../etl/lake/tables.ts";
import { writeProjectReports } from "../etl/evaluation/report/write-project-reports.ts";
import { defaultSettings } from "../etl/settings.ts";
import { buildFixtureLake } from "./evaluation-fixture-lake.ts";
import { projectRoot, SHARED_BOUNDARIES } from "./helpers/shared.ts";

let lake: string;
let out: string;

// We Are's evaluation is of drug possession in Kuršėnai, a locality: configured as a sensitive
// category, its per-area figures must not reach the shared files, while the lake keeps them.
beforeAll(async () => {
  lake = await buildFixtureLake();
  out = await mkdtemp(join(tmpdir(), "reports-released-"));
  await writeProjectReports({
    settings: defaultSettings({
      lakeDir: lake,
      municipalitiesGeoJson: SHARED_BOUNDARIES,
      sensitiveCategories: ["drug_possession"],
    }),
    outDir: out,
    projectsFile: resolve(projectRoot, "data", "projects", "projects.json"),
    exposureFile: resolve(projectRoot, "data", "context", "immigration.csv"),
    projectIds: ["we-are"],
  });
});
afterAll(async () => {
  await rm(dirname(lake), { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
});

const read = (file: string) => readFileSync(join(out, "we-are", file), "utf8");

describe("a shared report of a sensitive category in a locality", () => {
  it("withholds its counts, tests, charts and comparisons, and says so in both languages", () => {
    const md = read("evaluation.md");
    expect(md).not.toContain("3 → 8");
    expect(md).not.toContain("Synthetic control of drug possession");
    expect(md).not.toContain("Interrupted time series of drug possession");
    // Nor how many of its comparisons had incidents (the many-tests caveat counts the shown ones).
    expect(md).not.toContain("p-values are shown for the before/after comparisons");
    expect(md).toContain("Withheld: drug possession — a sensitive category is released only as a whole municipality's figure");
    const files = readdirSync(join(out, "we-are"));
    expect(files.filter((f) => f.endsWith(".svg"))).toEqual(["process-targets.svg"]);
    expect(parse(read("outcome-tests.csv"), { columns: true, bom: true })).toEqual([]);
    for (const language of ["en", "lt"]) {
      const draft = read(`ecpa-draft.${language}.md`);
      expect(draft).not.toContain("→ 8");
      expect(draft).toContain(language === "en" ? "Withheld: drug possession" : "Nepateikiama: narkotikų laikymas");
    }
  });

  it("keeps the figures in the lake, whose publication applies the same rules", async () => {
    const rows = await withConnection(async (c) =>
      (
        await c.runAndReadAll(`SELECT before, after FROM read_parquet('${evaluationLayout.outcomesDir(lake)}/**/*.parquet') WHERE case_type = 'all'`)
      ).getRowObjects(),
    );
    expect(rows).toEqual([{ before: 3, after: 8 }]);
  });

  it("writes the caveats the dashboard publishes without the category's per-area counts", async () => {
    const notes = await withConnection(async (c) =>
      (
        await c.runAndReadAll(
          `SELECT text, text_lt FROM read_parquet('${tableDir(lake, TABLES.evaluation_notes)}/**/*.parquet') WHERE kind = 'caveat' ORDER BY position`,
        )
      ).getRowObjects(),
    );
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) {
      expect(String(note.text)).not.toMatch(/drug possession \(/);
      expect(String(note.text_lt)).not.toMatch(/narkotikų laikymas \(/);
    }
  });
});
