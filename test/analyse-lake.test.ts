import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gridDisk, latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyseLake } from "../etl/analytics/analyse-lake.ts";
import { selectMunicipalities, studyAreaCells } from "../etl/analytics/study-area.ts";
import { readMunicipalities } from "../etl/geo/municipalities.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { lakeLayout } from "../etl/lake/lake-layout.ts";
import { canonicalSource, SHARED_BOUNDARIES } from "./helpers/shared.ts";

// A small lake: a cluster of thefts around one Šiauliai cell in March 2019, scattered incidents
// elsewhere, an empty April, and in May two thefts in the cell and one outside the study area
// (Joniškis): enough for May not to be a sparse last month, which analysisEnd leaves out.
let dir: string;
let lake: string;
let cells: string[];
const HOT = latLngToCell(55.9349, 23.3137, 8);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "analyse-"));
  lake = join(dir, "lake");
  const lines = ["id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source"];
  let id = 0;
  const add = (when: string, category: string, lat: number, lon: number) =>
    lines.push(`A-${++id},${when},BK 178,${category},pre_trial_investigation,${lat},${lon},Šiaulių m. sav.,Šiauliai,test`);
  for (let i = 0; i < 30; i++) add("2019-03-10T12:00:00+02:00", "theft", 55.9349 + (i % 5) * 1e-4, 23.3137 + (i % 3) * 1e-4);
  for (let i = 0; i < 12; i++) add("2019-03-11T12:00:00+02:00", "burglary", 55.95 + i * 0.01, 23.1 + i * 0.02);
  add("2019-05-01T12:00:00+03:00", "theft", 55.9349, 23.3137);
  add("2019-05-03T12:00:00+03:00", "theft", 55.9349, 23.3137);
  add("2019-05-02T12:00:00+03:00", "theft", 56.2417, 23.615); // Joniškis: in the source bounds, outside the study area
  const file = join(dir, "small.csv");
  await writeFile(file, lines.join("\n"));
  // Random points labelled with one municipality: the municipality check is not what this tests.
  await ingestFile(file, {
    lakeDir: lake,
    resolution: 8,
    timeZone: "Europe/Vilnius",
    now: Date.UTC(2026, 0, 1),
    source: await canonicalSource(),
    boundaries: null,
  });
  const area = selectMunicipalities(await readMunicipalities(SHARED_BOUNDARIES), ["Šiaulių m. sav.", "Šiaulių r. sav."]);
  cells = studyAreaCells(area, 8);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const query = (sql: string, params: Record<string, string> = {}) => withConnection(async (c) => (await c.runAndReadAll(sql, params)).getRowObjectsJS());

describe("analyseLake", () => {
  it("scores every study-area cell each month, including empty months, and counts incidents outside", async () => {
    const summary = await analyseLake({ lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", k: 1, studyArea: { cells, label: "test" } });
    expect(summary.months).toBe(3); // March, April (empty) and May
    expect(summary.cells).toBe(cells.length);
    expect(summary.cell_months).toBe(3 * cells.length);
    expect(summary.incidents_in_study_area).toBe(44);
    expect(summary.incidents_outside_study_area).toBe(1);
    const perMonth = await query(
      `SELECT month, category, count(*)::INTEGER AS cells, sum(incidents)::INTEGER AS incidents
         FROM read_parquet($glob, hive_partitioning = true) GROUP BY ALL ORDER BY ALL`,
      { glob: lakeLayout.glob(lakeLayout.hotspotsDir(lake)) },
    );
    expect(perMonth).toEqual([
      { month: "2019-03", category: "all", cells: cells.length, incidents: 42 },
      { month: "2019-03", category: "burglary", cells: cells.length, incidents: 12 },
      { month: "2019-03", category: "theft", cells: cells.length, incidents: 30 },
      { month: "2019-05", category: "all", cells: cells.length, incidents: 2 },
      { month: "2019-05", category: "theft", cells: cells.length, incidents: 2 },
    ]);
    const manifest = JSON.parse(await readFile(join(lake, "manifest.json"), "utf8"));
    // April has no incident, so no category has hot spots: its partition exists and is empty.
    expect(Object.keys(manifest.tables.hot_spots)).toEqual(["2019-03", "2019-04", "2019-05"].map((m) => `hotspots/month=${m}/hotspots.parquet`));
    expect(manifest.tables.hot_spots["hotspots/month=2019-04/hotspots.parquet"].rows).toBe(0);
    expect(manifest.parameters.hot_spots.k).toBe(1);
  });

  // The thefts all lie in one cell (HOT) with nothing around it. Under conditional randomisation the
  // cell's own 30 are held fixed and only its neighbours' values are permuted, so the cell is no hot
  // spot, and a category whose incidents sit in one cell cannot be tested at all. Until issue 13 the
  // normal approximation binned the cell "hot, 99 %" with and without FDR (z > 10), and it did so for all
  // offences when asked for (--inference normal) until the month was refused as too sparse for it (42
  // incidents in 3,066 cells: under 5 expected in a 7-cell ring).
  const hotRows = (category: string) =>
    query(
      `SELECT gi_bin::INTEGER AS bin, gi_bin_fdr::INTEGER AS bin_fdr, gi_z AS z, status, inference FROM read_parquet($file) WHERE category = $category AND h3_cell = $cell`,
      { file: lakeLayout.hotspotPartition(lake, "2019-03"), cell: HOT, category },
    );

  it("holds the one-cell theft cluster untestable, and no hot spot under permutation inference", async () => {
    expect(await hotRows("theft")).toEqual([{ bin: 0, bin_fdr: 0, z: expect.any(Number), status: "too_few_incidents", inference: "exact" }]);
    const [all] = await hotRows("all");
    expect(all).toMatchObject({ bin: 0, bin_fdr: 0, status: "tested", inference: "exact" });
    expect(all!.z as number).toBeGreaterThan(10);
    const bins = await query(`SELECT count(*)::INTEGER AS n FROM read_parquet($file) WHERE gi_bin_fdr <> 0`, {
      file: lakeLayout.hotspotPartition(lake, "2019-03"),
    });
    expect(bins).toEqual([{ n: 0 }]);
  });

  it("with the normal approximation leaves the month untested (too few incidents expected in a ring), and records the inference", async () => {
    const summary = await analyseLake({
      lakeDir: lake,
      resolution: 8,
      timeZone: "Europe/Vilnius",
      k: 1,
      studyArea: { cells, label: "test" },
      from: "2019-03",
      to: "2019-03",
      inference: { method: "normal" },
    });
    // 42 incidents in 3,066 cells, x̄·7 ≈ 0.1: the approximation's z (past 10 in the theft cell) is kept, no bin
    // (tooSparseForNormal). It binned that cell 99 % for all offences before, a cell with nothing around it.
    expect(summary.category_months).toEqual({ exact: 0, monte_carlo: 0, normal: 3, too_few_incidents: 3 });
    expect(await hotRows("all")).toEqual([{ bin: 0, bin_fdr: 0, z: expect.any(Number), status: "too_few_incidents", inference: "normal" }]);
    expect((await hotRows("all"))[0]!.z).toBeGreaterThan(10);
    const manifest = JSON.parse(await readFile(join(lake, "manifest.json"), "utf8"));
    expect(manifest.parameters.hot_spots.inference).toBe("normal approximation of z");
  });

  it("agrees to 1e-9 with Gi* computed by a second implementation in DuckDB SQL", async () => {
    // Edges of the k = 1 ring, self included, restricted to the study area.
    const inArea = new Set(cells);
    const edges = cells.flatMap((c) =>
      gridDisk(c, 1)
        .filter((n) => inArea.has(n))
        .map((n) => `${c},${n}`),
    );
    const edgeFile = join(dir, "edges.csv");
    await writeFile(edgeFile, `cell,neighbour\n${edges.join("\n")}\n`);
    const rows = await query(
      `WITH x AS (SELECT h3_cell AS cell, incidents::DOUBLE AS v, gi_z FROM read_parquet($file) WHERE category = 'all'),
            stats AS (SELECT count(*) AS n, avg(v) AS mean, sqrt(var_pop(v)) AS s FROM x),
            lag AS (SELECT e.cell, sum(x.v) AS lag, count(*) AS w FROM read_csv($edges) e JOIN x ON x.cell = e.neighbour GROUP BY e.cell)
       SELECT max(abs((lag.lag - stats.mean * lag.w) / (stats.s * sqrt((stats.n * lag.w - lag.w * lag.w) / (stats.n - 1))) - x.gi_z)) AS max_diff
         FROM x JOIN lag USING (cell), stats`,
      { file: lakeLayout.hotspotPartition(lake, "2019-03"), edges: edgeFile },
    );
    expect(rows[0]!.max_diff as number).toBeLessThanOrEqual(1e-9);
  });
});
