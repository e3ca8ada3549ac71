/**
 * The dashboard's pure helpers (aggregation, strings in both languages, CSV, axes), the sample data's
 * conformance to the data contract, and the npm-cache prefill, without a browser or a build.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { geoArea } from "d3-geo";
import { describe, expect, it } from "vitest";
import type { MonthlyCount } from "../dashboard/data-contract.js";
import { PLACEHOLDER_LIBRARIES, PLACEHOLDER_VERSION, findPackage, prefillNpmCache } from "../dashboard/scripts/prefill-npm-cache.js";
import {
  hotspotRows,
  indicatorStatus,
  monthlyTotals,
  municipalitySeries,
  splitNotAnalysed,
  suppressionSummary,
  targetProgress,
  yearlyRows,
} from "../dashboard/src/components/aggregate.js";
import { countTicks, labelRoom, monthAxis, ratioTicks } from "../dashboard/src/components/axes.js";
import { csvText, fileName } from "../dashboard/src/components/csv.js";
import { cellAriaLabel, cellFeatures, hexagonIndex, localityLabels, mapOutlines, rewindFeature, signedArea } from "../dashboard/src/components/geo.js";
import { studyAreaOutline } from "../etl/publish/cell-geometry.js";
import { cellArea, cellToBoundary, cellToLatLng, gridDisk, gridDistance } from "h3-js";
import { strings } from "../dashboard/src/components/strings.js";
import { chartSummary, monthTotals } from "../dashboard/src/components/chart-summary.js";
import { en } from "../dashboard/src/components/strings-en.js";
import { lt } from "../dashboard/src/components/strings-lt.js";
import { chosenText, patrolList } from "../dashboard/src/components/patrol-list.js";
import { indicator } from "./helpers/evaluation-indicator.ts";
import { makeSampleDashboardData } from "./helpers/sample-dashboard-data.js";

const counts: MonthlyCount[] = [
  { month: "2024-12", category: "theft", municipality: "A", count: 10, average_12m: null },
  { month: "2024-12", category: "theft", municipality: "B", count: null, average_12m: null },
  { month: "2025-01", category: "theft", municipality: "A", count: 7, average_12m: 8 },
  { month: "2025-01", category: "assault", municipality: "B", count: 5, average_12m: 1 },
  { month: "2025-01", category: "all", municipality: "A", count: 9, average_12m: 9 },
  { month: "2025-01", category: "all", municipality: "B", count: 8, average_12m: null },
];

describe("aggregate", () => {
  it("keeps the months not analysed off the charts' lines, each with why, and their counts as published", () => {
    const notAnalysed = [{ month: "2025-01", reason: "not_ended" as const }];
    const totals = monthlyTotals(counts, ["2024-12", "2025-01"], ["all", "theft", "assault"]);
    const { analysed, left } = splitNotAnalysed(totals, notAnalysed);
    expect(analysed.map((t) => t.month)).toEqual(["2024-12", "2024-12"]);
    expect(left.map((t) => [t.month, t.category, t.count, t.reason])).toEqual([
      ["2025-01", "theft", 7, "not_ended"],
      ["2025-01", "assault", 5, "not_ended"],
    ]);
    // The trend chart's too: no average is drawn through the month, its dot is kept apart.
    const trend = splitNotAnalysed(municipalitySeries(counts, ["2024-12", "2025-01"], "theft"), [{ month: "2025-01", reason: "too_few" }]);
    expect(trend.analysed.every((p) => p.month === "2024-12")).toBe(true);
    expect(trend.left.map((p) => [p.municipality, p.count, p.reason])).toEqual([
      ["A", 7, "too_few"],
      ["B", 0, "too_few"],
    ]);
    // Without months left out, every row is on the line.
    expect(splitNotAnalysed(totals).analysed).toHaveLength(totals.length);
    // Labelled in both languages.
    expect(en.overview.notAnalysedMark("not_ended")).toBe("not analysed: has not ended");
    expect(en.overview.notAnalysedMark("too_few")).toBe("not analysed: too few incidents");
    expect(lt.overview.notAnalysedMark("not_ended")).toBe("neanalizuojamas: mėnuo dar nesibaigė");
    expect(lt.overview.notAnalysedMark("too_few")).toBe("neanalizuojamas: per mažai įvykių");
  });

  it("sums months over municipalities (or keeps one) and counts suppressed values apart", () => {
    const totals = monthlyTotals(counts, ["2024-12", "2025-01"], ["all", "theft", "assault"]);
    expect(totals.map(({ month, category, count, suppressed }) => [month, category, count, suppressed])).toEqual([
      ["2024-12", "theft", 10, 1],
      ["2024-12", "assault", 0, 0],
      ["2025-01", "theft", 7, 0],
      ["2025-01", "assault", 5, 0],
    ]);
    expect(totals[0]?.date.toISOString()).toBe("2024-12-01T00:00:00.000Z");
    // A month with nothing but a withheld count is a gap (null), never 0; a partial sum stays with its withheld count beside it.
    expect(monthlyTotals(counts, ["2024-12"], ["all", "theft"], "B").map((t) => [t.count, t.suppressed])).toEqual([[null, 1]]);
    const zeroBesideWithheld: MonthlyCount[] = [
      { month: "2025-02", category: "theft", municipality: "A", count: 0, average_12m: null },
      { month: "2025-02", category: "theft", municipality: "B", count: null, average_12m: null },
    ];
    expect(monthlyTotals(zeroBesideWithheld, ["2025-02"], ["theft"]).map((t) => [t.count, t.suppressed])).toEqual([[null, 1]]);
    const years = yearlyRows([
      { year: "2025", category: "all", count: 12 },
      { year: "2025", category: "theft", count: 7 },
      { year: "2024", category: "theft", count: null },
      { year: "2024", category: "all", count: 10 },
    ]);
    expect(years.map((y) => [y.year, y.total.count, y.cells["theft"]?.count])).toEqual([
      ["2024", 10, null],
      ["2025", 12, 7],
    ]);
    expect(suppressionSummary(counts)).toEqual({ suppressed: 1, total: 6 });
  });

  it("gives one series per municipality as published: suppressed null, no row 0, 'all' the published total, never a sum of parts", () => {
    const theft = municipalitySeries(counts, ["2024-12", "2025-01"], "theft");
    expect(theft.map((p) => [p.municipality, p.month, p.count, p.average])).toEqual([
      ["A", "2024-12", 10, null],
      ["A", "2025-01", 7, 8],
      ["B", "2024-12", null, null],
      ["B", "2025-01", 0, null],
    ]);
    const all = municipalitySeries(counts, ["2025-01"], "all");
    expect(all.map((p) => [p.municipality, p.count, p.average])).toEqual([
      ["A", 9, 9],
      ["B", 8, null],
    ]);
  });

  it("decodes a month's hot spots from the columns, highest confidence first, with and without FDR", async () => {
    const data = await makeSampleDashboardData();
    const month = data.meta.months.at(-1) as string;
    const rows = hotspotRows(data.hotspots, month, "all");
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.month === month && r.category === "all" && Number(r.bin) !== 0)).toBe(true);
    const strength = rows.map((r) => Math.abs(r.bin));
    expect(strength).toEqual([...strength].sort((a, b) => b - a));
    const fdr = hotspotRows(data.hotspots, month, "all", true);
    expect(fdr.length).toBeLessThan(rows.length);
    expect(fdr.every((r) => r.bin === r.bin_fdr && Number(r.bin) !== 0)).toBe(true);
    expect(hotspotRows(data.hotspots, "1999-01", "all")).toEqual([]);
    const features = cellFeatures(rows, hexagonIndex(data.hexagons));
    expect(features.map((f) => f.properties.cell)).toEqual(rows.map((r) => r.cell));
  });

  it("names each indicator's status and its progress against the target", () => {
    const base = indicator("x", { name: "X", kind: "outcome" });
    expect(indicatorStatus({ ...base, target: 300, achieved: 538, achieved_qualifier: "exact", target_met: true, percent_of_target: 179.3 })).toEqual({
      key: "exceeded",
      share: expect.closeTo(1.793, 9),
    });
    expect(indicatorStatus({ ...base, target: 300, achieved: 200, achieved_qualifier: "exact", target_met: false, percent_of_target: 66.7 }).key).toBe(
      "notReached",
    );
    expect(indicatorStatus({ ...base, baseline: 2, achieved: 25, change_from_baseline: 23, percent_change_from_baseline: 1150 })).toEqual({
      key: "change",
      change: 23,
      share: 11.5,
    });
    expect(indicatorStatus(base).key).toBe("nothing");
    const withCheckpoints = {
      ...base,
      target: 10000,
      checkpoints: [
        {
          label: "mid",
          month: "2019-06",
          value: 3000,
          basis: "cumulative" as const,
          qualifier: "approximate" as const,
          cumulative: 3000,
          cumulative_qualifier: "approximate" as const,
          percent_of_target: 30,
        },
      ],
    };
    expect(indicatorStatus(withCheckpoints)).toEqual({ key: "checkpoints", share: 0.3 });
    expect(targetProgress([withCheckpoints, base])).toEqual([
      { id: "x", name: "X", share: 0.3, value: 3000, qualifier: "approximate", target: 10000, fromCheckpoints: true },
    ]);
  });
});

describe("patrol list", () => {
  const cell = (method: string, rank: number, share: number) => ({ method, rank, cell: `c${rank}`, score: null, area_km2: 0.7, cumulative_area_share: share });
  const cells = [
    ...[1, 2, 3, 6, 7].map((r) => cell("last-month", r, r / 100)),
    ...[1, 2, 3, 4].map((r) => cell("selected", r, r / 100)),
    ...[2, 3].map((r) => cell("kde", r, r / 100)),
  ];
  const forecast = { cells, withheld: { "last-month": 2, selected: 0, kde: 1, ewma: 3 } };

  it("stops at the first withheld rank: the cells ranked below a withheld one are not listed", () => {
    const list = patrolList(forecast, "last-month");
    expect(list.shown.map((c) => c.rank)).toEqual([1, 2, 3]);
    expect([list.firstWithheld, list.withheld, list.below, list.shownShare]).toEqual([4, 2, 2, 0.03]);
  });

  it("lists a whole ranking, says where ranks withheld after it begin, and lists nothing when rank 1 is withheld", () => {
    expect(patrolList(forecast, "selected")).toMatchObject({ firstWithheld: null, withheld: 0, below: 0, shownShare: 0.04 });
    expect(patrolList({ cells, withheld: { selected: 2 } }, "selected")).toMatchObject({ firstWithheld: 5, withheld: 2, below: 0 });
    expect(patrolList(forecast, "kde")).toMatchObject({ shown: [], firstWithheld: 1, below: 2, shownShare: 0 });
    expect(patrolList(forecast, "ewma")).toMatchObject({ shown: [], firstWithheld: 1, below: 0 });
    expect(patrolList(null, "selected")).toMatchObject({ shown: [], firstWithheld: null });
  });

  it("says in both languages how many ranks are withheld, where the list stops and why", () => {
    const [e, l] = [strings("en"), strings("lt")];
    expect(e.patrol.withheldRanks("76", "34", "33", "45", 5)).toBe(
      "76 ranked cells are withheld, the first at rank 34: the incidents its ranking rests on number 1 to 4, which the rank would give away. So the list stops at rank 33: the 45 published cells ranked below rank 34 are left out, so that none is taken for the next priority.",
    );
    expect(e.patrol.withheldRanks("1", "1", "0", "0", 5)).toBe(
      "1 ranked cell is withheld, the first at rank 1: the incidents its ranking rests on number 1 to 4, which the rank would give away. So no cell can be listed.",
    );
    expect(l.patrol.withheldRanks("76", "34", "33", "45", 5)).toMatch(
      /^Neskelbiamų langelių eilėje: 76, pirmasis – 34 vietoje: .*baigiasi ties 33 vieta: .*\(45\) nerodomi/,
    );
    expect(e.patrol.leadCut("2022-01", "5%", "1.08%", "2015-01", "2021-12")).toContain("covers 1.08% of the study area");
    expect(l.patrol.leadCut("2022-01", "5 %", "1,08 %", "2015-01", "2021-12")).toContain("apima 1,08 % tiriamosios teritorijos");
  });
});

describe("the hot-spot page's method note", () => {
  const month = "2022-01";
  it("names the FDR family (one month and category), the hot months as separate tests and the even spread compared with", () => {
    const [e, l] = [strings("en"), strings("lt")];
    expect(e.hotspots.fdrOn).toContain("each month and category on its own, over the study area’s cells");
    expect(e.hotspots.fdrOn).toContain("Nothing is corrected across months or categories.");
    expect(l.hotspots.fdrOn).toContain("kiekvienam mėnesiui ir kategorijai atskirai");
    expect(l.hotspots.fdrOn).toContain("Tarp mėnesių ir kategorijų niekas nekoreguojama.");
    expect(e.hotspots.hotMonths("3", "84", true)).toBe(
      "Hot (90 % or more, after FDR) in 3 of the 84 months of this category. Each month is tested and corrected on its own, so this counts separate monthly results; it is not a test across the months.",
    );
    expect(e.hotspots.hotMonths("3", "84", false)).toMatch(/^Hot \(90 % or more\) in 3 of the 84 months of this category\. Each month is tested on its own,/);
    expect(l.hotspots.hotMonths("3", "84", true)).toMatch(
      /^Karštasis taškas \(90 % ar didesnio patikimumo, po FDR kontrolės\) 3 iš 84 .*atskirai.*ne visų mėnesių bendras testas\.$/,
    );
    expect(e.hotspots.lead).toContain("spread at random over the study area’s cells");
    expect(e.hotspots.lead).toContain("where people live, work and go out");
    expect(l.hotspots.lead).toContain("atsitiktinai pasiskirstytų po visus tiriamosios teritorijos langelius");
    expect(l.hotspots.lead).toContain("kur žmonės gyvena, dirba ir lankosi");
  });

  it("names the inference the month used, in either language: never randomisation under the normal approximation", () => {
    const [e, l] = [strings("en"), strings("lt")];
    const normal = { month, exact: 0, monte_carlo: 0, normal: 5 };
    for (const t of [e, l]) expect(t.hotspots.method(1, 8)).not.toMatch(/randomis|perstat/);
    expect(e.hotspots.pValues(normal, null)).toBe("p-values this month: the normal approximation of the z-score, without randomisation.");
    expect(l.hotspots.pValues(normal, null)).toBe("Šio mėnesio p reikšmės apskaičiuotos pagal normalųjį z reikšmės artinį, be perstatų.");
    const exact = { month, exact: 4, monte_carlo: 0, normal: 0 };
    expect(e.hotspots.pValues(exact, 9999)).toBe(
      "p-values this month: conditional randomisation, from its exact distribution (randomisation: each cell’s own count stays, the others are permuted over the study area).",
    );
    expect(l.hotspots.pValues(exact, 9999)).toMatch(/^Šio mėnesio p reikšmės apskaičiuotos pagal sąlyginių atsitiktinių perstatų tikslųjį skirstinį\. /);
    expect(e.hotspots.pValues({ ...exact, exact: 0, monte_carlo: 3 }, 9999)).toContain("estimated from 9,999 random permutations");
    // The replicates' noun agrees with their number: "iš 9 999 atsitiktinių perstatų", "iš 1 001 atsitiktinės perstatos".
    expect(l.hotspots.pValues({ ...exact, exact: 0, monte_carlo: 3 }, 9999)).toContain("įvertintą iš 9\u00a0999 atsitiktinių perstatų.");
    expect(l.hotspots.pValues({ ...exact, exact: 0, monte_carlo: 3 }, 1001)).toContain("įvertintą iš 1\u00a0001 atsitiktinės perstatos.");
  });

  it("gives each method's count where the month's categories were tested in several ways", () => {
    const [e, l] = [strings("en"), strings("lt")];
    const mixed = { month, exact: 5, monte_carlo: 2, normal: 0 };
    expect(e.hotspots.pValues(mixed, 9999)).toBe(
      "p-values this month, of the 7 categories tested: conditional randomisation, from its exact distribution for 5; conditional randomisation, estimated from 9,999 random permutations for 2 (randomisation: each cell’s own count stays, the others are permuted over the study area).",
    );
    expect(l.hotspots.pValues(mixed, 9999)).toBe(
      "Šį mėnesį tikrintos kategorijos (iš viso 7) pagal tai, kaip apskaičiuotos p reikšmės: tikslusis sąlyginių atsitiktinių perstatų skirstinys – 5; skirstinys, įvertintas iš 9\u00a0999 atsitiktinių perstatų – 2. Sąlyginės atsitiktinės perstatos: langelio skaičius lieka, o kitų langelių skaičiai atsitiktinai perstatomi tiriamojoje teritorijoje.",
    );
  });
});

describe("the selected forecast's choice in words", () => {
  const chosen = { method: "last-12-months", margin: null, gain_over_baseline: null, runner_up: null, months: 36 };
  it("a baseline that never hit is not called a short history, in either language", () => {
    const [e, l] = [strings("en"), strings("lt")];
    const never = { ...chosen, reason: "baseline never hit" };
    expect(chosenText(e, "2024-10", never)).toBe(
      "In the previous 36 backtest months the last-12-months baseline’s cells caught no incident, so no method’s gain over it can be measured: the baseline is the selected forecast.",
    );
    expect(chosenText(l, "2024-10", never)).toBe(
      "Ankstesniais 36 atgalinio testo mėn. bazinio 12 mėnesių metodo atrinktuose langeliuose nebuvo užregistruota nė vieno įvykio, todėl jokio metodo pranašumo prieš jį išmatuoti neįmanoma: prognozei naudojamas bazinis metodas.",
    );
    expect(chosenText(e, "2024-10", { ...chosen, reason: "too little history", months: 3 })).toBe(e.patrol.chosenTooShort);
    expect(chosenText(e, "2024-10", { ...chosen, reason: "baseline best in backtest" })).toBe(e.patrol.chosenBaselineAlone);
    expect(chosenText(e, "2024-10", { ...chosen, reason: "baseline best in backtest", runner_up: "last-month", margin: 0.012 })).toBe(
      e.patrol.chosenBaseline(e.formatMargin(0.012, 1), e.methodLabel("last-month")),
    );
  });

  it("says a margin and gain withheld as withheld, not as a missing runner-up, in both languages", () => {
    const [e, l] = [strings("en"), strings("lt")];
    const best = { ...chosen, method: "last-month", reason: "best in backtest", runner_up: "window(w=3)", withheld: true };
    expect(chosenText(e, "2024-10", best)).toBe(e.patrol.chosenWithheld("2024-10", e.methodLabel("last-month"), e.methodLabel("window(w=3)"), "36"));
    expect(chosenText(e, "2024-10", best)).toContain("By how much is withheld");
    expect(chosenText(e, "2024-10", best)).not.toContain(e.patrol.noRunnerUp);
    expect(chosenText(l, "2024-10", best)).toContain("Skirtumai neskelbiami");
    const kept = { ...chosen, reason: "baseline best in backtest", runner_up: "last-month", withheld: true };
    expect(chosenText(e, "2024-10", kept)).toBe(e.patrol.chosenBaselineWithheld(e.methodLabel("last-month")));
    expect(chosenText(l, "2024-10", kept)).toContain("kiek jam pritrūko, neskelbiama");
  });
});

describe("strings", () => {
  /** Every key path of a dictionary, with "()" marking functions. */
  function shape(value: unknown, path = ""): string[] {
    if (typeof value === "function") return [`${path}()`];
    if (Array.isArray(value)) return [`${path}[${value.length}]`];
    if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => shape(v, `${path}.${k}`));
    return [path];
  }

  it("has the same keys in Lithuanian and English", () => {
    expect(shape(lt).sort()).toEqual(shape(en).sort());
  });

  it("formats numbers, months and shares the Lithuanian way in Lithuanian", () => {
    const l = strings("lt");
    const e = strings("en");
    expect(l.formatCount(36282)).toBe("36\u00a0282");
    expect(e.formatCount(36282)).toBe("36,282");
    expect(l.formatNumber(2.5, 2)).toBe("2,50");
    expect(l.formatShare(0.05)).toBe("5\u00a0%");
    expect(e.formatShare(0.05)).toBe("5%");
    expect(l.formatMonth("2019-06")).toMatch(/^2019 m\. birželi/);
    expect(e.formatMonth("2019-06")).toBe("June 2019");
    expect(l.formatMonthShort("2019-06")).toBe("2019 birž.");
    // A publication time says its zone: a reader elsewhere would take the clock for theirs.
    expect(e.formatDateTime("2026-12-04T06:38:00Z", "America/Phoenix")).toBe("3 December 2026 at 23:38 (America/Phoenix)");
    expect(l.formatSigned(-3)).toBe("−3");
    // The count tables' null is withheld below the threshold or to protect another count: never "< k".
    expect([l.formatWithheld(null), e.formatWithheld(null), e.formatWithheld(1234)]).toEqual(["neskelbiama", "withheld", "1,234"]);
    for (const tr of [l, e]) {
      expect(tr.common.suppressedFootnote(5)).not.toContain("< 5");
      expect(tr.overview.suppressedNote(3, 10, 5)).not.toContain("< 5");
      // Per-cell counts are also withheld to protect another category's count in the cell (hotspot-release.ts).
      expect(tr.hotspots.countNote(5)).not.toContain("< 5");
    }
    expect(l.formatQualified(3000, "approximate")).toBe("apie 3\u00a0000");
    expect(e.formatQualified(8000, "more_than")).toBe("over 8,000");
    expect(l.formatP(0.0004)).toBe("< 0,001");
    expect(e.categoryList(["domestic_violence", "sexual_offence"])).toBe("Domestic violence and sexual offences");
    expect(l.categoryLabel("unknown_thing")).toBe("unknown_thing");
    expect(strings("fr").lang).toBe("en");
  });

  it("words a hull study area (no outlines, no municipalities) and credits only what a map draws", () => {
    const [e, l] = [strings("en"), strings("lt")];
    expect(e.map.grid(8)).toContain("over the municipality outlines");
    expect(e.map.grid(8, false)).toMatch(/^H3 hexagons of resolution 8 \(about 0\.74 km² each\); hover/);
    expect(l.map.grid(8, false)).not.toMatch(/savivaldyb/);
    expect(e.map.attribution(true, true)).toBe("Municipality outlines and place names © OpenStreetMap contributors, ODbL");
    expect(e.map.attribution(false, true)).toBe("Place names © OpenStreetMap contributors, ODbL");
    expect(l.map.attribution(true, false)).toBe("Savivaldybių ribos © OpenStreetMap bendraautoriai, ODbL");
    // A hull site with no places file near it draws only its own cells: nothing to credit.
    expect(e.map.attribution(false, false)).toBe("");
    expect(l.map.attribution(false, false)).toBe("");
    for (const tr of [e, l]) {
      expect(tr.overview.lead("x", false)).not.toMatch(/municipalit|savivaldyb/i);
      expect(tr.overview.trendTitle("Theft", false)).not.toMatch(/municipalit|savivaldyb/i);
      expect(tr.common.sensitiveNote("Sexual offences", 1, false)).not.toMatch(/municipalit|savivaldyb/i);
      expect(tr.patrol.categoryNote(false)).not.toMatch(/municipalit|savivaldyb/i);
      expect(tr.overview.suppressedNote(4, 242, 5, false)).not.toMatch(/municipalit|savivaldyb/i);
      expect(tr.overview.suppressedNote(4, 242, 5)).toMatch(/municipality and category|savivaldybę ir kategoriją/);
    }
  });

  it("says a positive lead too small for one decimal is below 0.1 %, never 0.0 % (the patrol page's margins)", () => {
    const [e, l] = [strings("en"), strings("lt")];
    expect(e.formatMargin(0.0004)).toBe("less than 0.1%");
    expect(l.formatMargin(0.0004)).toBe("mažiau nei 0,1\u00a0%");
    expect(e.formatMargin(0.0005)).toBe("0.1%");
    expect(e.formatMargin(0.123)).toBe("12.3%");
    // A tie is a tie, and no figure is no figure.
    expect(e.formatMargin(0)).toBe("0.0%");
    expect(e.formatMargin(null)).toBe(e.common.none);
    // The patrol page formats the chosen method's margin and gain with it.
    const best = { method: "last-month", reason: "best in backtest", margin: 0.0004, gain_over_baseline: 0.123, runner_up: "last-12-months", months: 36 };
    expect(chosenText(e, "2024-10", best)).toContain("(the best less than 0.1% ahead of");
    expect(chosenText(e, "2024-10", best)).toContain("and 12.3% above the last-12-months baseline");
    // The lead is measured on the months the method was chosen on: an in-sample figure, said to be one (r3 #9).
    expect(chosenText(e, "2024-10", best)).toContain("the months it was chosen on");
    expect(chosenText(strings("lt"), "2024-10", best)).toContain("pagal kuriuos metodas pasirinktas");
  });

  it("says how many cells' emerging patterns are withheld, in both languages", () => {
    const [e, l] = [strings("en"), strings("lt")];
    expect(e.emerging.withheld("190", 5, false)).toMatch(/^The patterns of 190 cells are withheld: .* fewer than 5 incidents/);
    expect(e.emerging.withheld("1", 5, true)).toMatch(/^The pattern of 1 more cell is withheld: .*leave it out\.$/);
    expect(l.emerging.withheld("190", 5, false)).toMatch(/^Langelių, kurių dėsningumas neskelbiamas: 190\. .*mažiau nei 5 įvyki/);
  });

  it("says how the emerging bins were tested: the space-time window and the permutation test, in both languages", () => {
    const [e, l] = [strings("en"), strings("lt")];
    expect(e.emerging.settings(2, true, "0.05", 1)).toMatch(
      /^Each month’s bins are space-time Gi\*: .* and the month before, with p-values by conditional randomisation/,
    );
    expect(e.emerging.settings(2, false, "0.05", 3)).toMatch(/the 3 months before.*±2 or stronger\. The trend test/);
    // The FDR family, the null's blind spot (a citywide rise) and the trend test's correction and level, in both languages.
    expect(e.emerging.settings(2, true, "0.05", 1)).toMatch(/after FDR control \(over all cells and months of this category at once\)/);
    expect(e.emerging.settings(2, true, "0.05", 1)).toMatch(/does not keep each month’s total: .*rises or falls strongly.*without any local cluster/);
    expect(e.emerging.settings(2, true, "0.05", 1)).toMatch(/Hamed–Rao\) is run for each cell on its own at α = 0\.05/);
    expect(e.emerging.settings(2, true, "0.05", null)).toMatch(/after FDR control \(within each month\)/);
    expect(l.emerging.settings(2, true, "0,05", 1)).toMatch(/po FDR kontrolės \(iš karto visiems šios kategorijos langeliams ir mėnesiams\)/);
    expect(l.emerging.settings(2, true, "0,05", 1)).toMatch(/neišlaiko kiekvieno mėnesio įvykių sumos/);
    expect(l.emerging.settings(2, true, "0,05", null)).toMatch(/po FDR kontrolės \(kiekvieną mėnesį atskirai\)/);
    expect(l.emerging.settings(2, false, "0,05", 1)).toMatch(/Hamed–Rao metodu\) atliekamas kiekvienam langeliui atskirai, α = 0,05/);
    // Where ESRI's new and oscillating overlap (hot for the first time after an earlier cold spot), the page says which wins.
    expect(e.patterns.new_hot_spot[1]).toMatch(/cold spot earlier: such a cell is new, not oscillating/);
    expect(l.patterns.new_cold_spot[1]).toMatch(/laikomas nauju, ne svyruojančiu/);
    expect(e.emerging.settings(2, true, "0.05", 0)).toMatch(/its ring in that month only, with p-values by conditional randomisation/);
    // The monthly mode (no space-time window) keeps the normal approximation.
    const monthly = e.emerging.settings(3, true, "0.05", null);
    expect(monthly).toMatch(/^Each month’s bins are that month’s Gi\*, with p-values from the normal approximation\. .*±3 or stronger after FDR control/);
    expect(monthly).not.toMatch(/randomisation/);
    expect(l.emerging.settings(2, true, "0,05", 1)).toMatch(/erdvės ir laiko Gi\*.*prieš tai buvusį mėnesį, p reikšmės – sąlyginės atsitiktinės perstatos/);
    expect(l.emerging.settings(2, true, "0,05", 0)).toMatch(/yra tik jo žiedas tą mėnesį, p reikšmės/);
    expect(l.emerging.settings(2, true, "0,05", null)).toMatch(/normaliąją aproksimaciją\. Mėnuo/);
  });

  it("prints a p-value on its own side of 0.05: 0.0498 is not '0.050', in both languages", () => {
    const [e, l] = [strings("en"), strings("lt")];
    expect(e.formatP(0.0498)).toBe("0.0498");
    expect(l.formatP(0.0498)).toBe("0,0498");
    expect(e.formatP(0.05012)).toBe("0.0501");
    expect(e.formatP(0.0368)).toBe("0.037");
    expect(e.formatP(0.5)).toBe("0.500");
    expect(e.formatP(0.0004)).toBe("< 0.001");
    expect(e.formatP(0.0996, 0.1)).toBe("0.0996");
  });

  it("writes a bounding box with hemispheres, never a signed degree, in both languages", () => {
    const [e, l] = [strings("en"), strings("lt")];
    const vancouver = { south: 49.2, north: 49.32, west: -123.23, east: -123.02 };
    expect(e.formatBounds(vancouver)).toBe("49.20–49.32 N, 123.23–123.02 W");
    expect(l.formatBounds(vancouver)).toBe("49,20–49,32° š. pl., 123,23–123,02° v. ilg.");
    expect(e.formatBounds({ south: -34.1, north: -33.8, west: 151.1, east: 151.3 })).toBe("34.10–33.80 S, 151.10–151.30 E");
    // Across the equator or Greenwich each end names its own side.
    expect(e.formatBounds({ south: -0.5, north: 0.25, west: -0.2, east: 0.1 })).toBe("0.50 S – 0.25 N, 0.20 W – 0.10 E");
    expect(l.formatBounds({ south: 55.8, north: 56.1, west: 23.0, east: 23.5 })).toBe("55,80–56,10° š. pl., 23,00–23,50° r. ilg.");
  });

  it("labels the quarantine code outside_municipality in both languages", () => {
    expect(strings("en").reasonLabel("outside_municipality")).toBe("Outside the municipality it names");
    expect(strings("lt").reasonLabel("outside_municipality")).toBe("Už nurodytos savivaldybės ribų");
  });
});

describe("csv and axes", () => {
  it("writes RFC 4180 CSV with a BOM, plain numbers and defused formulas", () => {
    const text = csvText(
      [
        { a: "Šiauliai, centras", b: 1234.5, c: null },
        { a: '=HYPERLINK("x")', b: -2, c: true },
      ],
      [
        { label: "Vieta", value: (r: { a: string }) => r.a },
        { label: "Skaičius", value: (r: { b: number }) => r.b },
        { label: "C", value: (r: { c: boolean | null }) => r.c },
      ],
    );
    expect(text).toBe('\uFEFFVieta,Skaičius,C\r\n"Šiauliai, centras",1234.5,\r\n"\'=HYPERLINK(""x"")",-2,true\r\n');
    expect(fileName("Įvykiai per metus — visa teritorija", "csv")).toBe("ivykiai-per-metus-visa-teritorija.csv");
  });

  it("writes Lithuanian CSV with semicolons and decimal commas, as Lithuanian-locale spreadsheets open it", () => {
    const rows = [{ a: "Šiauliai; centras", b: -1234.5, c: "Kuršėnai, 2 km Š" }];
    const columns = [
      { label: "Vieta", value: (r: (typeof rows)[number]) => r.a },
      { label: "z reikšmė", value: (r: (typeof rows)[number]) => r.b },
      { label: "Aprašas", value: (r: (typeof rows)[number]) => r.c },
    ];
    expect(csvText(rows, columns, { lang: "lt" })).toBe('\uFEFFVieta;z reikšmė;Aprašas\r\n"Šiauliai; centras";-1234,5;Kuršėnai, 2 km Š\r\n');
    expect(csvText(rows, columns, { lang: "en" })).toBe('\uFEFFVieta,z reikšmė,Aprašas\r\nŠiauliai; centras,-1234.5,"Kuršėnai, 2 km Š"\r\n');
  });

  it("makes room beside a chart for its longest label, wrapping it past a third of the width", () => {
    // The Lithuanian Overview at 1280 px: the chart is about 1100 px wide; the label ran 25 px past the old 220 px margin.
    const longest = lt.categories.vehicle_crime;
    expect(longest).toBe("Nusikaltimai, susiję su transporto priemonėmis");
    const wide = labelRoom([lt.categories.theft, longest], 1100);
    expect(wide.margin).toBeGreaterThanOrEqual(longest.length * 6 + 10);
    expect(wide.lineWidth * 10).toBeGreaterThanOrEqual(longest.length * 6);
    // On a phone the names wrap within a third of the width rather than squeeze the panels.
    expect(labelRoom([longest], 360)).toEqual({ margin: 130, lineWidth: 12 });
  });

  it("ticks monthly, quarterly or yearly and keeps count axes whole", () => {
    const tr = strings("en");
    expect(monthAxis(tr, 6).ticks).toBe("month");
    expect(monthAxis(tr, 24).ticks).toBe("3 months");
    expect(monthAxis(tr, 84).ticks).toBe("year");
    expect(tr.formatAxisMonth(new Date(Date.UTC(2020, 0, 1)))).toBe("2020");
    expect(strings("lt").formatAxisMonth(new Date(Date.UTC(2020, 5, 1)))).toBe("birž.");
    expect(countTicks(3)).toEqual([0, 1, 2, 3]);
    expect(countTicks(50)).toBeUndefined();
    expect(ratioTicks(0.2, 30)).toEqual([0.25, 0.5, 1, 2, 4, 10, 20]);
  });
});

describe("geo rewinding for d3", () => {
  it("makes H3 outlines and municipality outlines small polygons, holes included", async () => {
    const data = await makeSampleDashboardData();
    const hex = data.hexagons.features[0];
    if (!hex) throw new Error("no hexagon");
    expect(geoArea(hex)).toBeGreaterThan(2 * Math.PI); // H3 rings run counter-clockwise
    const wound = rewindFeature(hex);
    expect(geoArea(wound)).toBeLessThan(1e-6);
    expect(rewindFeature(wound)).toEqual(wound);
    expect(geoArea({ type: "Feature", properties: {}, geometry: hexagonIndex(data.hexagons).get(hex.properties.cell)!.geometry })).toBeLessThan(1e-6);
    for (const feature of data.municipalities.features) {
      const area = geoArea(rewindFeature(feature));
      expect(area).toBeGreaterThan(0);
      expect(area).toBeLessThan(1e-4);
    }
    // The district surrounds the city: rewound, the city is a hole, not a second outer ring.
    const district = data.municipalities.features.find((f) => f.properties.name === "Šiaulių r. sav.");
    const city = data.municipalities.features.find((f) => f.properties.name === "Šiaulių m. sav.");
    if (!district || !city) throw new Error("outline missing");
    expect(geoArea(rewindFeature(district))).toBeLessThan(geoArea(district));
    expect(
      signedArea([
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 0],
      ]),
    ).toBeGreaterThan(0);
  });
});

/** A cell's outline as publish writes it: [lon, lat] to 6 decimals, closed. */
function boundaryRing(cell: string): Array<[number, number]> {
  return cellToBoundary(cell, true).map(([lon, lat]) => [Math.round(lon! * 1e6) / 1e6, Math.round(lat! * 1e6) / 1e6] as [number, number]);
}

describe("map outlines", () => {
  it("draws a hull study area's outline where there are no municipalities, wound for d3, the area of its cells", async () => {
    const data = await makeSampleDashboardData();
    const cells = gridDisk(data.hexagons.features[0]!.properties.cell, 3);
    const outline = studyAreaOutline(cells);
    const none = { type: "FeatureCollection" as const, features: [] };
    const drawn = mapOutlines(none, { study_area_outline: outline });
    expect(drawn.features).toHaveLength(1);
    expect(drawn.features[0]!.properties.name).toBe("");
    const area = cells.reduce((s, c) => s + cellArea(c, "rads2"), 0);
    expect(geoArea(drawn.features[0]!) / area).toBeCloseTo(1, 3);
    // Municipalities keep priority; with neither, nothing is drawn.
    expect(
      mapOutlines(data.municipalities, { study_area_outline: outline })
        .features.map((f) => f.properties.name)
        .sort(),
    ).toEqual(data.municipalities.features.map((f) => f.properties.name).sort());
    expect(mapOutlines(none, { study_area_outline: null }).features).toEqual([]);
    expect(studyAreaOutline([])).toBeNull();
  });

  it("labels a city without places by its localities: once each, on the named cell nearest their middle, pairs and places' descriptions left out", async () => {
    const data = await makeSampleDashboardData();
    const centre = data.hexagons.features[0]!.properties.cell;
    const line = gridDisk(centre, 3).sort((a, b) => gridDistance(centre, a) - gridDistance(centre, b));
    const downtown = [line[0]!, ...line.slice(1, 7)]; // the centre and its ring: the middle is the centre
    const names: Record<string, { lt: string | null; en: string | null }> = Object.fromEntries([
      ...downtown.map((c) => [c, { lt: "Downtown", en: "Downtown" }]),
      [line[7]!, { lt: "Strathcona", en: "Strathcona" }],
      [line[8]!, { lt: "Downtown / Strathcona", en: "Downtown / Strathcona" }],
      [line[9]!, { lt: null, en: null }],
      [line[10]!, { lt: "2 km Š nuo Kuršėnų", en: "2 km N of Kuršėnai" }],
    ]);
    const hexagons = {
      type: "FeatureCollection" as const,
      features: Object.entries(names).map(([cell, n]) => ({
        type: "Feature" as const,
        // As published: the names told apart, the locality as it is.
        properties: {
          cell,
          municipality: null,
          place_lt: n.lt === null ? null : `${n.lt} (${cell.slice(-3)})`,
          place_en: n.en === null ? null : `${n.en} (${cell.slice(-3)})`,
          ...(n.lt !== null && !/ km /.test(n.lt) ? { locality: n.lt } : {}),
        },
        geometry: { type: "Polygon" as const, coordinates: [boundaryRing(cell)] },
      })),
    };
    const labels = localityLabels(hexagonIndex(hexagons));
    expect(labels.map((l) => [l.name, l.population])).toEqual([
      ["Downtown", 7],
      ["Strathcona", 1],
    ]);
    const [lat, lon] = cellToLatLng(centre);
    expect(labels[0]!.position[0]).toBeCloseTo(lon, 5);
    expect(labels[0]!.position[1]).toBeCloseTo(lat, 5);
    expect(labels.every((l) => l.kind === "town" && l.name_en === null)).toBe(true);
  });
});

describe("sample data", () => {
  it("follows the data contract", async () => {
    const { meta, monthlyCounts, hotspots, hexagons, municipalities, emerging, patrol, evaluation, dataQuality } = await makeSampleDashboardData();
    expect(meta.categories[0]).toBe("all");
    expect(meta.months).toEqual([...meta.months].sort());
    expect(meta.summary.rows_read).toBe(meta.summary.rows_ingested + meta.summary.rows_quarantined);
    for (const row of monthlyCounts) {
      expect(meta.months).toContain(row.month);
      if (row.count !== null && row.count !== 0) expect(row.count).toBeGreaterThanOrEqual(meta.suppression_threshold);
    }
    const cells = new Set(hexagons.features.map((f) => f.properties.cell));
    for (const group of hotspots.groups) {
      expect(meta.sensitive_categories).not.toContain(group.category);
      const n = group.cell.length;
      expect([group.bin.length, group.bin_fdr.length, group.count.length]).toEqual([n, n, n]);
      expect(group).not.toHaveProperty("z");
      group.bin.forEach((bin, i) => {
        expect(Math.abs(bin)).toBeGreaterThan(0);
        expect(Math.abs(group.bin_fdr[i]!)).toBeLessThanOrEqual(Math.abs(group.bin[i]!));
        expect(cells.has(hotspots.cells[group.cell[i]!]!)).toBe(true);
        const count = group.count[i];
        if (count !== null && count !== undefined) expect(count).toBeGreaterThanOrEqual(meta.suppression_threshold);
      });
    }
    for (const c of [...emerging.cells, ...patrol.forecast!.cells]) expect(cells.has(c.cell)).toBe(true);
    for (const feature of hexagons.features) {
      const ring = feature.geometry.coordinates[0] as Array<[number, number]>;
      expect(ring.at(0)).toEqual(ring.at(-1));
      const [lon, lat] = ring[0] as [number, number];
      expect(lon).toBeCloseTo(23.31, 0);
      expect(lat).toBeCloseTo(55.93, 0);
      expect(["Šiaulių m. sav.", "Šiaulių r. sav."]).toContain(feature.properties.municipality);
    }
    expect(municipalities.features.map((f) => f.properties.name).sort()).toEqual(["Šiaulių m. sav.", "Šiaulių r. sav."]);
    expect(evaluation.projects.some((p) => p.evaluations.length > 0)).toBe(true);
    expect(dataQuality.sources.reduce((s, f) => s + f.rows_quarantined, 0)).toBe(meta.summary.rows_quarantined);
  });
});

describe("npm cache prefill", () => {
  it("bundles the libraries with shared d3 and leaves empty placeholder folders", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dashboard-npm-"));
    try {
      const written = await prefillNpmCache(dir);
      const plot = (await findPackage("@observablehq/plot")).pkg.version;
      const d3 = (await findPackage("d3")).pkg.version;
      expect(written).toContain(`@observablehq/plot@${plot}/_esm.js`);
      const source = await readFile(join(dir, `@observablehq/plot@${plot}`, "_esm.js"), "utf8");
      expect(source).toContain(`"../../d3@${d3}/_esm.js"`);
      expect(source).not.toMatch(/from\s*"d3"/);
      expect(existsSync(join(dir, `d3@${d3}`, "_esm.js"))).toBe(true);
      for (const name of PLACEHOLDER_LIBRARIES) {
        expect(await readdir(join(dir, `${name}@${PLACEHOLDER_VERSION}`))).toEqual([]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("a map cell's accessible name", () => {
  const channels = { Place: (r: { place: string; z: number | null }) => r.place, "Gi* z": (r: { place: string; z: number | null }) => r.z };
  it("reads each figure with its name, and the cell's id once", () => {
    expect(cellAriaLabel("881f449b6dfffff", { place: "Kompelis, Šiauliai", z: 2.5 }, channels, "Cell")).toBe(
      "Cell: 881f449b6dfffff; Place: Kompelis, Šiauliai; Gi* z: 2.5",
    );
    const withId = { ...channels, Cell: (r: { place: string; z: number | null }) => (r.place ? "881f449b6dfffff" : "") };
    const label = cellAriaLabel("881f449b6dfffff", { place: "Kompelis, Šiauliai", z: null }, withId, "Cell");
    expect(label).toBe("Place: Kompelis, Šiauliai; Cell: 881f449b6dfffff");
  });
});

describe("chartSummary", () => {
  it("states a series' span, lowest, highest and latest drawn value in the page's language, leaving withheld months out", () => {
    const points = [
      { month: "2024-09", value: 12 },
      { month: "2024-10", value: 3 },
      { month: "2024-11", value: 40 },
      { month: "2024-12", value: null },
    ];
    const lt = strings("lt");
    expect(chartSummary(points, lt.formatCount, lt)).toBe("Nuo 2024 m. rugsėjo iki 2024 m. lapkričio: mažiausiai 3, daugiausia 40; 2024 m. lapkritis – 40.");
    const en = strings("en");
    expect(chartSummary(points, en.formatCount, en)).toBe("From September 2024 to November 2024: lowest 3, highest 40; November 2024: 40.");
  });

  it("sums a month's series for a chart of one panel per category, none where one is withheld", () => {
    const points = [
      { month: "2024-09", value: 2 },
      { month: "2024-09", value: 5 },
      { month: "2024-10", value: 4 },
      { month: "2024-10", value: null },
    ];
    expect(monthTotals(points)).toEqual([
      { month: "2024-09", value: 7 },
      { month: "2024-10", value: null },
    ]);
  });

  it("gives the range alone without months, and says when nothing is drawn", () => {
    const en = strings("en");
    expect(chartSummary([{ value: 0.25 }, { value: 0.5 }], (v) => en.formatShare(v), en)).toBe(
      `Values from ${en.formatShare(0.25)} to ${en.formatShare(0.5)}.`,
    );
    expect(chartSummary([{ month: "2024-09", value: null }], en.formatCount, en)).toBe(en.common.chartEmpty);
  });
});
