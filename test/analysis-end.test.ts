/**
 * The last month the analyses run to (analysisEnd): a month that has not ended at run time in the
 * lake's time zone is never analysed (an export pulled on the 2nd holds one day of it), nor a sparse
 * last month (an export's partial edge); their rows stay in the lake. The hot spots, trends and
 * backtest end with the month before, the forecast and the briefing plan the month after that (the
 * current month), and the run says what it left out (r2 report, D5).
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analysisEnd, analysisStart, checkAnalyseRange, checkForecastMonth, currentMonth } from "../etl/analytics/lake-months.ts";
import { mulberry32 } from "../etl/analytics/sample-sum-monte-carlo.ts";
import { briefingMonth } from "../etl/briefing/site-briefing.ts";
import { summaryText, type RunSummary } from "../etl/cli/summary-text.ts";
import type { Manifest } from "../etl/lake/manifest.ts";
import { countTablesOf, type CountRow } from "../etl/publish/count-tables.ts";
import { releaseRules } from "../etl/publish/release-rules.ts";
import { en } from "../dashboard/src/components/strings-en.ts";
import { lt } from "../dashboard/src/components/strings-lt.ts";
import { hotspotsInProcess } from "./helpers/hotspots-cli.ts";
import { monthLabels } from "./helpers/poisson-city.ts";

const totals = (entries: Record<string, number>) => new Map(Object.entries(entries));
/** 24 months of about 300 incidents, 2021-01 … 2022-12. */
const busy = (): Record<string, number> => Object.fromEntries(monthLabels(2021, 24).map((m, t) => [m, 290 + ((7 * t) % 23)]));

describe("analysisEnd", () => {
  it("is the lake's last month when it has ended and is not sparse", () => {
    expect(analysisEnd(totals(busy()), "2023-01")).toEqual({ end: "2022-12", leftOut: [] });
    expect(analysisEnd(totals(busy()), "2026-12")).toEqual({ end: "2022-12", leftOut: [] });
    expect(analysisEnd(new Map(), "2023-01")).toEqual({ end: null, leftOut: [] });
  });

  it("leaves out the month the run is in, however many incidents it already holds", () => {
    const lake = { ...busy(), "2023-01": 3 };
    expect(analysisEnd(totals(lake), "2023-01")).toEqual({ end: "2022-12", leftOut: [{ month: "2023-01", reason: "not_ended", incidents: 3 }] });
    // An export pulled on the 28th: nearly a whole month, still not ended.
    const late = { ...busy(), "2023-01": 280 };
    expect(analysisEnd(totals(late), "2023-01").end).toBe("2022-12");
    // A mistyped future year is not a month that has ended either.
    expect(analysisEnd(totals({ ...busy(), "2031-05": 1 }), "2023-01").leftOut).toEqual([{ month: "2031-05", reason: "not_ended", incidents: 1 }]);
  });

  it("leaves out sparse last months once ended, as analysisStart leaves out sparse first ones", () => {
    const lake = { ...busy(), "2023-01": 3 };
    expect(analysisEnd(totals(lake), "2023-06")).toEqual({ end: "2022-12", leftOut: [{ month: "2023-01", reason: "too_few", incidents: 3 }] });
    // A partial month holding more than a tenth of a typical one is analysed, as a partial first month is.
    expect(analysisEnd(totals({ ...busy(), "2023-01": 60 }), "2023-06")).toEqual({ end: "2023-01", leftOut: [] });
    // A sparse month inside the analysed ones (a lull, a missing export) stays: gapMonths names it.
    expect(analysisEnd(totals({ ...busy(), "2022-06": 4 }), "2023-06").end).toBe("2022-12");
  });

  it("is never after analysisStart's start: a month not ended is current, not a sparse or a typical month, to both", () => {
    // An export that begins on the 29th of December, pulled on the 28th of January: January has not ended.
    const lake = totals({ "2022-12": 5, "2023-01": 180 });
    expect(analysisEnd(lake, "2023-01").end).toBe("2022-12");
    expect(analysisStart(lake, "2023-01")).toBe("2022-12");
    // Once January has ended, December is the sparse first month.
    expect(analysisStart(lake, "2023-02")).toBe("2023-01");
    expect(analysisEnd(lake, "2023-02").end).toBe("2023-01");
    // The month not ended sets no typical month: 8 beside months of 100 is a sparse last month, however few the current one holds.
    expect(analysisEnd(totals({ "2022-10": 100, "2022-11": 100, "2022-12": 8, "2023-01": 1 }), "2023-01")).toEqual({
      end: "2022-11",
      leftOut: [
        { month: "2022-12", reason: "too_few", incidents: 8 },
        { month: "2023-01", reason: "not_ended", incidents: 1 },
      ],
    });
  });

  it("keeps every month of a sparse city, whose typical month is a few incidents", () => {
    const entries = Object.fromEntries(monthLabels(2018, 36).map((m, t) => [m, [1, 0, 2, 4, 1, 3][t % 6]!]));
    expect(analysisEnd(totals(entries), "2021-02").end).toBe("2020-12");
  });

  it("cuts months in the lake's time zone, with the run's clock", () => {
    // 23:30 UTC on 31 December is already January in Vilnius, not yet in Phoenix.
    const now = new Date("2022-12-31T23:30:00Z");
    expect(currentMonth("Europe/Vilnius", now)).toBe("2023-01");
    expect(currentMonth("America/Phoenix", now)).toBe("2022-12");
  });

  it("refuses forecasts past the analysed months and hot spots of a month not ended, saying why", () => {
    const span = { first: "2021-01", last: "2023-01" };
    const ending = analysisEnd(totals({ ...busy(), "2023-01": 3 }), "2023-01");
    expect(() => checkForecastMonth("2023-01", span, ending)).not.toThrow();
    expect(() => checkForecastMonth("2023-02", span, ending)).toThrow(
      /2023-02 is past the analysed months, which end at 2022-12 \(2023-01 is not analysed: it has not ended\).*forecast --month 2023-01/,
    );
    expect(() => checkAnalyseRange("2023-01", "2023-01", span, "2023-01")).toThrow(/2023-01 has not ended.*analyse months up to 2022-12/);
    expect(() => checkAnalyseRange("2022-01", "2022-12", span, "2023-01")).not.toThrow();
  });
});

describe("the overview's note of the months not analysed", () => {
  const rows = (last: number): CountRow[] => [
    ...Object.entries(busy()).flatMap(([month, n]) => [
      { month, category: "theft", municipality: "A", file: "x", n: n - 100 },
      { month, category: "theft", municipality: "B", file: "x", n: 100 },
    ]),
    { month: "2023-01", category: "theft", municipality: "A", file: "x", n: last },
  ];

  // The lake's end as lakeAnalysisEnd gives it (the manifest's rows per month are the rows' sums here).
  const endOf = (last: number, current: string) => ({ ...analysisEnd(totals({ ...busy(), "2023-01": last }), current), current });

  it("names the month and why, its count released with the tables", () => {
    const rules = releaseRules({ suppressionThreshold: 5 });
    expect(countTablesOf(rows(3), rules, endOf(3, "2023-01")).notAnalysed).toEqual([{ month: "2023-01", reason: "not_ended", count: null }]);
    expect(countTablesOf(rows(12), rules, endOf(12, "2023-04")).notAnalysed).toEqual([{ month: "2023-01", reason: "too_few", count: 12 }]);
    expect(countTablesOf(rows(12), rules).notAnalysed).toEqual([]);
    // The month stays in the monthly counts: it is the lake's, only not analysed.
    expect(countTablesOf(rows(12), rules, endOf(12, "2023-04")).monthly.some((m) => m.month === "2023-01" && m.count === 12)).toBe(true);
  });

  it("says it in both languages", () => {
    expect(en.overview.notAnalysed("2023-01", "not_ended", null)).toMatch(/^January 2023 is not analysed: it has not ended\./);
    expect(en.overview.notAnalysed("2023-01", "too_few", 12)).toMatch(/^January 2023 is not analysed: it holds too few incidents \(12\) to be a whole month\./);
    expect(en.overview.notAnalysed("2023-01", "too_few", null)).toMatch(/withheld, to protect privacy/);
    expect(lt.overview.notAnalysed("2023-01", "not_ended", null)).toMatch(/^2023 m\. sausis neanalizuojamas: šis mėnuo dar nesibaigė\./);
    expect(lt.overview.notAnalysed("2023-01", "too_few", 12)).toMatch(/jame per mažai įvykių \(12\), kad tai būtų visas mėnuo/);
  });
});

describe("a run on a lake whose last month holds the incidents of its first day", () => {
  let dir: string;
  let lake: string;
  let first: RunSummary;
  let firstText: string;
  const run = async (...args: string[]) => hotspotsInProcess(["--lake", lake, ...args]);
  const manifest = async () => JSON.parse(await readFile(join(lake, "manifest.json"), "utf8")) as Manifest;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "analysis-end-"));
    lake = join(dir, "lake");
    // 24 months of 40 thefts a month around central Šiauliai, then three on 1 January 2023 (Vilnius time).
    const random = mulberry32(11);
    const lines = ["id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source"];
    let id = 0;
    const row = (at: string) =>
      lines.push(
        `S-${++id},${at},BK 178,theft,pre_trial_investigation,${(55.925 + 0.02 * random()).toFixed(6)},${(23.3 + 0.03 * random()).toFixed(6)},Šiaulių m. sav.,Šiauliai,test`,
      );
    for (const month of monthLabels(2021, 24)) for (let n = 0; n < 40; n++) row(`${month}-${String(2 + (n % 26)).padStart(2, "0")}T10:00:00Z`);
    for (const hour of ["08", "12", "16"]) row(`2023-01-01T${hour}:00:00Z`);
    const csv = join(dir, "incidents.csv");
    await writeFile(csv, lines.join("\n") + "\n");
    // Run at 04:00 on 2 January in Vilnius: January has not ended.
    first = JSON.parse((await run("--json", "--now", "2023-01-02T02:00:00Z", "run", "--no-build", csv)).stdout) as RunSummary;
    // What the run prints without --json.
    firstText = summaryText(first);
  }, 600_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("keeps the month's rows in the lake", async () => {
    expect(first.ingest?.rows_ingested).toBe(24 * 40 + 3);
    expect(Object.values((await manifest()).tables.incidents ?? {}).some((e) => e.month === "2023-01")).toBe(true);
  });

  it("ends the hot spots, trends and backtest with the month before, and writes no hot spots of the month", async () => {
    expect(first.analyse).toMatchObject({ first_month: "2021-01", last_month: "2022-12", months: 24, gap_months: [] });
    expect(first.analyse!.months_not_analysed).toEqual([{ month: "2023-01", reason: "not_ended", incidents: null }]);
    expect(first.analytics!.emerging).toMatchObject({ last_month: "2022-12" });
    expect(first.analytics!.backtest).toMatchObject({ last_month: "2022-12" });
    expect(Object.values((await manifest()).tables.hot_spots ?? {}).map((e) => e.month)).not.toContain("2023-01");
  });

  it("plans the patrols and the briefing for the current month", async () => {
    expect(first.analytics!.forecast).toMatchObject({ month: "2023-01", history: { to: "2022-12" } });
    // A month not analysed has no actual to score the forecast by.
    const forecast = first.analytics!.forecast as { methods: Array<{ accuracy?: unknown }> };
    expect(forecast.methods.every((m) => m.accuracy === undefined)).toBe(true);
    expect(first.analytics!.categories.theft?.forecast).toMatchObject({ month: "2023-01" });
    expect(briefingMonth(await manifest(), new Date("2023-01-02T02:00:00Z"))).toBe("2023-01");
  });

  it("says what it left out", () => {
    expect(firstText).toMatch(/Hot spots: 24 months \(2021-01 … 2022-12\)/);
    expect(firstText).toMatch(/2023-01 is not analysed: it has not ended; its incidents stay in the lake/);
    expect(firstText).toMatch(/Patrol priorities 2023-01/);
    expect(firstText).not.toMatch(/2023-01 holds far fewer incidents/);
  });

  it("leaves the month out once ended too, as too few incidents to be a whole month", async () => {
    const later = JSON.parse((await run("--json", "--now", "2023-03-10T12:00:00Z", "run", "--no-ingest", "--no-build")).stdout) as RunSummary;
    expect(later.analyse).toMatchObject({ last_month: "2022-12" });
    // 3 incidents: under the suppression threshold, withheld as any count.
    expect(later.analyse!.months_not_analysed).toEqual([{ month: "2023-01", reason: "too_few", incidents: null }]);
    // The analysed months are those of the first run: its outputs are kept, the forecast still for January.
    expect(later.analytics!.forecast).toMatchObject({ file: expect.stringMatching(/forecasts\/month=2023-01\/all\.parquet$/) });
  }, 300_000);

  it("analyses the month once it has ended whole, and moves the forecast on", async () => {
    const rest = ["id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source"];
    for (let n = 0; n < 40; n++)
      rest.push(
        `J-${n},2023-01-${String(2 + (n % 26)).padStart(2, "0")}T10:00:00Z,BK 178,theft,pre_trial_investigation,55.93,23.31,Šiaulių m. sav.,Šiauliai,test`,
      );
    const csv = join(dir, "january.csv");
    await writeFile(csv, rest.join("\n") + "\n");
    const next = JSON.parse((await run("--json", "--now", "2023-02-02T02:00:00Z", "run", "--no-build", csv)).stdout) as RunSummary;
    expect(next.analyse).toMatchObject({ last_month: "2023-01", months: 25, months_not_analysed: [] });
    expect(next.analytics!.emerging).toMatchObject({ last_month: "2023-01" });
    expect(next.analytics!.forecast).toMatchObject({ month: "2023-02", history: { to: "2023-01" } });
    expect(Object.values((await manifest()).tables.hot_spots ?? {}).map((e) => e.month)).toContain("2023-01");
  }, 300_000);
});
