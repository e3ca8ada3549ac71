/**
 * `run`'s own options (issue 21): --hull [ring] (the same option as the analytics commands'), recorded
 * in the lake so later commands keep it; --export-id and --replace as `ingest` has them; and the
 * second run over unchanged incidents keeping its emerging, forecast and backtest files.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportName } from "../etl/ingest/export-identity.ts";
import type { Manifest } from "../etl/lake/manifest.ts";
import type { RunSummary } from "../etl/cli/summary-text.ts";
import { hotspotsInProcess } from "./helpers/hotspots-cli.ts";

const HEADER = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";
/** `perMonth` incidents a month in central Šiauliai (`shift` tells two exports apart), then `bad` rows with no valid time. */
function exportText(months: readonly string[], perMonth: number, shift: number, bad = 0): string {
  const rows = months.flatMap((month, t) =>
    Array.from({ length: perMonth }, (_, i) =>
      [`R${shift}-${month}-${i}`, `${month}-1${i % 9}T12:00:00Z`, "X", i % 3 ? "theft" : "burglary", "pre_trial_investigation"]
        .concat([(55.93 + ((i + t) % 4) * 0.004).toFixed(6), (23.31 + ((i + shift) % 5) * 0.006).toFixed(6), "Šiaulių m. sav.", "Šiauliai", "test"])
        .join(","),
    ),
  );
  const refused = Array.from({ length: bad }, (_, j) => `BAD-${j},not a time,X,theft,pre_trial_investigation,55.93,23.31,Šiaulių m. sav.,Šiauliai,test`);
  return `${[HEADER, ...rows, ...refused].join("\n")}\n`;
}

let dir: string;
let lake: string;
const path = (version: string) => join(dir, version, "incidents.csv");
const EXPORT = exportName({ source: "siauliai-demo", path: "city-2019" });
const manifest = async () => JSON.parse(await readFile(join(lake, "manifest.json"), "utf8")) as Manifest;
const run = async (...args: string[]) => JSON.parse((await hotspotsInProcess(["--lake", lake, "--json", "run", "--no-build", ...args])).stdout) as RunSummary;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "run-options-"));
  lake = join(dir, "lake");
  for (const [version, text] of [
    ["a", exportText(["2019-01", "2019-02", "2019-03", "2019-04"], 12, 0)],
    ["b", exportText(["2019-02", "2019-03", "2019-04", "2019-05"], 14, 1)],
    ["c", exportText([], 0, 2, 3)],
  ] as const) {
    await mkdir(join(dir, version));
    await writeFile(path(version), text);
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("run --hull, --export-id, --replace", () => {
  it("--hull 2 cuts the study area from the incidents' hull and records it; --export-id names the export", async () => {
    const summary = await run("--hull", "2", "--export-id", "city-2019", path("a"));
    expect(summary.ingest).toMatchObject({ rows_read: 48, rows_ingested: 48, rows_quarantined: 0 });
    expect(summary.publish!.built).toBe(false); // --no-build: the dashboard data written, the site not built
    const m = await manifest();
    expect(m.config?.study_area).toEqual({ hull: 2 });
    expect(Object.keys(m.sources)).toEqual([EXPORT]);
    expect(m.parameters?.hot_spots).toMatchObject({ study_area: "hull of the incident cells + 2 ring(s)" });
    expect(m.parameters?.["emerging/all"]).toMatchObject({ study_area: "hull of the incident cells + 2 ring(s)" });
  }, 120_000);

  it("another file under the same --export-id replaces the export's months with --replace; the hull comes from the lake with no flag", async () => {
    // It lacks January, which the export held: refused unless the user says it replaces the export.
    await expect(run("--export-id", "city-2019", path("b"))).rejects.toThrow(/lacks months the lake holds from it: 2019-01/);
    await run("--replace", "--export-id", "city-2019", path("b"));
    const m = await manifest();
    expect(Object.keys(m.sources)).toEqual([EXPORT]);
    expect([...new Set(Object.values(m.tables.incidents!).map((e) => e.month))].sort()).toEqual(["2019-02", "2019-03", "2019-04", "2019-05"]);
    expect(Object.values(m.tables.incidents!).reduce((s, e) => s + e.rows, 0)).toBe(56);
    expect(m.parameters?.hot_spots).toMatchObject({ study_area: "hull of the incident cells + 2 ring(s)" });
  }, 120_000);

  it("run again on unchanged incidents: hot spots, forecast and backtest kept, and said so", async () => {
    const summary = await run("--export-id", "city-2019", path("b"));
    expect(summary.analyse).toMatchObject({ months_recomputed: 0, months_kept: 4 });
    for (const part of [summary.analytics!.backtest, summary.analytics!.forecast!])
      expect(part).toMatchObject({ unchanged: "its parameters and the incident partitions it read are the ones recorded with it" });
    // Four months are too few for the emerging hot spots' trend test: skipped with the reason, every run.
    expect(summary.analytics!.emerging).toMatchObject({ skipped: { reason: "few_months", months: 4, minimum_months: 10 } });
    const full = await run("--full", "--export-id", "city-2019", path("b"));
    expect(full.analytics!.emerging).not.toHaveProperty("unchanged");
  }, 180_000);

  it("an export with no row ingested replaces the months only with --replace", async () => {
    await expect(run("--export-id", "city-2019", path("c"))).rejects.toThrow(/--replace/);
    expect(Object.keys((await manifest()).tables.incidents!)).toHaveLength(4);
    const summary = await run("--replace", "--export-id", "city-2019", path("c"));
    expect(summary.ingest).toMatchObject({ rows_read: 3, rows_ingested: 0, rows_quarantined: 3 });
    expect(Object.keys((await manifest()).tables.incidents ?? {})).toEqual([]);
  }, 120_000);
});
