/**
 * What publish hands the briefing so that it reads less of the lake (issue 19): the lake's categories
 * from the count tables (instead of a scan of every month's cell counts), the manifest (the emerging
 * runs read from their files; test/briefing-sensitive-patterns.test.ts checks the patterns), and the
 * areas' counts: periods and categories from the lake's counts, time of day from the day counts of
 * the last 12 months only. The briefing made with them is the one made without them, counts what the
 * incidents table holds, and follows the lake.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listValue } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { briefingData, filesOfMonths, type BriefingRequest } from "../etl/briefing/briefing-data.ts";
import { briefingMonth } from "../etl/briefing/site-briefing.ts";
import { addMonths, monthRange } from "../etl/analytics/monthly-counts.ts";
import { DEFAULT_CONFIG_FILE, loadProjectConfig } from "../etl/config.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { placeIndex } from "../etl/geo/place-names.ts";
import { readManifest } from "../etl/lake/manifest.ts";
import { ingestStage } from "../etl/pipeline.ts";
import { countTables } from "../etl/publish/count-tables.ts";
import { releaseRules, seriesRounded } from "../etl/publish/release-rules.ts";
import { recordedConfig, settingsFromConfig, type PipelineSettings } from "../etl/settings.ts";
import { runStages } from "../etl/stages.ts";

const ZONE = "Europe/Vilnius";
const MONTHS = monthRange("2021-01", "2022-04");
const SENSITIVE = "domestic_violence";
const HEADER = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";

/** Incidents on a 6 × 6 grid of points in central Šiauliai, more in a few points, at varied hours; a sensitive category among them when `sensitive`. */
function exportOf(months: readonly string[], sensitive: boolean, prefix: string): string {
  const lines = months.flatMap((month, t) =>
    Array.from({ length: 90 + 3 * t }, (_, i) => {
      const point = i % 3 === 0 ? i % 4 : i % 36;
      const category = sensitive && i % 11 === 0 ? SENSITIVE : i % 2 ? "theft" : "burglary";
      const day = String(1 + (i % 27)).padStart(2, "0");
      const hour = String((i * 7) % 24).padStart(2, "0");
      return [`${prefix}${month}-${i}`, `${month}-${day}T${hour}:15:00Z`, "X", category, "pre_trial_investigation"]
        .concat([(55.925 + Math.floor(point / 6) * 0.004).toFixed(6), (23.3 + (point % 6) * 0.006).toFixed(6), "Šiaulių m. sav.", "Šiauliai", "test"])
        .join(",");
    }),
  );
  return [HEADER, ...lines].join("\n");
}

async function lakeOf(dir: string, sensitive: boolean): Promise<PipelineSettings> {
  const config = loadProjectConfig(DEFAULT_CONFIG_FILE);
  const settings = { ...settingsFromConfig(config, join(dir, "lake"), ZONE), dashboardDir: join(dir, "dashboard") };
  settings.config = recordedConfig(settings, config.file);
  await mkdir(dir, { recursive: true });
  const file = join(dir, "export.csv");
  await writeFile(file, exportOf(MONTHS, sensitive, "A"));
  await ingestStage([file], settings);
  await runStages(["analyse", "analytics"], settings);
  return settings;
}

/** The briefing of the month after the lake's last, with publish's inputs or without them (and other sensitive categories with `sensitive`). */
async function briefingOf(settings: PipelineSettings, withInputs: boolean, sensitive?: string[]) {
  const manifest = await readManifest(settings.lakeDir, ZONE, settings.resolution);
  const rules = releaseRules(sensitive ? { ...settings, sensitiveCategories: sensitive } : settings);
  return withConnection(async (connection) => {
    const request: BriefingRequest = {
      lakeDir: settings.lakeDir,
      month: briefingMonth(manifest)!,
      timeZone: ZONE,
      k: settings.k,
      places: placeIndex([]),
      suppressionThreshold: rules.threshold,
      sensitiveCategories: rules.sensitive,
    };
    if (!withInputs) return briefingData(connection, request);
    const { categories } = await countTables(connection, settings.lakeDir, rules);
    return briefingData(connection, { ...request, categoriesInLake: categories, manifest });
  });
}

describe("filesOfMonths", () => {
  it("keeps the files of the months from … to, and any file whose path names no month", () => {
    const keys = [
      "day_counts/month=2021-12/a.parquet",
      "day_counts/month=2022-01/a.parquet",
      "day_counts/month=2022-01/b.parquet",
      "day_counts/month=2022-03/a.parquet",
      "x/y.parquet",
    ];
    expect(filesOfMonths(keys, "2022-01", "2022-02")).toEqual(["day_counts/month=2022-01/a.parquet", "day_counts/month=2022-01/b.parquet", "x/y.parquet"]);
    expect(filesOfMonths(keys, "2021-12", "2022-03")).toEqual(keys);
    expect(filesOfMonths(keys, "2023-01", "2023-12")).toEqual(["x/y.parquet"]);
  });
});

describe("the briefing with publish's inputs", () => {
  let dir: string;
  let withSensitive: PipelineSettings;
  let without: PipelineSettings;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "briefing-inputs-"));
    withSensitive = await lakeOf(join(dir, "a"), true);
    without = await lakeOf(join(dir, "b"), false);
  }, 240_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("is the briefing read without them, and names the sensitive categories the lake holds only", async () => {
    const a = await briefingOf(withSensitive, true);
    expect(a).toEqual(await briefingOf(withSensitive, false));
    expect(a.sensitiveCategories).toEqual([SENSITIVE]);
    // Patterns come from the released emerging data (as the emerging page publishes it): some area has one.
    expect(a.areas.some((area) => Object.keys(area.patterns).length > 0)).toBe(true);
    expect(a.areas.some((area) => area.last12 !== null && area.last12 > 0)).toBe(true);
    const b = await briefingOf(without, true);
    expect(b).toEqual(await briefingOf(without, false));
    expect(b.sensitiveCategories).toEqual([]);
  });

  it("counts each listed area's incidents as the incidents table holds them (last month, 12 months, time of day)", async () => {
    const b = await briefingOf(withSensitive, true);
    // Counts below the threshold withheld, the others rounded to the briefing's base (consecutive briefings: release-rules.ts).
    const released = (n: number) => seriesRounded(n < b.suppressionThreshold ? null : n, { threshold: b.suppressionThreshold });
    const counted = await withConnection(async (connection) => {
      const count = async (cells: string[], from: string, to: string) => {
        const reader = await connection.runAndReadAll(
          `SELECT count(*)::INTEGER AS n FROM read_parquet($glob, hive_partitioning = true)
            WHERE list_contains($cells, h3_cell) AND month BETWEEN $from AND $to AND offence_category <> $sensitive`,
          { glob: join(withSensitive.lakeDir, "incidents", "*", "*.parquet"), cells: listValue(cells), from, to, sensitive: SENSITIVE },
        );
        return Number(reader.getRowObjectsJS()[0]!.n);
      };
      return Promise.all(b.areas.map(async (a) => ({ lastMonth: await count(a.cells, b.to, b.to), last12: await count(a.cells, b.from, b.to) })));
    });
    expect(counted.some((c) => c.last12 >= b.suppressionThreshold)).toBe(true);
    // Published as counted, or withheld: below the threshold, or where the hot-spot page's counts of some of the area's cells
    // would leave a small rest (test/briefing-hot-spot-differences.test.ts).
    const asCounted = (figure: number | null, n: number) => figure === released(n) || (figure === null && released(n) !== null);
    b.areas.forEach((area, i) => {
      expect(asCounted(area.lastMonth, counted[i]!.lastMonth)).toBe(true);
      expect(asCounted(area.last12, counted[i]!.last12)).toBe(true);
      // Every incident of the export is timed to the minute: the weekdays and time blocks hold the 12 months' incidents.
      expect(area.weekdays.total).toBe(area.last12);
      expect(area.timeBlocks.total).toBe(area.last12);
    });
    expect(b.areas.filter((a, i) => a.last12 !== null && a.last12 === released(counted[i]!.last12)).length).toBeGreaterThan(0);
  });

  it("follows one more month: the new month's counts and run are read", async () => {
    const before = await briefingOf(without, true);
    const next = addMonths(MONTHS.at(-1)!, 1);
    const file = join(dir, "next.csv");
    await writeFile(file, exportOf([next], false, "B"));
    await ingestStage([file], without);
    await runStages(["analyse", "analytics"], without);
    const after = await briefingOf(without, true);
    expect(after.month).toBe(addMonths(next, 1));
    expect(after).not.toEqual(before);
    expect(after).toEqual(await briefingOf(without, false));
  });

  it("names the map's cells with the place names publish keeps for them, describing none again", async () => {
    const manifest = await readManifest(without.lakeDir, ZONE, without.resolution);
    const request: BriefingRequest = {
      lakeDir: without.lakeDir,
      month: briefingMonth(manifest)!,
      timeZone: ZONE,
      k: without.k,
      places: placeIndex([]),
      suppressionThreshold: without.suppressionThreshold,
      sensitiveCategories: releaseRules(without).sensitive,
      manifest,
    };
    const described = await withConnection((connection) => briefingData(connection, request));
    // No places: every cell is unnamed, and the export's locality names them on the map.
    expect(described.mapLocalities.length).toBeGreaterThan(0);
    const asked: string[] = [];
    const named = await withConnection((connection) =>
      briefingData(connection, { ...request, cellPlaceName: (cell) => (asked.push(cell), { lt: `ląstelė ${cell}`, en: `cell ${cell}` }) }),
    );
    // Every map cell was named by the caller's names (a place names each): none is left for a locality.
    expect(new Set(asked)).toEqual(new Set(described.mapCells.map((c) => c.cell)));
    expect(named.mapLocalities).toEqual([]);
    expect({ ...named, mapLocalities: [] }).toEqual({ ...described, mapLocalities: [] });
  });

  it("counts every category where the configuration names no sensitive one", async () => {
    const none = await briefingOf(withSensitive, true, []);
    expect(none).toEqual(await briefingOf(withSensitive, false, []));
    expect(none.sensitiveCategories).toEqual([]);
    const some = await briefingOf(withSensitive, true);
    // The sensitive incidents are counted now: no area has fewer, some have more.
    expect(none.areas.map((a) => a.cells)).toEqual(some.areas.map((a) => a.cells));
    const total = (b: typeof none) => b.areas.reduce((s, a) => s + a.weekdays.parts.reduce<number>((x, n) => x + (n ?? 0), 0), 0);
    expect(total(none)).toBeGreaterThan(total(some));
  });
});
