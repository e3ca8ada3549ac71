import { createWriteStream, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { once } from "node:events";
import { loadStudyArea } from "../../data/generator/boundaries.ts";
import { OFFENCE_CODES } from "../../data/generator/offence-codes.ts";
import { CITY, DISTRICT } from "../../data/generator/places.ts";
import { parseMunicipalities } from "../../etl/geo/municipalities.ts";
import { MunicipalityIndex, municipalityRings } from "../../etl/geo/municipality-index.ts";
import { INCIDENT_COLUMNS } from "../../etl/ingest/incident-schema.ts";
import { CATEGORIES, clusterWeights, makeClusters } from "./clusters.ts";
import { createRandom, cumulativeOf, drawIndex } from "./random.ts";
import { checkAgainstIntl, vilniusIso, vilniusMonthStart } from "./vilnius-time.ts";

/**
 * What to generate: `incidents` rows over months `fromMonth` … `fromMonth + months − 1` of a timeline
 * of `timelineMonths` months starting at `firstMonth`. The clusters depend only on the seed and the
 * timeline, so a later month generated alone (the incremental benchmark) continues the same history.
 */
export interface SyntheticSpec {
  seed: string;
  firstMonth: string;
  timelineMonths: number;
  fromMonth: number;
  months: number;
  incidents: number;
  idPrefix: string;
}

/**
 * Version of what the generator writes for a given spec: cached files (bench/data.ts) of another
 * version are written again. 2: every point labelled by the municipality polygon it lies in.
 */
export const GENERATOR_VERSION = 2;

/** Shares of rows written wrong on purpose, so the benchmark also exercises the quarantine. */
export const FLAWS = { missingCoordinates: 0.0003, impossibleDate: 0.0002, exactDuplicate: 0.0002, repeatedId: 0.0001 } as const;
const BACKGROUND_SHARE = 0.12;
const MINUTE = 60_000;

/**
 * Writes the synthetic incidents as CSV in the canonical layout (data/sources/siauliai-demo.yaml):
 * clustered around real and random hot spots of Šiauliai city and district, seasonal, with growing,
 * shrinking and new hot spots, eleven categories, rows in time order, ids numbered in that order, and
 * a small share of flawed rows (see FLAWS). Deterministic: the same spec gives the same bytes.
 *
 * Every point lies in the city or the district polygon and names the one it lies in, tested by the
 * product's own municipality index (etl/geo), so that the ingest's municipality check quarantines
 * only the deliberate flaws: a point falling outside both (a cluster's spread crossing the district's
 * edge, or a background point in the box's corners) is drawn again.
 */
export async function writeSyntheticCsv(spec: SyntheticSpec, file: string, geoJsonPath: string): Promise<{ rows: number; bytes: number }> {
  const random = createRandom(`${spec.seed}/${spec.firstMonth}/${spec.timelineMonths}`);
  const area = loadStudyArea(geoJsonPath);
  const clusters = makeClusters(random, area, spec.timelineMonths);
  // Background points: anywhere in the two municipalities (drawn in their joint extent, kept inside).
  const [city, district] = [area.extent(CITY), area.extent(DISTRICT)];
  const box = {
    south: Math.min(city.south, district.south),
    north: Math.max(city.north, district.north),
    west: Math.min(city.west, district.west),
    east: Math.max(city.east, district.east),
  };
  const label = municipalityLabeller(geoJsonPath);
  const rowRandom = createRandom(`${spec.seed}/rows/${spec.fromMonth}/${spec.months}/${spec.incidents}`);
  const perMonth = monthlyTotals(spec);
  await mkdir(dirname(file), { recursive: true });
  const out = createWriteStream(file);
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, "drain");
  };
  await write(`${INCIDENT_COLUMNS.join(",")}\n`);
  let sequence = 0;
  let previous = { id: "", line: "" };
  for (let m = 0; m < spec.months; m++) {
    const t = spec.fromMonth + m;
    const [year, month] = calendarOf(spec.firstMonth, t);
    const start = vilniusMonthStart(year, month);
    const minutes = (vilniusMonthStart(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1) - start) / MINUTE;
    const n = perMonth[m]!;
    const times = new Float64Array(n);
    for (let i = 0; i < n; i++) times[i] = start + rowRandom.integer(minutes) * MINUTE;
    times.sort();
    checkAgainstIntl(times[0]!);
    const weights = clusterWeights(clusters, t, month);
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      const background = rowRandom.uniform() < BACKGROUND_SHARE;
      const c = clusters[drawIndex(rowRandom, weights)]!;
      const category = CATEGORIES[background ? drawIndex(rowRandom, BACKGROUND_CATEGORIES) : drawIndex(rowRandom, c.categories)]!;
      let lat = 0;
      let lon = 0;
      let place: { municipality: string; locality: string } | undefined;
      for (let tries = 0; place === undefined; tries++) {
        if (tries === MAX_TRIES) throw new Error(`no point of cluster at ${c.lat}, ${c.lon} fell inside ${CITY} or ${DISTRICT} in ${MAX_TRIES} draws`);
        if (background) {
          lat = box.south + rowRandom.uniform() * (box.north - box.south);
          lon = box.west + rowRandom.uniform() * (box.east - box.west);
        } else {
          lat = c.lat + (rowRandom.normal() * c.spreadMetres) / 111_320;
          lon = c.lon + (rowRandom.normal() * c.spreadMetres) / (111_320 * Math.cos((c.lat * Math.PI) / 180));
        }
        // The text written (6 decimals) is what the ingest tests, so the rounded point is labelled.
        lat = Number(lat.toFixed(6));
        lon = Number(lon.toFixed(6));
        place = label(lat, lon, background ? undefined : c);
      }
      const codes = OFFENCE_CODES[category];
      const code = codes[drawIndex(rowRandom, CODE_CUMULATIVE.get(category)!)]!;
      if (i % 10_000 === 0) checkAgainstIntl(times[i]!);
      let when = vilniusIso(times[i]!);
      let where = `${lat.toFixed(6)},${lon.toFixed(6)}`;
      const flaw = rowRandom.uniform();
      if (flaw < FLAWS.missingCoordinates) where = ",";
      else if (flaw < FLAWS.missingCoordinates + FLAWS.impossibleDate) when = `${year}-02-30T12:00:00+02:00`;
      let id = `${spec.idPrefix}-${String(++sequence).padStart(9, "0")}`;
      const duplicate = flaw >= 1 - FLAWS.exactDuplicate && previous.line !== "";
      if (flaw >= 1 - FLAWS.exactDuplicate - FLAWS.repeatedId && !duplicate && previous.id !== "") id = previous.id;
      const line = duplicate
        ? previous.line
        : `${id},${when},${code.code},${category},${code.caseType},${where},${place.municipality},${place.locality},synthetic-bench\n`;
      lines.push(line);
      previous = { id, line };
    }
    await write(lines.join(""));
  }
  out.end();
  await once(out, "finish");
  return { rows: spec.incidents, bytes };
}

const CITY_PLACE = { municipality: CITY, locality: "Šiauliai" };
const DISTRICT_PLACE = { municipality: DISTRICT, locality: "Šiaulių rajonas" };
/** Draws of one point before giving up (a cluster centre lies inside its polygon, so a few suffice). */
const MAX_TRIES = 1_000;

/**
 * The municipality and locality a point is written with: the polygon it lies in (city or district,
 * by the product's municipality index), with the cluster's own locality when the cluster is in that
 * municipality, else the municipality's; undefined when the point lies in neither.
 */
function municipalityLabeller(geoJsonPath: string) {
  const index = new MunicipalityIndex(municipalityRings(parseMunicipalities(readFileSync(geoJsonPath, "utf8"), geoJsonPath), basename(geoJsonPath)));
  for (const name of [CITY, DISTRICT]) if (!index.has(name)) throw new Error(`${geoJsonPath}: no municipality named "${name}"`);
  return (lat: number, lon: number, cluster?: { municipality: string; locality: string }) => {
    const home = index.contains(CITY, lon, lat) ? CITY_PLACE : index.contains(DISTRICT, lon, lat) ? DISTRICT_PLACE : undefined;
    return home && cluster?.municipality === home.municipality ? cluster : home;
  };
}
const BACKGROUND_CATEGORIES = cumulativeOf(CATEGORIES.map(() => 1));
const CODE_CUMULATIVE = new Map(CATEGORIES.map((c) => [c, cumulativeOf(OFFENCE_CODES[c].map((code) => code.share))]));

/** Rows per generated month: a seasonal curve (summer peak) and a gentle rise, summing exactly to `incidents`. */
function monthlyTotals(spec: SyntheticSpec): number[] {
  const weights = Array.from({ length: spec.months }, (_, m) => {
    const t = spec.fromMonth + m;
    const month = calendarOf(spec.firstMonth, t)[1];
    return (1 + 0.15 * Math.cos((2 * Math.PI * (month - 7)) / 12)) * 1.02 ** (t / 12);
  });
  const total = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (w / total) * spec.incidents);
  const counts = exact.map(Math.floor);
  const order = exact.map((v, i) => [v - Math.floor(v), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let r = spec.incidents - counts.reduce((s, v) => s + v, 0), k = 0; r > 0; r--, k++) counts[order[k]![1]]!++;
  return counts;
}

/** [year, month 1–12] of month index t after `first` ("YYYY-MM"). */
export function calendarOf(first: string, t: number): [number, number] {
  const [y, m] = first.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) + t;
  return [Math.floor(index / 12), (index % 12) + 1];
}
