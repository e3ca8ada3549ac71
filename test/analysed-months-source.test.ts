/**
 * The analysed months' end has one source, lakeAnalysisEnd of the lake's manifest: the hot spots, the
 * trends' and forecasts' grids, the overview's note of the months not analysed and the patrol plan
 * all end at the month it gives. Counted apart, the analytics' grids took it from the cell counts and
 * the rest from the manifest's rows, so a lake whose two disagree (an aggregate not rebuilt) ended
 * the hot spots at one month and the trends and forecasts at the next.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analysisEndOf, lakeGrid } from "../etl/analytics/lake-grid.ts";
import { lakeAnalysisEnd } from "../etl/analytics/lake-months.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import type { Manifest } from "../etl/lake/manifest.ts";
import { countTables } from "../etl/publish/count-tables.ts";
import { releaseRules } from "../etl/publish/release-rules.ts";
import { defaultSettings, type PipelineSettings } from "../etl/settings.ts";
import { canonicalSource } from "./helpers/shared.ts";
import { monthLabels } from "./helpers/poisson-city.ts";

const MONTHS = monthLabels(2022, 6);
let dir: string;
let settings: PipelineSettings;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "analysed-months-source-"));
  const lines = MONTHS.flatMap((month) =>
    Array.from(
      { length: 30 },
      (_, i) =>
        `T-${month}-${i},${month}-${String(2 + (i % 26)).padStart(2, "0")}T10:00:00Z,BK 178,theft,pre_trial_investigation,${55.93 + (i % 5) * 1e-3},${23.31 + (i % 3) * 1e-3},Šiaulių m. sav.,Šiauliai,test`,
    ),
  );
  const file = join(dir, "incidents.csv");
  await writeFile(file, ["id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source", ...lines].join("\n") + "\n");
  const lakeDir = join(dir, "lake");
  await ingestFile(file, { lakeDir, resolution: 8, timeZone: "Europe/Vilnius", now: Date.UTC(2026, 0, 1), source: await canonicalSource() });
  // The manifest lists the last month's partition with one row, its aggregate still counts 30: the two sources disagree.
  const path = join(lakeDir, "manifest.json");
  const manifest = JSON.parse(await readFile(path, "utf8")) as Manifest;
  for (const entry of Object.values(manifest.tables.incidents!)) if (entry.month === MONTHS.at(-1)) entry.rows = 1;
  await writeFile(path, JSON.stringify(manifest));
  settings = defaultSettings({
    lakeDir,
    resolution: 8,
    timeZone: "Europe/Vilnius",
    studyMunicipalities: ["Šiaulių m. sav."],
    now: new Date("2026-01-01T00:00:00Z"),
  });
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the analysed months' end of a lake whose manifest and cell counts disagree", () => {
  it("is the manifest's, for the analytics' grids and the publish's note alike", async () => {
    const manifest = JSON.parse(await readFile(join(settings.lakeDir, "manifest.json"), "utf8")) as Manifest;
    const ending = lakeAnalysisEnd(manifest, settings.timeZone, settings.now);
    expect(ending).toMatchObject({ end: "2022-05", leftOut: [{ month: "2022-06", reason: "too_few" }] });
    expect((await analysisEndOf(settings)).end).toBe(ending.end);
    await withConnection(async (connection) => {
      // The trends', backtest's and forecasts' grid ends where the hot spots do.
      const { grid } = await lakeGrid(connection, settings);
      expect(grid.months.at(-1)).toBe(ending.end);
      // The overview notes the month the analyses left out.
      const tables = await countTables(connection, settings.lakeDir, releaseRules(settings), undefined, ending);
      expect(tables.notAnalysed.map((m) => m.month)).toEqual(["2022-06"]);
    });
  }, 120_000);
});
