/**
 * Two consecutive monthly releases of one lake, as a user makes them (police.uk's Nottingham burglaries and
 * robberies of 2022: January–October ingested and briefed for November, then November's exports ingested and
 * briefed for December). An adversary who keeps both briefings subtracts an area's 12 months in the first
 * from the same area's 12 months in the second: the newest month less the month 13 back, which is before the
 * lake's first month and so 0. Less the second release's hot-spot page counts of that month, it gave a count
 * the briefing withheld (December 393 − November 360 − 21 − 9 = 3). The briefing's counts are rounded to the
 * threshold's base (seriesRounded in etl/publish/release-rules.ts), and this adversary knows the base.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMonths } from "../etl/analytics/monthly-counts.ts";
import { briefingData, type BriefingData } from "../etl/briefing/briefing-data.ts";
import { publishedCellCounts, publishedSum } from "../etl/briefing/hot-spot-differences.ts";
import { loadProjectConfig } from "../etl/config.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { placeIndex } from "../etl/geo/place-names.ts";
import { readManifest } from "../etl/lake/manifest.ts";
import { ingestStage } from "../etl/pipeline.ts";
import { hotspotTable, lakeInference } from "../etl/publish/hotspot-table.ts";
import { releaseRules } from "../etl/publish/release-rules.ts";
import { recordedConfig, settingsFromConfig, type PipelineSettings } from "../etl/settings.ts";
import { runStages } from "../etl/stages.ts";
import type { HotspotTable } from "../dashboard/data-contract.ts";
import { projectRoot, sharedPath } from "./helpers/shared.ts";

const ZONE = "Europe/London";
const SOURCES = ["burglary", "robbery"] as const;

/** The values a published count can stand for: itself, or every count rounding to it at the page's base (0 stays 0). */
function candidates(published: number, base: number): number[] {
  if (published === 0 || base <= 1) return [published];
  const low = published - Math.floor(base / 2);
  return Array.from({ length: base }, (_, i) => low + i).filter((n) => n >= 0);
}

describe("two consecutive briefings of one lake", () => {
  let dir: string;
  let settings: PipelineSettings;
  const briefings: BriefingData[] = [];
  let table: Pick<HotspotTable, "cells" | "groups">;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "briefing-consecutive-"));
    const configFile = join(dir, "project.yaml");
    await writeFile(
      configFile,
      `title: Nottingham\ntimezone: ${ZONE}\nh3_resolution: 8\nstudy_area: { hull: 1 }\nplaces: null\ncategories: [burglary, robbery]\nsensitive_categories: []\n`,
    );
    const config = loadProjectConfig(configFile);
    settings = { ...settingsFromConfig(config, join(dir, "lake"), ZONE), dashboardDir: join(dir, "dashboard") };
    settings.config = recordedConfig(settings, config.file);
    // Each export cut in two as a monthly user receives it: January–October, then November.
    const releases = [(month: string) => month < "2022-11", (month: string) => month === "2022-11"];
    for (const [r, inRelease] of releases.entries()) {
      for (const source of SOURCES) {
        const [header, ...rows] = gunzipSync(await readFile(sharedPath("data", "real", `nottingham_${source}.csv.gz`)))
          .toString("utf8")
          .trimEnd()
          .split("\n");
        const file = join(dir, `${source}-${r}.csv`);
        await writeFile(file, [header, ...rows.filter((row) => inRelease(row.slice(0, 7)))].join("\n") + "\n");
        await ingestStage([file], settings, undefined, join(projectRoot, "data", "sources", `nottingham-${source}.yaml`));
      }
      await runStages(["analyse", "analytics"], settings);
      const manifest = await readManifest(settings.lakeDir, ZONE, settings.resolution);
      const rules = releaseRules(settings);
      await withConnection(async (connection) => {
        table = await hotspotTable(connection, settings.lakeDir, rules, settings.k, lakeInference(manifest.parameters?.hot_spots as Record<string, unknown>));
        briefings.push(
          await briefingData(connection, {
            lakeDir: settings.lakeDir,
            month: r === 0 ? "2022-11" : "2022-12",
            timeZone: ZONE,
            k: settings.k,
            places: placeIndex([]),
            suppressionThreshold: rules.threshold,
            sensitiveCategories: rules.sensitive,
            manifest,
            hotspots: table,
          }),
        );
      });
    }
  }, 300_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("give no withheld count back: an area's 12 months in both, less the hot-spot page's cells of the new month", () => {
    const [earlier, later] = briefings as [BriefingData, BriefingData];
    const threshold = settings.suppressionThreshold;
    const base = (data: BriefingData) => (data as Partial<BriefingData>).roundedTo ?? 1;
    const month = earlier.to === addMonths(later.to, -1) ? later.to : null;
    expect(month).toBe("2022-11");
    // The month that left the window (13 back) is before the lake's first: the difference is the new month alone.
    expect(addMonths(month!, -12) < "2022-01").toBe(true);
    const counts = publishedCellCounts(table, new Set(later.areas.flatMap((a) => a.cells)), new Set([month!]));
    const recovered: string[] = [];
    let compared = 0;
    for (const area of later.areas) {
      const before = earlier.areas.find((a) => a.cells.join() === area.cells.join());
      if (!before) continue;
      const figures: Array<[string, number | null, number | null]> = [
        ["all", before.last12, area.last12],
        ...area.mix.map((m): [string, number | null, number | null] => [m.category, before.mix.find((b) => b.category === m.category)?.count ?? null, m.count]),
      ];
      for (const [category, a, b] of figures) {
        if (a === null || b === null) continue;
        compared++;
        const published = publishedSum(counts, area.cells, [month!], category);
        // Every value the withheld rest can take given both rounded figures; a leak where each is a count of 1 … threshold − 1.
        const rests = new Set(candidates(b, base(later)).flatMap((y) => candidates(a, base(earlier)).map((x) => y - x - published)));
        const possible = [...rests].filter((n) => n >= 0);
        if (possible.length > 0 && possible.every((n) => n > 0 && n < threshold))
          recovered.push(`area ${area.priority} ${category}: ${b} − ${a} − ${published} = ${possible.join(" or ")}`);
      }
    }
    // The adversary has something to work on: areas of the same cells in both briefings.
    expect(compared).toBeGreaterThan(0);
    expect(recovered).toEqual([]);
  });

  it("round every area count to a multiple of the base", () => {
    for (const data of briefings) {
      expect(data.roundedTo).toBe(settings.suppressionThreshold);
      for (const area of data.areas)
        for (const n of [area.lastMonth, area.last12, area.withoutTimeOfDay, ...area.mix.map((m) => m.count), ...area.timeBlocks.parts, ...area.weekdays.parts])
          if (n !== null) expect(n % data.roundedTo).toBe(0);
    }
  });
});
