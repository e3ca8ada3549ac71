import { rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { gridDisk, gridDistance, latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../etl/duckdb/connection.ts";
import { readMunicipalities } from "../etl/geo/municipalities.ts";
import { areaSelection } from "../etl/evaluation/lake/area-selection.ts";
import { yearlyCounts } from "../etl/evaluation/statistics/count-table.ts";
import { resolveArea } from "../etl/evaluation/lake/evaluation-area.ts";
import { evaluationLayout, saveEvaluation } from "../etl/evaluation/lake/evaluation-tables.ts";
import { readAreaCounts } from "../etl/evaluation/lake/read-area-counts.ts";
import { runEvaluation, type EvaluationRequest } from "../etl/evaluation/lake/run-evaluation.ts";
import { buildFixtureLake, FIXTURE, FIXTURE_CELLS } from "./evaluation-fixture-lake.ts";
import { SHARED_BOUNDARIES } from "./helpers/shared.ts";

let lake: string;
beforeAll(async () => {
  lake = await buildFixtureLake();
});
afterAll(() => rm(dirname(lake), { recursive: true, force: true }));

const evaluate = (request: Partial<EvaluationRequest>) =>
  runEvaluation({
    lakeDir: lake,
    timeZone: "Europe/Vilnius",
    resolution: 8,
    municipalitiesGeoJson: SHARED_BOUNDARIES,
    area: "Kuršėnai",
    before: "2018",
    after: "2019",
    // No sensitive category: "all" counts every one (the statistics are checked here, not the release rules).
    sensitive: new Set(),
    ...request,
  });
const row = (result: Awaited<ReturnType<typeof evaluate>>, category: string, caseType = "all") =>
  result.outcomes.find((r) => r.category === category && r.case_type === caseType)!;

describe("runEvaluation on a lake", () => {
  it("reports Kuršėnai drug possession 3 → 8 (2 + 1 → 5 + 3) and says the counts cannot show a change", async () => {
    const result = await evaluate({ categories: ["drug_possession"] });
    expect(result.area).toEqual({ kind: "locality", name: "Kuršėnai", selection: "Kuršėnai", included: "Kuršėnai", excluded: [] });
    expect(result.outcomes.map((r) => [r.case_type, r.before, r.after])).toEqual([
      ["all", 3, 8],
      ["pre_trial_investigation", 2, 5],
      ["administrative_offence", 1, 3],
    ]);
    const total = row(result, "drug_possession");
    expect(total.exact_test.p_value).toBe(0.2265625);
    expect(Math.abs(total.e_test.p_value - 0.1407088692)).toBeLessThanOrEqual(1e-9);
    expect(total.desired_direction).toBe("increase");
    expect([total.direction_met, total.significant]).toEqual([true, false]);
    expect(result.summary[0]).toContain("drug possession: 3 → 8 (2 + 1 → 5 + 3 by case type: pre-trial investigations + administrative offences)");
    expect(result.summary[0]).toContain(
      "after/before ratio 2.667 (95 % CI [0.640036, 15.6064]); exact conditional (binomial) two-sided p = 0.2265625, E-test p = 0.1407088692",
    );
    expect(result.summary[0]).toContain("but counts this small cannot show a significant change");
    expect(result.caveats.some((c) => c.startsWith("No control area"))).toBe(true);
  });

  it("makes a municipality control disjoint from the area and computes the WDD", async () => {
    const result = await evaluate({ categories: ["drug_possession"], control: "municipality:Šiaulių r. sav." });
    expect(result.control?.selection).toBe("Šiaulių r. sav. excluding Kuršėnai");
    const total = row(result, "drug_possession");
    expect([total.control?.before, total.control?.after]).toEqual([8, 6]);
    expect(total.control?.wdd.estimate).toBe(7);
    expect(total.control?.wdd.se).toBe(5);
  });

  it("counts local calendar days: 31 Dec 23:30 is 2018 and 1 Jan 00:30 is 2019 in Vilnius", async () => {
    const robbery = row(await evaluate({ categories: ["robbery"] }), "robbery");
    expect([robbery.before, robbery.after]).toEqual([1, 1]);
  });

  it("reads local calendar years as the sum of local days, in the lake's time zone and in others", async () => {
    const context = {
      municipalities: await readMunicipalities(SHARED_BOUNDARIES),
      localities: ["Kuršėnai", "Kairiai", "Šiauliai"],
      resolution: 8,
    };
    const selection = areaSelection(resolveArea("municipality:Šiaulių r. sav.", context));
    const span = { lakeDir: lake, selection, firstMonth: "2017-01", lastMonth: "2019-12" };
    await withConnection(async (connection) => {
      for (const timeZone of ["Europe/Vilnius", "America/New_York", "Pacific/Kiritimati"]) {
        const days = yearlyCounts(await readAreaCounts(connection, { ...span, timeZone }));
        const years = await readAreaCounts(connection, { ...span, timeZone, unit: "year" });
        expect(years.every((r) => /^\d{4}$/.test(r.day))).toBe(true);
        expect(yearlyCounts(years)).toEqual(days);
        // 31 Dec 23:30 and 1 Jan 00:30 in Vilnius: 2018 and 2019 there, both 2018 in New York, both 2019 at UTC+14.
        const expected = {
          "Europe/Vilnius": [
            [2018, 1],
            [2019, 1],
          ],
          "America/New_York": [[2018, 2]],
          "Pacific/Kiritimati": [[2019, 2]],
        }[timeZone] as Array<[number, number]>;
        expect(days.get("robbery")).toEqual(new Map(expected));
      }
    });
  });

  it("selects a GeoJSON polygon and a set of H3 cells like the locality", async () => {
    const { lat, lon } = FIXTURE.kursenai;
    const d = 0.01;
    const file = join(dirname(lake), "kursenai.geojson");
    await writeFile(
      file,
      JSON.stringify({
        type: "Feature",
        properties: {},
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [lon - d, lat - d],
              [lon + d, lat - d],
              [lon + d, lat + d],
              [lon - d, lat + d],
              [lon - d, lat - d],
            ],
          ],
        },
      }),
    );
    const polygon = await evaluate({ area: file, categories: ["drug_possession"] });
    const cells = await evaluate({ area: `h3:${FIXTURE_CELLS.kursenai}`, categories: ["drug_possession"] });
    expect(polygon.area.kind).toBe("polygon");
    expect(cells.area.kind).toBe("cells");
    expect(cells.area.selection).toBe(`H3 ${FIXTURE_CELLS.kursenai}`);
    const two = await evaluate({ area: `h3:${FIXTURE_CELLS.kursenai},${FIXTURE_CELLS.centre}`, categories: ["drug_possession"] });
    expect(two.area.selection).toBe("2 H3 cells");
    for (const result of [polygon, cells])
      expect(result.outcomes.map((r) => [r.before, r.after])).toEqual([
        [3, 8],
        [2, 5],
        [1, 3],
      ]);
  });

  it("measures displacement with a buffer: WDQ and TNE against the control", async () => {
    const result = await evaluate({
      area: `h3:${FIXTURE_CELLS.centre}`,
      buffer: `h3:${FIXTURE_CELLS.buffer}`,
      control: `h3:${FIXTURE_CELLS.control}`,
      categories: ["theft"],
    });
    const theft = row(result, "theft");
    expect([theft.before, theft.after, theft.buffer?.before, theft.buffer?.after, theft.control?.before, theft.control?.after]).toEqual([
      40, 20, 10, 12, 100, 95,
    ]);
    // (12/95 − 10/100) / (20/95 − 40/100) and (40·95/100 − 20) + (10·95/100 − 12)
    expect(Math.abs(theft.buffer!.wdq! - (12 / 95 - 0.1) / (20 / 95 - 0.4))).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(theft.buffer!.tne! - 15.5)).toBeLessThanOrEqual(1e-9);
    expect(theft.buffer!.reading).toBe("displacement_less_than_direct_effect");
    expect(result.caveats.some((c) => c.includes("--buffer-control"))).toBe(true);
    // The WDD/TNE reading and the caveats in Lithuanian, not the English copied.
    expect(theft.buffer!.wdd_tne_reading_lt).toMatch(/^(WDD ir|Nei WDD)/);
    expect(result.caveats_lt.some((c) => c.startsWith("Buferinė zona neturi kontrolinės teritorijos (--buffer-control)"))).toBe(true);
  });

  it("says when the control's incidents lie next to the evaluation area's, and not for a control farther off", async () => {
    // The evaluation area: the centre cell and its ring, whose edge the buffer cell touches.
    const area = `h3:${gridDisk(FIXTURE_CELLS.centre, 1).join(",")}`;
    expect(gridDistance(FIXTURE_CELLS.centre, FIXTURE_CELLS.buffer)).toBe(2);
    const next = await evaluate({ area, control: `h3:${FIXTURE_CELLS.buffer}`, categories: ["theft"] });
    expect(next.caveats.filter((c) => c.startsWith("The control area borders the evaluation area: 1 of the 1 H3 cells"))).toHaveLength(1);
    expect(next.caveats_lt.filter((c) => c.startsWith("Kontrolinė teritorija ribojasi su vertinama: 1 iš 1"))).toHaveLength(1);
    const far = await evaluate({ area, control: `h3:${FIXTURE_CELLS.control}`, categories: ["theft"] });
    expect(far.caveats.some((c) => c.includes("borders the evaluation area"))).toBe(false);
    // The centre cell alone is two rings from the buffer cell: not next door.
    const apart = await evaluate({ area: `h3:${FIXTURE_CELLS.centre}`, control: `h3:${FIXTURE_CELLS.buffer}`, categories: ["theft"] });
    expect(apart.caveats.some((c) => c.includes("borders the evaluation area"))).toBe(false);
  });

  it("compares the same season only when asked", async () => {
    const result = await evaluate({ area: `h3:${FIXTURE_CELLS.centre}`, before: "2017/2018", after: "2019-05", sameSeason: true, categories: ["theft"] });
    expect(result.before.windows).toEqual([
      { first: "2017-05-01", last: "2017-05-31" },
      { first: "2018-05-01", last: "2018-05-31" },
    ]);
    expect([row(result, "theft").before, row(result, "theft").after, result.before.days, result.after.days]).toEqual([40, 20, 62, 31]);
  });

  it("warns that a half year against a year and a half weighs the seasons differently, and not for whole years", async () => {
    const uneven = await evaluate({ before: "2018-01/2018-06", after: "2018-07/2019-12", categories: ["drug_possession"] });
    expect(uneven.caveats.filter((c) => c.startsWith("The before period (2018-01/2018-06) and the after period (2018-07/2019-12) cover"))).toHaveLength(1);
    expect(uneven.caveats_lt.filter((c) => c.startsWith("Laikotarpiai „prieš“ (2018-01/2018-06)"))).toHaveLength(1);
    const years = await evaluate({ categories: ["drug_possession"] });
    expect(years.caveats.some((c) => c.includes("months of the year in different proportions"))).toBe(false);
  });

  it("refuses periods the lake does not cover, unknown categories and unknown areas", async () => {
    await expect(evaluate({ after: "2020" })).rejects.toThrow(/holds no incidents for 2020-01, .*2017-01 … 2019-12/);
    await expect(evaluate({ categories: ["drugs"] })).rejects.toThrow(/unknown offence category 'drugs'/);
    await expect(evaluate({ area: "Kursenai" })).rejects.toThrow(/unknown area 'Kursenai'.*Kuršėnai/);
    await expect(evaluate({ area: "h3:8a1f6278bb87fff" })).rejects.toThrow(/resolution 10/);
    await expect(evaluate({ control: "locality:Kuršėnai" })).rejects.toThrow(/Kuršėnai is given for two roles/);
  });

  it("refuses an area with no incidents: a control inside the evaluation area, an area outside the data", async () => {
    // Kuršėnai lies in Šiaulių r. sav.: cut out of it, the control is empty, not a stable 0 → 0.
    await expect(evaluate({ area: "municipality:Šiaulių r. sav.", control: "locality:Kuršėnai" })).rejects.toThrow(
      /the control area Kuršėnai excluding Šiaulių r\. sav\. has no incidents of any category in 2018 or 2019.*beside, not inside/,
    );
    const elsewhere = latLngToCell(FIXTURE.kursenai.lat + 0.5, FIXTURE.kursenai.lon, 8);
    await expect(evaluate({ area: `h3:${elsewhere}` })).rejects.toThrow(/the evaluation area H3 \S+ has no incidents of any category/);
    await expect(evaluate({ buffer: `h3:${elsewhere}` })).rejects.toThrow(/the buffer area .* has no incidents/);
    // One period with incidents is a result (0 → n), not an empty area.
    expect(row(await evaluate({ area: "Kairiai", before: "2017", after: "2018" }), "all")).toMatchObject({ before: 0, after: 8 });
  });

  it("writes the evaluation table into the lake, one row per category × case type", async () => {
    const result = await evaluate({ categories: ["drug_possession"] });
    // A configuration that marks drug possession sensitive (the product's defaults do not): the rows say so.
    const sensitive = new Set(["drug_possession"]);
    expect(
      await saveEvaluation(
        lake,
        "kursenai-test",
        { project_id: "we-are", indicators: { pre_trial_investigation: "we-are-kursenai-drug-pretrial" } },
        result,
        sensitive,
      ),
    ).toBe(3);
    const rows = await withConnection(async (c) =>
      (
        await c.runAndReadAll(
          `SELECT evaluation, case_type, before, after, exact_p, indicator_id, too_small_to_show_change, sensitive FROM read_parquet($glob, hive_partitioning = true) ORDER BY before DESC`,
          {
            glob: join(evaluationLayout.outcomesDir(lake), "*", "*.parquet"),
          },
        )
      ).getRowObjectsJS(),
    );
    expect(rows).toEqual([
      {
        evaluation: "kursenai-test",
        case_type: "all",
        before: 3,
        after: 8,
        exact_p: 0.2265625,
        indicator_id: null,
        too_small_to_show_change: true,
        sensitive: true,
      },
      {
        evaluation: "kursenai-test",
        case_type: "pre_trial_investigation",
        before: 2,
        after: 5,
        exact_p: 0.453125,
        indicator_id: "we-are-kursenai-drug-pretrial",
        too_small_to_show_change: true,
        sensitive: true,
      },
      {
        evaluation: "kursenai-test",
        case_type: "administrative_offence",
        before: 1,
        after: 3,
        exact_p: 0.625,
        indicator_id: null,
        too_small_to_show_change: true,
        sensitive: true,
      },
    ]);
    await expect(saveEvaluation(lake, "../escape", null, result, sensitive)).rejects.toThrow(/not a valid id/);
  });
});
