/**
 * A city whose data cover one year (police.uk's Nottingham robberies, 2022, ../shared/data/real): the
 * rolling backtest scores a month only from the 12 months before it, so such a lake has no backtest,
 * and the patrol page and the briefing must say that — not "run the analytics stage", which the user
 * just did. A category the monthly run does not backtest says so instead. Its last month is compared
 * with the 11 before it, which the lake holds.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HexagonCollection, PatrolCategoryPlan, PatrolData } from "../dashboard/data-contract.ts";
import { coordinatesText } from "../dashboard/src/components/geo.js";
import { areaDirections, briefingData } from "../etl/briefing/briefing-data.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { escapeXml } from "../etl/evaluation/report/svg.ts";
import { placeIndex } from "../etl/geo/place-names.ts";
import { DEFAULT_CONFIG_FILE, loadProjectConfig } from "../etl/config.ts";
import { contextStage, ingestStage } from "../etl/pipeline.ts";
import { localityNames } from "../etl/publish/locality-names.ts";
import { noBacktest } from "../etl/publish/patrol-data.ts";
import { releaseRules } from "../etl/publish/release-rules.ts";
import { recordedConfig, settingsFromConfig, type PipelineSettings } from "../etl/settings.ts";
import { runStages } from "../etl/stages.ts";
import { sharedPath } from "./helpers/shared.ts";

describe("noBacktest", () => {
  const recorded = (first: string, last: string) => ({ parameters: { "backtests/all": { first_month: first, last_month: last, min_history_months: 12 } } });

  it("says too few months up to the history a scored month needs, and none to score past it", () => {
    expect(noBacktest(recorded("2022-01", "2022-12"), "all")).toEqual({ reason: "too_few_months", months: 12, min_history_months: 12 });
    expect(noBacktest(recorded("2022-01", "2023-01"), "all")).toEqual({ reason: "no_scored_month", months: 13, min_history_months: 12 });
  });

  it("says not run for a category without a recorded backtest", () => {
    expect(noBacktest(recorded("2022-01", "2022-12"), "robbery")).toEqual({ reason: "not_run" });
    expect(noBacktest({}, "all")).toEqual({ reason: "not_run" });
  });
});

describe("the briefing's last month against the 11 before", () => {
  it("is not told where the lake starts inside those 11 months: their missing months would read as a rise", () => {
    expect(areaDirections({ recent: 55, lastMonth: 20 }, 5, false)).toEqual({ lastMonthChange: "too_few" });
    expect(areaDirections({ recent: 55, lastMonth: 20 }, 5, true)).toEqual({ lastMonthChange: "intensifying" });
    expect(areaDirections({ recent: 110, lastMonth: 10 }, 5, true)).toEqual({ lastMonthChange: "as_usual" });
    expect(areaDirections({ recent: 110, lastMonth: 3 }, 5, true)).toEqual({ lastMonthChange: "too_few" });
  });
});

describe("a lake of one year", () => {
  let dir: string;
  let data: string;
  let settings: PipelineSettings;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "no-backtest-"));
    const config = loadProjectConfig(DEFAULT_CONFIG_FILE);
    // As `run --hull --source data/sources/nottingham-robbery.yaml` does, into a scratch dashboard folder.
    settings = { ...settingsFromConfig(config, join(dir, "lake"), "Europe/London"), hullRing: 1, dashboardDir: join(dir, "dashboard") };
    settings.config = recordedConfig(settings, config.file);
    await ingestStage(
      [sharedPath("data", "real", "nottingham_robbery.csv.gz")],
      settings,
      undefined,
      join(import.meta.dirname, "..", "data", "sources", "nottingham-robbery.yaml"),
    );
    await contextStage(settings);
    await runStages(["analyse", "analytics", "evaluate", "publish"], settings);
    data = join(settings.dashboardDir, "src", "data");
  }, 240_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("publishes why the patrol page has no backtest: 12 months, 12 needed before a scored month", async () => {
    const patrol = JSON.parse(await readFile(join(data, "patrol.json"), "utf8")) as PatrolData;
    expect(patrol.forecast?.month).toBe("2023-01");
    expect(patrol.backtest).toBeNull();
    expect(patrol.no_backtest).toEqual({ reason: "too_few_months", months: 12, min_history_months: 12 });
    const more = JSON.parse(await readFile(join(data, "patrol-categories.json"), "utf8")) as PatrolCategoryPlan[];
    expect(more.map((m) => [m.category, m.backtest, m.no_backtest])).toEqual([["robbery", null, { reason: "not_run" }]]);
  });

  it("says in the briefing, in both languages, that the months are too few for a backtest", async () => {
    const en = await readFile(join(data, "briefing.en.html"), "utf8");
    expect(en).toContain(
      "Not backtested yet: the data cover 12 months, and a month is scored only from the 12 months before it, so a backtest needs at least 13.",
    );
    expect(en).not.toContain("No backtest of last month in the lake");
    const lt = await readFile(join(data, "briefing.lt.html"), "utf8");
    expect(lt).toContain("Atgalinės patikros dar nėra: duomenys apima 12 mėn.");
  });

  it("gives no rising or falling trend of the areas it chose for high counts, and says why, in both languages", async () => {
    const en = await readFile(join(data, "briefing.en.html"), "utf8");
    expect(en).toContain("so no rising or falling trend is given");
    expect(en).not.toMatch(/>(rising|falling)</);
    expect(await readFile(join(data, "briefing.lt.html"), "utf8")).toContain("todėl didėjimo ar mažėjimo tendencija nenurodoma");
  });

  it("names no sensitive category the lake does not hold in the briefing's footnote", async () => {
    const en = await readFile(join(data, "briefing.en.html"), "utf8");
    expect(en).toContain("(months in United Kingdom Time), all offences. Counts below 5");
    expect(en).not.toMatch(/domestic violence/i);
    const lt = await readFile(join(data, "briefing.lt.html"), "utf8");
    expect(lt).toContain("(mėnesiai vietos laiku), visus nusikaltimus. Mažesni");
  });

  it("names the drawn cells and the briefing's areas by the export's own streets where the places name nothing near", async () => {
    // The rule on an independent count of the raw rows (the bundled places are Lithuania's: none is near Nottingham).
    const raw = gunzipSync(await readFile(sharedPath("data", "real", "nottingham_robbery.csv.gz")))
      .toString("utf8")
      .trim()
      .split("\n")
      .slice(1);
    const rows = raw.map((line) => {
      const [, lon, lat, location] = line.split(",");
      return { cell: latLngToCell(Number(lat), Number(lon), 8), locality: location!, category: "robbery", incidents: 1 };
    });
    const expectedOf = <G>(counts: typeof rows, groupOf?: (cell: string) => G | undefined) => localityNames(counts, releaseRules(settings), groupOf);
    const expected = expectedOf(rows);
    const hexagons = JSON.parse(await readFile(join(data, "hexagons.json"), "utf8")) as HexagonCollection;
    const named = hexagons.features.filter((f) => f.properties.place_en !== null);
    // Published told apart from other cells of the name (distinctCellNames), the locality itself beside it.
    const baseName = (name: string | null) => /^(.*?)(?: \((?:[NSEW]{1,2}|[ŠPRV]{1,2})(?: \d+)?\))?$/u.exec(name ?? "")?.[1] || null;
    for (const { properties: p } of hexagons.features) {
      expect({ cell: p.cell, lt: baseName(p.place_lt), en: baseName(p.place_en), locality: p.locality ?? null }).toEqual({
        cell: p.cell,
        lt: expected.get(p.cell) ?? null,
        en: expected.get(p.cell) ?? null,
        locality: expected.get(p.cell) ?? null,
      });
    }
    expect(named.length).toBeGreaterThan(0);
    // The briefing's areas: the rule over each area's cells together, else the centre's coordinates; the pages print them.
    const briefing = await withConnection((connection) =>
      briefingData(connection, {
        lakeDir: settings.lakeDir,
        month: "2023-01",
        timeZone: "Europe/London",
        k: settings.k,
        places: placeIndex([]),
        suppressionThreshold: settings.suppressionThreshold,
        sensitiveCategories: new Set(settings.sensitiveCategories ?? []),
      }),
    );
    const en = await readFile(join(data, "briefing.en.html"), "utf8");
    for (const area of briefing.areas) {
      const name = expectedOf(rows, (cell) => (area.cells.includes(cell) ? 0 : undefined)).get(0) ?? coordinatesText(...area.centre);
      expect(area.name).toEqual({ en: name, lt: name });
    }
    // The page lists as many areas as fit, the first always.
    expect(en).toContain(escapeXml(briefing.areas[0]!.name.en));
    expect(briefing.areas.some((a) => !/^-?\d/.test(a.name.en))).toBe(true);
  });

  it("says police.uk's month-only dates have no time of day, not that they are too few", async () => {
    const en = await readFile(join(data, "briefing.en.html"), "utf8");
    expect(en).toMatch(/no times of day in the data \(all \d+ dated to the day or month only\)/);
    expect(en).not.toContain("too few to tell (");
    expect(await readFile(join(data, "briefing.lt.html"), "utf8")).toContain("duomenyse nėra paros laiko");
  });
});
