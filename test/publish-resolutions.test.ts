/**
 * Several resolutions from one ingest, published (issue 18 item 3): a lake ingested at H3 resolution
 * 8 is analysed, classified and forecast at 9 and published at 9. Every per-cell figure published —
 * hot-spot counts, the emerging patterns classified again from the incidents, the patrol cells
 * listed under the release rules, and the briefing's counts per patrol area (by month, category, time
 * of day and weekday) — equals an independent latLngToCell count of the raw CSV rows at 9, aggregated
 * as the page shows it; meta.resolution and every drawn hexagon are of 9.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getResolution, latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DASHBOARD_DATA_FILES,
  type DashboardMeta,
  type EmergingData,
  type HexagonCollection,
  type HotspotTable,
  type PatrolData,
} from "../dashboard/data-contract.ts";
import { briefingData, TIME_BLOCKS, type BriefingData } from "../etl/briefing/briefing-data.ts";
import { DEFAULT_EMERGING_OPTIONS, emergingHotSpots } from "../etl/analytics/emerging-hot-spots.ts";
import { emergingStage } from "../etl/analytics/emerging-lake.ts";
import { DEFAULT_FORECAST_METHODS, forecastStage } from "../etl/analytics/forecast-lake.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { municipalityStudyArea } from "../etl/analytics/lake-grid.ts";
import { addMonths, monthRange } from "../etl/analytics/monthly-counts.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { placeIndex } from "../etl/geo/place-names.ts";
import { localityNames } from "../etl/publish/locality-names.ts";
import { coordinatesText } from "../dashboard/src/components/geo.js";
import { analyticsTables } from "../etl/lake/analytics-tables.ts";
import { readManifest } from "../etl/lake/manifest.ts";
import { analyseStage, ingestStage, publishStage } from "../etl/pipeline.ts";
import { supportMonths } from "../etl/publish/patrol-data.ts";
import { seriesRounded } from "../etl/publish/release-rules.ts";
import { defaultSettings, type PipelineSettings } from "../etl/settings.ts";
import { mulberry32 } from "../etl/analytics/sample-sum-monte-carlo.ts";
import { SHARED_BOUNDARIES } from "./helpers/shared.ts";

const T = 5;
const ZONE = "Europe/Vilnius";
const MONTHS = monthRange("2019-01", "2019-12");
const NEXT = "2020-01";
const SENSITIVE = "domestic_violence";
const HEADER = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";
/** The locality only sensitive incidents report: it must name nothing. */
const SECRET_LOCALITY = "Slaptoji g.";

interface Row {
  month: string;
  time: string;
  category: string;
  lat: number;
  lon: number;
  /** The export's own locality: a neighbourhood per cluster, by band of longitude elsewhere. */
  locality: string;
}

/** Spread incidents' locality: three bands of longitude, so cells on a band's edge share two names. */
const band = (lon: number) => (lon < 23.29 ? "Dainiai" : lon < 23.32 ? "Lieporiai" : "Gubernija");

/**
 * 3,600 incidents in Šiauliai city over 2019: half spread over about 6 × 5 km, half in two clusters
 * (one growing through the year), at any hour; thefts, burglaries and a sensitive category.
 */
function incidents(): Row[] {
  const next = mulberry32(918);
  const main = Array.from({ length: 3600 }, (_, i): Row => {
    const m = i % MONTHS.length;
    const month = MONTHS[m]!;
    const where = next();
    const growing = where >= 0.8 && next() < m / MONTHS.length;
    const [lat, lon] =
      where < 0.5
        ? [55.905 + 0.05 * next(), 23.26 + 0.09 * next()]
        : where < 0.8
          ? [55.9349 + 0.004 * (next() - 0.5), 23.3137 + 0.007 * (next() - 0.5)]
          : growing
            ? [55.922 + 0.003 * (next() - 0.5), 23.29 + 0.005 * (next() - 0.5)]
            : [55.905 + 0.05 * next(), 23.26 + 0.09 * next()];
    const day = 1 + Math.floor(next() * 28);
    const hour = Math.floor(next() * 24);
    const c = next();
    return {
      month,
      time: `${month}-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:${String(Math.floor(next() * 60)).padStart(2, "0")}:00Z`,
      category: c < 0.6 ? "theft" : c < 0.9 ? "burglary" : SENSITIVE,
      lat: Number(lat.toFixed(6)),
      lon: Number(lon.toFixed(6)),
      locality: where >= 0.5 && where < 0.8 ? "Centras" : growing ? "Rėkyva" : band(lon),
    };
  });
  // Sensitive incidents in the first cluster's middle that report a locality of their own: counted, they would name its cells.
  const sensitive = Array.from({ length: 240 }, (_, i): Row => {
    const month = MONTHS[i % MONTHS.length]!;
    const [lat, lon] = [55.9349 + 0.0006 * (next() - 0.5), 23.3137 + 0.001 * (next() - 0.5)];
    const time = `${month}-${String(1 + (i % 28)).padStart(2, "0")}T${String(i % 24).padStart(2, "0")}:${String(Math.floor(next() * 60)).padStart(2, "0")}:00Z`;
    return { month, time, category: SENSITIVE, lat: Number(lat.toFixed(6)), lon: Number(lon.toFixed(6)), locality: SECRET_LOCALITY };
  });
  return [...main, ...sensitive];
}

const raw = incidents();
const shown = (r: Row) => r.category !== SENSITIVE;

/**
 * Each raw row with what the checks below compare, found independently of the ETL: its res-9 cell by
 * latLngToCell, and its calendar month, hour and ISO weekday in the configured zone by Intl.
 */
const rows = raw.map((r) => {
  const local = new Date(r.time).toLocaleString("sv-SE", { timeZone: ZONE }); // "2019-03-05 14:07:00"
  return {
    ...r,
    cell: latLngToCell(r.lat, r.lon, 9),
    localMonth: local.slice(0, 7),
    hour: Number(local.slice(11, 13)),
    weekday: ((new Date(`${local.slice(0, 10)}T00:00:00Z`).getUTCDay() + 6) % 7) + 1,
  };
});
const hotSpotCounts = new Map<string, number>();
for (const r of rows) {
  if (!shown(r)) continue;
  for (const category of ["all", r.category]) {
    const key = `${r.localMonth} ${category} ${r.cell}`;
    hotSpotCounts.set(key, (hotSpotCounts.get(key) ?? 0) + 1);
  }
}

let dir: string;
let settings: PipelineSettings;
let out: string;
const read = async <V>(name: string): Promise<V> => JSON.parse(await readFile(join(out, name), "utf8")) as V;
/** The briefing's data for the month after the lake's, with no places data (the lake publishes at 9). */
const briefingAt9 = (): Promise<BriefingData> =>
  withConnection((connection) =>
    briefingData(connection, {
      lakeDir: settings.lakeDir,
      month: NEXT,
      timeZone: ZONE,
      k: settings.k,
      places: placeIndex([]),
      suppressionThreshold: T,
      sensitiveCategories: new Set([SENSITIVE]),
    }),
  );

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "publish-resolutions-"));
  const common = {
    lakeDir: join(dir, "lake"),
    municipalitiesGeoJson: SHARED_BOUNDARIES,
    studyMunicipalities: ["Šiaulių m. sav."],
    dashboardDir: join(dir, "dashboard"),
    suppressionThreshold: T,
    sensitiveCategories: [SENSITIVE],
    placesCsv: null,
  };
  const csv = join(dir, "incidents.csv");
  await writeFile(
    csv,
    [HEADER, ...raw.map((r, i) => `P-${i},${r.time},X,${r.category},pre_trial_investigation,${r.lat},${r.lon},Šiaulių m. sav.,${r.locality},test`)].join("\n") +
      "\n",
  );
  await ingestStage([csv], defaultSettings({ ...common, resolution: 8 }));
  settings = defaultSettings({ ...common, resolution: 9 });
  // The default inference: under the normal approximation these sparse months are left untested (x̄·W < 5), with no cells to publish.
  await analyseStage(settings);
  await emergingStage(settings, {});
  await emergingStage(settings, { category: "theft" });
  await forecastStage(settings, { month: NEXT, methods: DEFAULT_FORECAST_METHODS, selection: { areaShare: 0.1 } });
  await publishStage(settings);
  out = join(settings.dashboardDir, "src", "data");
}, 240_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("a lake ingested at 8, published at 9", () => {
  it("keeps its incidents at 8 and says 9 on the pages; every drawn hexagon is of 9", async () => {
    expect((await readManifest(settings.lakeDir, ZONE, 9)).h3_resolution).toBe(8);
    expect((await read<DashboardMeta>(DASHBOARD_DATA_FILES.meta)).resolution).toBe(9);
    const hexagons = await read<HexagonCollection>(DASHBOARD_DATA_FILES.hexagons);
    const hotspots = await read<HotspotTable>(DASHBOARD_DATA_FILES.hotspots);
    expect(hotspots.cells.length).toBeGreaterThan(10);
    expect(hexagons.features.every((f) => getResolution(f.properties.cell) === 9)).toBe(true);
    const drawn = new Set(hexagons.features.map((f) => f.properties.cell));
    expect(hotspots.cells.filter((c) => !drawn.has(c))).toEqual([]);
  });

  it("publishes each hot-spot cell's count as the raw rows' count in that res-9 cell ('all' without the sensitive category)", async () => {
    const hotspots = await read<HotspotTable>(DASHBOARD_DATA_FILES.hotspots);
    let compared = 0;
    for (const g of hotspots.groups) {
      g.cell.forEach((c, i) => {
        const count = g.count[i];
        if (count === null || count === undefined) return;
        const cell = hotspots.cells[c]!;
        const expected = hotSpotCounts.get(`${g.month} ${g.category} ${cell}`) ?? 0;
        expect({ month: g.month, category: g.category, cell, count }).toEqual({ month: g.month, category: g.category, cell, count: expected });
        compared++;
      });
    }
    expect(compared).toBeGreaterThan(20);
  });

  it("classifies the emerging patterns again from res-9 counts of the raw rows", async () => {
    const emerging = await read<EmergingData>(DASHBOARD_DATA_FILES.emerging);
    const cells = (await municipalityStudyArea(settings)).cells;
    expect(cells.every((c) => getResolution(c) === 9)).toBe(true);
    for (const category of ["all", "theft"]) {
      const run = emerging.runs.find((r) => r.category === category)!;
      expect(run.time_window).toBe(DEFAULT_EMERGING_OPTIONS.timeWindow);
      const months = monthRange(run.first_month, run.last_month);
      const index = new Map(cells.map((c, i) => [c, i]));
      const counts = new Float64Array(months.length * cells.length);
      for (const r of rows) {
        const t = months.indexOf(r.localMonth);
        const i = index.get(r.cell);
        if (t >= 0 && i !== undefined && shown(r) && (category === "all" || r.category === category)) counts[t * cells.length + i]!++;
      }
      const independent = emergingHotSpots({ cells, months, counts }, kRingWeights(cells, settings.k), {
        timeWindow: run.time_window, // emergingStage's default, as published for the page's method note
        fdr: run.fdr,
        minBin: run.min_bin as 1 | 2 | 3,
        trendAlpha: run.trend_alpha,
      });
      const published = emerging.cells.filter((c) => c.category === category);
      expect(published.length).toBeGreaterThan(0);
      for (const c of published) expect({ cell: c.cell, pattern: c.pattern }).toEqual({ cell: c.cell, pattern: independent.category[index.get(c.cell)!] });
      expect(Object.values(run.patterns).reduce((s, n) => s + n, 0) + run.withheld).toBe(cells.length);
    }
  });

  it("lists a patrol cell only where the raw rows its method rests on count 0 or at least the threshold in that res-9 cell", async () => {
    const patrol = (await read<PatrolData>(DASHBOARD_DATA_FILES.patrol)).forecast!;
    expect(patrol.cells.every((c) => getResolution(c.cell) === 9)).toBe(true);
    const ranked = await withConnection(async (c) =>
      (
        await c.runAndReadAll(`SELECT method, h3_cell FROM read_parquet($file) WHERE offence_category = 'all' ORDER BY method, rank`, {
          file: analyticsTables.file(analyticsTables.forecastsDir(settings.lakeDir), NEXT, "all"),
        })
      ).getRowObjectsJS(),
    );
    let listedSome = false;
    let withheldSome = false;
    for (const method of patrol.methods) {
      const window = supportMonths(method);
      const first = window === null ? patrol.history_from : addMonths(NEXT, -window);
      const expected = ranked
        .filter((r) => r.method === method)
        .map((r) => String(r.h3_cell))
        .filter((cell) => {
          const n = rows.filter((r) => shown(r) && r.cell === cell && r.localMonth >= first && r.localMonth <= patrol.history_to).length;
          return n === 0 || n >= T;
        });
      const listed = patrol.cells.filter((c) => c.method === method).map((c) => c.cell);
      expect({ method, listed }).toEqual({ method, listed: expected });
      expect(patrol.withheld[method]).toBe(ranked.filter((r) => r.method === method).length - expected.length);
      listedSome ||= listed.length > 0;
      withheldSome ||= expected.length < ranked.filter((r) => r.method === method).length;
    }
    expect(listedSome).toBe(true);
    expect(withheldSome).toBe(true);
  });

  it("names each drawn cell and the briefing's areas by the locality of the raw rows in that res-9 cell, without places", async () => {
    // The rule on an independent count: every raw row (the sensitive ones too; the rule leaves them out) in its res-9 cell.
    const byCell = rows.map((r) => ({ cell: r.cell, locality: r.locality, category: r.category, incidents: 1 }));
    const rules = { threshold: T, sensitive: new Set([SENSITIVE]) };
    const expected = localityNames(byCell, rules);
    const hexagons = await read<HexagonCollection>(DASHBOARD_DATA_FILES.hexagons);
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
    const names = hexagons.features.map((f) => f.properties.place_en);
    expect(names.map(baseName)).toContain("Centras");
    expect(names).toContain(null);
    expect(new Set(names.filter((n) => n !== null)).size).toBe(names.filter((n) => n !== null).length);
    // Some drawn cell's leading locality is reported by 1 … k − 1 of its incidents: the threshold, not the data, leaves it unnamed.
    const top = (cell: string) => {
      const n = new Map<string, number>();
      for (const r of rows) if (r.cell === cell && shown(r)) n.set(r.locality, (n.get(r.locality) ?? 0) + 1);
      return Math.max(0, ...n.values());
    };
    expect(hexagons.features.some((f) => f.properties.place_en === null && top(f.properties.cell) >= 1 && top(f.properties.cell) < T)).toBe(true);
    // The sensitive incidents' own locality (counted, it would share the first cluster's name) names nothing anywhere published.
    expect(rows.filter((r) => r.locality === SECRET_LOCALITY && expected.has(r.cell)).length).toBeGreaterThan(T);
    for (const file of [DASHBOARD_DATA_FILES.hexagons, "briefing.en.html", "briefing.lt.html"]) {
      expect(await readFile(join(out, file), "utf8")).not.toContain(SECRET_LOCALITY);
    }
    // The briefing's areas: the rule over each area's cells together, else the centre's coordinates;
    // areas that share a name are told apart by a compass point (distinguishNames).
    const data = await briefingAt9();
    const told = /^(.*) \((?:[NSEW]{1,2}|[ŠPRV]{1,2})(?: \d+)?\)$/u;
    for (const area of data.areas) {
      const name = localityNames(byCell, rules, (cell) => (area.cells.includes(cell) ? 0 : undefined)).get(0) ?? coordinatesText(...area.centre);
      expect({ en: told.exec(area.name.en)?.[1] ?? area.name.en, lt: told.exec(area.name.lt)?.[1] ?? area.name.lt }).toEqual({ en: name, lt: name });
      expect(area.namedByPlace).toBe(false);
    }
    expect(new Set(data.areas.map((a) => a.name.en)).size).toBe(data.areas.length);
    expect(data.areas.map((a) => a.name.en)).toContain("Centras");
    expect(await readFile(join(out, "briefing.en.html"), "utf8")).toContain("Centras");
    expect(await readFile(join(out, "briefing.lt.html"), "utf8")).toContain("Centras");
  });

  it("counts the briefing's patrol areas at 9: months, categories, times of day and weekdays of the raw rows", async () => {
    const data: BriefingData = await briefingAt9();
    expect(data.areas.length).toBeGreaterThan(0);
    expect(data.mapCells.every((c) => getResolution(c.cell) === 9)).toBe(true);
    let compared = 0;
    for (const area of data.areas) {
      const mine = rows.filter((r) => shown(r) && area.cells.includes(r.cell) && r.localMonth >= data.from && r.localMonth <= data.to);
      const released = (figure: number | null, n: number) => {
        if (figure === null) return;
        // Released counts are rounded to the briefing's base (consecutive briefings: release-rules.ts).
        expect(figure).toBe(seriesRounded(n, { threshold: data.suppressionThreshold }));
        compared++;
      };
      released(area.last12, mine.length);
      released(area.lastMonth, mine.filter((r) => r.localMonth === data.to).length);
      for (const m of area.mix) released(m.count, mine.filter((r) => r.category === m.category).length);
      TIME_BLOCKS.forEach((_, block) => released(area.timeBlocks.parts[block] ?? null, mine.filter((r) => Math.floor(r.hour / 6) === block).length));
      [1, 2, 3, 4, 5, 6, 7].forEach((day, i) => released(area.weekdays.parts[i] ?? null, mine.filter((r) => r.weekday === day).length));
    }
    expect(compared).toBeGreaterThan(10);
  });
});
