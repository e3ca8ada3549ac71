/**
 * The briefing's area figures against the hot-spot page's per-cell counts (etl/briefing/hot-spot-differences.ts):
 * no area figure minus the published counts of its cells may leave 1 to threshold − 1. Checked on a real
 * city where it happened (Cincinnati burglaries, resolution 8, hull: in January 2019 three areas' last-month
 * counts minus their hot cells' published counts left 4, 3 and 2), and on the rule itself.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HotspotTable } from "../dashboard/data-contract.ts";
import { addMonths } from "../etl/analytics/monthly-counts.ts";
import { briefingData, type BriefingData } from "../etl/briefing/briefing-data.ts";
import { differenceSafe, publishedCellCounts, publishedSum } from "../etl/briefing/hot-spot-differences.ts";
import { loadProjectConfig } from "../etl/config.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { placeIndex } from "../etl/geo/place-names.ts";
import { readManifest } from "../etl/lake/manifest.ts";
import { ingestStage } from "../etl/pipeline.ts";
import { hotspotTable, lakeInference } from "../etl/publish/hotspot-table.ts";
import { releaseRules } from "../etl/publish/release-rules.ts";
import { recordedConfig, settingsFromConfig, type PipelineSettings } from "../etl/settings.ts";
import { runStages } from "../etl/stages.ts";
import { projectRoot, sharedPath } from "./helpers/shared.ts";

const ZONE = "America/New_York";
const MONTH = "2019-01";

describe("the difference rule", () => {
  it("lets a figure stand where what the published parts leave is 0 or at least the threshold", () => {
    expect(differenceSafe(21, 17, 5)).toBe(false);
    expect(differenceSafe(21, 16, 5)).toBe(true);
    expect(differenceSafe(17, 17, 5)).toBe(true);
    expect(differenceSafe(6, 0, 5)).toBe(true);
    expect(differenceSafe(7, 5, 5)).toBe(false);
  });

  it("sums the published counts of the cells, months and category asked for, not the withheld ones", () => {
    const table: Pick<HotspotTable, "cells" | "groups"> = {
      cells: ["a", "b", "c"],
      groups: [
        { month: "2018-12", category: "all", cell: [0, 1, 2], bin: [3, 3, 2], bin_fdr: [3, 0, 0], count: [17, null, 9], withheld: 0, withheld_fdr: 0 },
        { month: "2018-12", category: "theft", cell: [0], bin: [3], bin_fdr: [3], count: [12], withheld: 0, withheld_fdr: 0 },
        { month: "2018-11", category: "all", cell: [0], bin: [2], bin_fdr: [0], count: [8], withheld: 0, withheld_fdr: 0 },
      ],
    };
    const counts = publishedCellCounts(table, new Set(["a", "b"]), new Set(["2018-12", "2018-11"]));
    expect(publishedSum(counts, ["a", "b"], ["2018-12"], "all")).toBe(17);
    expect(publishedSum(counts, ["a", "b"], ["2018-12", "2018-11"], "all")).toBe(25);
    expect(publishedSum(counts, ["a", "b"], ["2018-12"], "theft")).toBe(12);
    // "c" is not one of the cells read.
    expect(publishedSum(counts, ["c"], ["2018-12"], "all")).toBe(0);
  });
});

describe("a real city's briefing beside its hot-spot page (Cincinnati burglaries)", () => {
  let dir: string;
  let settings: PipelineSettings;
  let table: Pick<HotspotTable, "cells" | "groups">;
  let withCheck: BriefingData;
  let withoutCheck: BriefingData;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "briefing-differences-"));
    const configFile = join(dir, "project.yaml");
    await writeFile(configFile, `title: Cincinnati burglaries\ntimezone: ${ZONE}\nh3_resolution: 8\nstudy_area: { hull: 1 }\nplaces: null\n`);
    const config = loadProjectConfig(configFile);
    settings = { ...settingsFromConfig(config, join(dir, "lake"), ZONE), dashboardDir: join(dir, "dashboard") };
    settings.config = recordedConfig(settings, config.file);
    await ingestStage(
      [sharedPath("data", "real", "cincinnati_burglary.csv.gz")],
      settings,
      undefined,
      join(projectRoot, "data", "sources", "cincinnati-burglary.yaml"),
    );
    await runStages(["analyse", "analytics"], settings);
    const manifest = await readManifest(settings.lakeDir, ZONE, settings.resolution);
    const rules = releaseRules(settings);
    await withConnection(async (connection) => {
      table = await hotspotTable(connection, settings.lakeDir, rules, settings.k, lakeInference(manifest.parameters?.hot_spots as Record<string, unknown>));
      const request = {
        lakeDir: settings.lakeDir,
        month: MONTH,
        timeZone: ZONE,
        k: settings.k,
        places: placeIndex([]),
        suppressionThreshold: rules.threshold,
        sensitiveCategories: rules.sensitive,
        manifest,
      };
      // As `hotspots briefing` draws it (the hot-spot table computed inside), and with no published cell count to check against.
      withCheck = await briefingData(connection, request);
      withoutCheck = await briefingData(connection, { ...request, hotspots: { cells: [], groups: [] } });
    });
  }, 300_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("leaves no area figure whose difference with its cells' published counts is a small count", () => {
    const threshold = settings.suppressionThreshold;
    const to = addMonths(MONTH, -1);
    const last12 = Array.from({ length: 12 }, (_, i) => addMonths(to, -i));
    const counts = publishedCellCounts(table, new Set(withCheck.areas.flatMap((a) => a.cells)), new Set(last12));
    // A figure is rounded to the base roundedTo: the rest is any of the values its possible counts leave (0 stays 0).
    const half = Math.floor(withCheck.roundedTo / 2);
    const small = (figure: number | null, published: number) => {
      if (figure === null) return false;
      const rests = Array.from({ length: figure === 0 ? 1 : withCheck.roundedTo }, (_, i) => figure - (figure === 0 ? 0 : half) + i - published).filter(
        (n) => n >= 0,
      );
      return rests.length > 0 && rests.every((n) => n > 0 && n < threshold);
    };
    for (const area of withCheck.areas) {
      expect(small(area.lastMonth, publishedSum(counts, area.cells, [to], "all"))).toBe(false);
      expect(small(area.last12, publishedSum(counts, area.cells, last12, "all"))).toBe(false);
      for (const part of area.mix) expect(small(part.count, publishedSum(counts, area.cells, last12, part.category))).toBe(false);
    }
  });

  it("withholds only what the hot-spot page would give away: the same areas, and figures where the check found a small rest", () => {
    expect(withCheck.areas.map((a) => a.cells)).toEqual(withoutCheck.areas.map((a) => a.cells));
    const withheldByCheck = withCheck.areas.filter((a, i) => a.lastMonth === null && withoutCheck.areas[i]!.lastMonth !== null);
    // The case found on this city: without the check, last-month counts of at least the threshold gave their hot cells' neighbours away.
    expect(withheldByCheck.length).toBeGreaterThan(0);
    for (const [i, area] of withCheck.areas.entries()) if (area.lastMonth !== null) expect(area.lastMonth).toBe(withoutCheck.areas[i]!.lastMonth);
  });
});
