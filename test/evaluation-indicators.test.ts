import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ExposureFileError, exposureSeries, loadExposureRows, loadImmigrationExposure } from "../etl/context/immigration.ts";
import { loadProjects } from "../etl/context/project-indicators.ts";
import { parsePeriod } from "../etl/evaluation/statistics/evaluation-period.ts";
import { exposureCoverage, exposureRates, periodExposure } from "../etl/evaluation/statistics/exposure-rates.ts";
import { indicatorProgress, isShareUnit } from "../etl/evaluation/statistics/process-indicators.ts";
import { indicatorTable } from "../etl/evaluation/report/report-process-section.ts";
import { projectRoot } from "./helpers/shared.ts";

const projects = loadProjects(resolve(projectRoot, "data", "projects", "projects.json"));
const progressOf = (id: string) => indicatorProgress(projects.indicators.find((i) => i.id === id)!);
const IMMIGRATION = resolve(projectRoot, "data", "context", "immigration.csv");

describe("indicatorProgress on the seed projects", () => {
  it("gives every one of the five projects process indicators", () => {
    for (const project of projects.projects) {
      expect(projects.indicators.filter((i) => i.project_id === project.id && i.kind === "process").length, project.id).toBeGreaterThan(0);
    }
  });

  it("We Are people involved: about 3,000 by June, over 8,000 more, so over 11,000 against 10,000", () => {
    const p = progressOf("we-are-people-involved");
    expect(p.percent_of_target).toBeNull();
    expect(p.checkpoints.map((c) => [c.cumulative, c.cumulative_qualifier, c.percent_of_target])).toEqual([
      [3000, "approximate", 30],
      [11000, "more_than", 110],
    ]);
    expect(p.status).toBe("no total stated; the checkpoints add up to over 11,000 (≈ 110 % of the 10,000 target), if nobody is counted twice");
  });

  it("Romanian workshops: 538 participants against 300 planned is 179.3 % and exceeds the target", () => {
    const p = progressOf("ro-no-workshop-participants");
    expect(Math.abs(p.percent_of_target! - (538 / 300) * 100)).toBeLessThanOrEqual(1e-9);
    expect(p.target_met).toBe(true);
    expect(p.status).toBe("538 against 300 planned (179.3 % of target): target exceeded");
  });

  it("826 officers trained has no target, so no share of target", () => {
    const p = progressOf("lt-no-oc-officers-trained");
    expect([p.percent_of_target, p.target_met]).toEqual([null, null]);
    expect(p.status).toBe("826 achieved; no target stated");
  });

  it("compares with the baseline and the desired direction (meetings with businesses 2 → 25)", () => {
    const p = progressOf("we-are-business-meetings");
    expect([p.change_from_baseline, p.percent_change_from_baseline, p.direction_met]).toEqual([23, 1150, true]);
  });

  it("says when the source gives no figure at all", () => {
    expect(progressOf("lt-no-dv-alarm-system").status).toBe("no figure stated in the source");
    expect(progressOf("bg-no-report").status).toBe("target 1; no result stated");
  });
});

describe("indicatorProgress of a share (per cent)", () => {
  // An evaluator's indicator: share of high-risk victims given an alarm device, 40 % → 55 % against 80 %,
  // read each quarter within the quarter.
  const base = projects.indicators.find((i) => i.id === "lt-no-dv-alarm-system")!;
  const indicator = {
    ...base,
    unit: "percent",
    baseline: 40,
    baseline_period: "2020",
    target: 80,
    achieved: 55,
    achieved_qualifier: "exact" as const,
    checkpoints: [
      { label: "2021 Q1", date: "2021-03-31", value: 45, basis: "in_period" as const, qualifier: "exact" as const },
      { label: "2021 Q2", date: "2021-06-30", value: 55, basis: "in_period" as const, qualifier: "exact" as const },
    ],
  };

  it("knows share units in English and Lithuanian, and counts as counts", () => {
    for (const unit of ["%", "percent", "per cent", "percentage points", "procentai", "procentų", "proc."]) expect(isShareUnit(unit), unit).toBe(true);
    for (const unit of ["persons", "cases", "asmenys", "procedures"]) expect(isShareUnit(unit), unit).toBe(false);
  });

  it("changes by percentage points, not by a percentage of a percentage", () => {
    const p = indicatorProgress(indicator);
    expect([p.change_from_baseline, p.percent_change_from_baseline, p.direction_met]).toEqual([15, null, true]);
    const table = JSON.stringify(indicatorTable("Process indicators", [p]));
    expect(table).toContain("+15 percentage points");
    expect(table).not.toContain("37.5");
  });

  it("does not add up the quarters' shares: each quarter's reading stands alone", () => {
    const p = indicatorProgress({ ...indicator, achieved: null, achieved_qualifier: null });
    expect(p.checkpoints.map((c) => [c.cumulative, c.percent_of_target])).toEqual([
      [45, 56.25],
      [55, 68.75],
    ]);
    expect(p.status).toBe("no result stated; the latest checkpoint (2021 Q2) reads 55 (69 % of the 80 target)");
  });
});

/** Kuršėnai as the bundled evaluation gives it: a locality whose incidents lie in Šiaulių district. */
const KURSENAI = { kind: "locality" as const, name: "Kuršėnai", label: "Kuršėnai", places: [{ municipality: "Šiaulių r. sav.", locality: "Kuršėnai" }] };

describe("immigration exposure", () => {
  const dir = mkdtempSync(join(tmpdir(), "exposure-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("loads the bundled table as the yearly series of Šiauliai County", () => {
    const series = loadImmigrationExposure(IMMIGRATION);
    expect(series).toMatchObject({ indicator: "immigrants_registered", area_code: "LT026", area_name: "Šiaulių apskritis", unit: "persons" });
    expect([...series.values.entries()]).toEqual([
      [2015, 2836],
      [2016, 2562],
      [2017, 3390],
      [2018, 4021],
      [2019, 5719],
    ]);
  });

  it("gives rates per 10,000 a year and the exact test with exposures as denominators", () => {
    const series = loadImmigrationExposure(IMMIGRATION);
    const r = exposureRates(series, { count: 3, period: parsePeriod("2018") }, { count: 8, period: parsePeriod("2019") })!;
    expect(Math.abs(r.before_rate - (3 / 4021) * 10_000)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(r.after_rate - (8 / 5719) * 10_000)).toBeLessThanOrEqual(1e-9);
    // R 4.2.2: poisson.test(c(3, 8), T = c(4021, 5719))$p.value
    expect(Math.abs(r.p_value - 0.542325283715548)).toBeLessThanOrEqual(1e-9);
    // Half of 2018 and half of 2019 weigh each year's figure by its days.
    expect(periodExposure(series, parsePeriod("2018-07/2019-06")).value).toBeCloseTo((4021 * 184) / 365 + (5719 * 181) / 365, 9);
  });

  it("never divides by a year it does not have", () => {
    const series = loadImmigrationExposure(IMMIGRATION);
    expect(periodExposure(series, parsePeriod("2019/2020"))).toEqual({ value: null, missingYears: [2020] });
    expect(exposureRates(series, { count: 1, period: parsePeriod("2019") }, { count: 2, period: parsePeriod("2020") })).toBeNull();
    expect(exposureCoverage(series, parsePeriod("2019"), parsePeriod("2020"), KURSENAI).note).toMatch(/no figure for 2020 \(it covers 2015–2019\)/);
  });

  it("divides by a figure only where its area holds every place the evaluated area's incidents lie in", () => {
    const series = loadImmigrationExposure(IMMIGRATION);
    expect(series.places).toContain("Šiaulių r. sav.");
    expect(series.places).toContain("Šiaulių apskritis");
    const [before, after] = [parsePeriod("2018"), parsePeriod("2019")];
    // Kuršėnai lies in Šiaulių district, one of the county's municipalities: the rates stay.
    expect(exposureCoverage(series, before, after, KURSENAI)).toEqual({ series, note: null, note_lt: null });
    expect(exposureCoverage(series, before, after, { kind: "municipality", name: "Šiaulių r. sav.", label: "Šiaulių r. sav.", places: [] }).series).toBe(
      series,
    );
    // Another city's borough: no rate, and what to give instead, in both languages.
    const brooklyn = { kind: "locality" as const, name: "BROOKLYN", label: "BROOKLYN", places: [{ municipality: null, locality: "BROOKLYN" }] };
    const outside = exposureCoverage(series, before, after, brooklyn);
    expect(outside.series).toBeNull();
    expect(outside.note).toMatch(
      /^No rates per exposure: the immigrants registered figures are for Šiaulių apskritis \(LT026\), which does not hold BROOKLYN;/,
    );
    expect(outside.note).toMatch(/--exposure-file FILE/);
    expect(outside.note_lt).toMatch(/^Dažnių ekspozicijai nėra: .*neapima vertinamos teritorijos \(BROOKLYN\);.*--exposure-file FAILAS/);
    // A polygon or cell set: held only when every incident in it is; one incident outside is enough to refuse, and names where.
    const cells = { kind: "cells" as const, name: "3 H3 cells", label: "H3 3 H3 cells", places: [{ municipality: "Šiaulių m. sav.", locality: "Šiauliai" }] };
    expect(exposureCoverage(series, before, after, cells).series).toBe(series);
    const straddling = { ...cells, places: [...cells.places, { municipality: "Telšių r. sav.", locality: "Varniai" }] };
    expect(exposureCoverage(series, before, after, straddling).note).toMatch(/\(its incidents lie in Telšių r\. sav\.\)/);
    expect(exposureCoverage(series, before, after, { ...cells, places: [] }).series).toBeNull();
    const unnamed = exposureCoverage(series, before, after, { ...cells, places: [{ municipality: null, locality: null }] });
    expect(unnamed.note).toMatch(/\(its incidents lie in no named municipality or locality\)/);
    expect(unnamed.note_lt).toMatch(/\(jos įvykių vietos: be nurodytos savivaldybės ar gyvenvietės\)/);
    // A table for the place itself: its name is the place.
    const own = exposureSeries(
      [{ area_code: "BK", area_name: "BROOKLYN", indicator: "population", year: 2019, value: 2.5e6, unit: "persons", source: "census" }],
      "population",
    );
    expect(exposureCoverage(own, parsePeriod("2019-01/2019-06"), parsePeriod("2019-07/2019-12"), brooklyn).series).toBe(own);
  });

  it("refuses an area whose rows name different places it covers", () => {
    const path = join(dir, "covers.csv");
    writeFileSync(path, "area_code,area_name,indicator,year,value,unit,source,covers\nA,A,a,2018,5,persons,s,X;Y\nA,A,a,2019,7,persons,s,X\n");
    expect(() => loadExposureRows(path)).toThrow(/line 3: covers differs from line 2 for area A/);
  });

  it("refuses a malformed file with the line and the problem", () => {
    const path = join(dir, "bad.csv");
    writeFileSync(
      path,
      "area_code,area_name,indicator,year,value,unit,source\nLT026,X,immigrants_registered,2019,-5,persons,s\nLT026,X,immigrants_registered,2019,7,persons,s\n",
    );
    expect(() => loadExposureRows(path)).toThrow(ExposureFileError);
    expect(() => loadExposureRows(path)).toThrow(/line 2: value: Too small/);
    const duplicate = join(dir, "duplicate.csv");
    writeFileSync(duplicate, "area_code,area_name,indicator,year,value,unit,source\nLT026,X,a,2019,5,persons,s\nLT026,X,a,2019,7,persons,s\n");
    expect(() => loadExposureRows(duplicate)).toThrow(/line 3: repeats LT026 a 2019/);
    expect(() => exposureSeries(loadExposureRows(IMMIGRATION), "population")).toThrow(/no exposure indicator 'population'; known: immigrants_registered/);
  });
});
