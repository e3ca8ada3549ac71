import tzLookup from "@photostructure/tz-lookup";
import { OFFENCE_CATEGORIES, type OffenceCategory } from "./incident-schema.ts";
import { toWgs84 } from "./coordinates.ts";
import { checkUtcMarker, proposeTime } from "./propose-time.ts";
import type { SniffedTable } from "./sniff-file.ts";
import type { SourceDescription } from "./source-description.ts";

/** A proposed source description, a note on each decision (the YAML's comments) and what stays open. */
export interface SourceProposal {
  description: Partial<Omit<SourceDescription, "columns">> & { columns: Partial<SourceDescription["columns"]> };
  notes: Partial<Record<string, string>>;
  undecided: string[];
}

// Column names that say what a column holds (English, Spanish, Lithuanian exports and the usual abbreviations).
// Baltic and German words too: ilguma/platuma (lt), garums/platums (lv), pikkus/laius (et), Länge/Breite (de).
const X_NAMES =
  /^(x|lon|lng|long|longitude|longitud|easting|point_x|coord_x|x_coord(inate)?|(lon|lng|long|longitude)_wgs_?84|ilguma|garums|pikkus|l(ä|ae)nge)$/i;
const Y_NAMES = /^(y|lat|latitude|latitud|northing|point_y|coord_y|y_coord(inate)?|(lat|latitude)_wgs_?84|platuma|platums|laius|breite)$/i;
const ID_NAMES = /^(id|uid|.*_id|.*_key|key|incident_no|incident_number|case_?(no|number|id)?|report_?(no|number)|no|nr|number|ivykio_nr)$/i;
// Most telling first: Toronto's LOCATION_TYPE comes before its MCI_CATEGORY and must not be taken for the offence.
const OFFENCE_NAMES = [
  /categor|crime|crm|mci/i,
  /offen[cs]e|modalidad|delito|nusikalt|straipsnis|p[aā]rk[aā]p|nozieg|kurite/i,
  /type|nature|call_?type|description/i,
];
const LOCALITY_NAMES =
  /^(neighbou?rhood|boro|borough|district|locality|barrio|comuna|location|area|ward|beat|sector|precinct|city|town|seniunija|seniūnija|vietove|vietovė)$/i;

/** Projected grids a source description can name, tried when x/y are metres. */
const PROJECTED: ReadonlyArray<SourceDescription["crs"]> = ["EPSG:3346", "EPSG:3857", "EPSG:32610", "EPSG:32634", "EPSG:32635"];
/** Eastings of the transverse Mercator grids above lie within 500 km of their false easting (500,000 m). */
const TM_EASTING_LIMIT = 1_000_000;

/**
 * Metres that only Web Mercator fits: nearly every easting (95 %) outside 0–1,000 km, which no UTM or
 * LKS94 easting reaches, so that one placeholder such as (-1, -1) in a UTM file decides nothing; and
 * not every northing inside that range, which is what a transverse Mercator file with its axes the
 * other way round looks like (LKS94 in the geodetic order writes X as the northing, about 6,200 km).
 * A city within 9° of the equator, whose Web Mercator northings are all below 1,000 km, is left
 * undecided (--crs).
 */
function webMercatorLikely(xs: readonly number[], ys: readonly number[]): boolean {
  const outside = (v: number) => v < 0 || v > TM_EASTING_LIMIT;
  return xs.length > 0 && xs.filter(outside).length >= 0.95 * xs.length && ys.some(outside);
}

// Words of offence values (and of file names) and the canonical category they usually mean; the
// first match wins, so the more specific ones (vehicle theft) come first. Anything else is "other".
const CATEGORY_WORDS: ReadonlyArray<[RegExp, OffenceCategory]> = [
  [/domestic|intrafamiliar|family violence|intimate partner|smurtas artimoje/i, "domestic_violence"],
  [/identity theft|theft of identity/i, "fraud"],
  [/sex|rape|indecent|prievart/i, "sexual_offence"],
  // Theft from a vehicle is vehicle crime here (as Vancouver's is), even when LAPD calls it burglary.
  [/from[- ](motor[- ])?vehicle|from[- ]auto/i, "vehicle_crime"],
  [/burglar|break and enter|break & enter|housebreak|įsilauž|isilauz/i, "burglary"],
  [/robbery|robo|atraco|plėšim|plesim/i, "robbery"],
  [/vehicle|motor|auto[- ]theft|car theft|transport/i, "vehicle_crime"],
  [/theft|larceny|steal|stolen|shoplift|hurto|vagyst/i, "theft"],
  // Before assault: "homicide by shooting" is a homicide.
  [/homicid|murder|manslaughter|nužud|nuzud|slepkav|tapmine/i, "homicide"],
  [/assault|battery|shoot|wound|lesiones|sužalo|suzalo/i, "assault"],
  [/drug|narcotic|cannabis|marijuana|narkot/i, "drug_possession"],
  [/public order|disorder|disturb|anti-?social|viešosios tvarkos|viesosios tvarkos/i, "public_order"],
  [/fraud|deceptive|forgery|scam|embezzl|sukčiav|sukciav/i, "fraud"],
  [/damage|vandal|arson|graffiti|mischief|turto sunaikin/i, "criminal_damage"],
];

/** The canonical category whose words a raw value contains, or null. */
export function categoryOf(value: string): OffenceCategory | null {
  return CATEGORY_WORDS.find(([re]) => re.test(value))?.[1] ?? null;
}

/**
 * Proposes a source description for a sniffed CSV: the time mapping (see proposeTime); x/y by
 * their names, their order and CRS by their value ranges (degrees: |lat| ≤ 90 decides which is
 * which; metres: one of the projected grids, which values alone cannot tell apart, so `crs` must
 * be given); bounds around the central 99 % of the points with a quarter of their extent as
 * margin; the time zone of the median point; the id, offence and locality columns by name and
 * shape; and each offence value's category by its words. `name` is the file's slug.
 */
export function proposeSource(table: SniffedTable, name: string, hints: { crs?: SourceDescription["crs"] } = {}): SourceProposal {
  const { header, rows } = table;
  const notes: SourceProposal["notes"] = {};
  const undecided = [...table.undecided];
  const column = (i: number) => rows.map((r) => (r[i] ?? "").trim());
  const words = name.replace(/-/g, " ");
  const description: SourceProposal["description"] = {
    id: name,
    title: words.charAt(0).toUpperCase() + words.slice(1),
    format: table.format,
    encoding: table.encoding,
    ...(table.format === "csv" ? { delimiter: table.delimiter } : {}),
    columns: {},
  };
  const kind =
    table.format === "csv"
      ? `CSV, ${table.encoding}, delimiter ${delimiterName(table.delimiter)}`
      : table.format === "jsonl"
        ? `JSON Lines, ${table.encoding}`
        : `GeoJSON, ${table.encoding}: each feature's properties, and its point as the coordinates`;
  notes.format = `${table.compression === "gzip" ? "gzip-compressed " : ""}${kind}; checked on ${rows.length} ${table.format === "csv" ? "rows" : "records"}${table.truncated ? " from the start of the file" : " (the whole file)"}`;

  const time = proposeTime(header, rows);
  if (time) {
    description.columns.time = time.spec;
    notes.time = time.why;
    if (time.undecided) undecided.push(time.undecided);
  } else
    undecided.push(
      `the time column: none of ${header.join(", ")} holds ISO times, days, months or a common pattern; write columns.time (see data/sources/README.md: format iso, date, month, pattern or parts)`,
    );

  // Coordinates: named columns, their decimal separator, then axis order and CRS from the ranges.
  const decimal: "." | "," = table.delimiter !== "," && header.some((_, i) => share(column(i), (v) => /^-?\d+,\d+$/.test(v)) > 0.5) ? "," : ".";
  if (decimal === ",") description.decimal = ",";
  const numbers = (i: number) =>
    column(i)
      .map((v) => Number(decimal === "," ? v.replace(",", ".") : v))
      .filter((v) => Number.isFinite(v) && v !== 0);
  const inDegrees = (i: number) => numbers(i).every((v) => Math.abs(v) <= 180);
  // Toronto writes web-mercator X/Y first and LONG_WGS84/LAT_WGS84 after them: a pair in degrees
  // is taken before the first pair by name when there is one.
  const xNamed = header.flatMap((h, i) => (X_NAMES.test(h) ? [i] : []));
  const yNamed = header.flatMap((h, i) => (Y_NAMES.test(h) ? [i] : []));
  let xi = xNamed.find(inDegrees) ?? xNamed[0] ?? -1;
  let yi = yNamed.find(inDegrees) ?? yNamed[0] ?? -1;
  if (!(inDegrees(xi) && inDegrees(yi))) [xi, yi] = [xNamed[0] ?? -1, yNamed[0] ?? -1];
  // A GeoJSON feature's point is its geometry (readRecords names its coordinates geometry.x/y).
  if (table.format === "geojson") [xi, yi] = [header.indexOf("geometry.x"), header.indexOf("geometry.y")];
  const points: Array<[number, number]> = [];
  if (xi < 0 || yi < 0) {
    undecided.push(
      `the coordinate columns: none of ${header.join(", ")} is named like longitude/x/easting and latitude/y/northing; write columns.x and columns.y`,
    );
  } else {
    const [xs, ys] = [numbers(xi), numbers(yi)];
    const degrees = xs.every((v) => Math.abs(v) <= 180) && ys.every((v) => Math.abs(v) <= 180);
    if (degrees) {
      description.crs = "EPSG:4326";
      if (ys.some((v) => Math.abs(v) > 90) && xs.every((v) => Math.abs(v) <= 90)) {
        [xi, yi] = [yi, xi];
        notes.crs = `WGS84 degrees; ${header[yi]} is named as the longitude but holds values beyond ±90°, so it is the longitude's partner: the axes are taken the other way round`;
      } else notes.crs = "WGS84 degrees (every value within ±180°)";
    } else if (hints.crs) {
      description.crs = hints.crs;
      notes.crs = `${hints.crs}, as given with --crs`;
    } else if (webMercatorLikely(xs, ys)) {
      // Negative or far eastings fit no transverse Mercator grid the reader knows: Web Mercator's x runs ±20,037 km.
      description.crs = "EPSG:3857";
      notes.crs = `EPSG:3857 Web Mercator metres: ${header[xi]} holds values outside 0–${TM_EASTING_LIMIT.toLocaleString("en")} m, which no UTM or LKS94 easting reaches; give --crs if it is another grid`;
    } else {
      undecided.push(
        `the CRS of ${header[xi]}/${header[yi]}: the values are metres, and one of ${PROJECTED.join(", ")} (LKS94, Web Mercator, UTM 10N, 34N, 35N) fits them alike; give it with --crs (e.g. --crs EPSG:32610 for UTM zone 10N) and describe again`,
      );
    }
    if (table.format !== "geojson") {
      description.columns.x = header[xi];
      description.columns.y = header[yi];
    }
    if (description.crs) {
      const crs = description.crs;
      for (const r of rows) {
        const [x, y] = [r[xi] ?? "", r[yi] ?? ""].map((v) => Number(decimal === "," ? v.replace(",", ".") : v)) as [number, number];
        if (!Number.isFinite(x) || !Number.isFinite(y) || (x === 0 && y === 0) || x === 0 || y === 0) continue;
        const [lon, lat] = toWgs84(crs, x, y);
        if (Math.abs(lat) <= 90 && Math.abs(lon) <= 180) points.push([lon, lat]);
      }
    }
  }
  // Placeholders other than (0, 0) — Boston writes (-1, -1) for an unknown place — would stretch the
  // bounds over half the globe. The bounds are drawn around the points within Tukey's far-out fences
  // (3 IQR) on both axes; points that then lie outside them are left out. Where every point still
  // lies inside (NYC's Staten Island is beyond the fences, but within the margin), nothing is left
  // out and the bounds are those of all the points, as before.
  const fenced = boundsOf(withinFences(points));
  const far = fenced ? points.filter(([lon, lat]) => !insideBox(fenced, lon, lat)) : [];
  const placed = far.length > 0 ? points.filter(([lon, lat]) => insideBox(fenced!, lon, lat)) : points;
  const box = boundsOf(placed);
  if (box) {
    const lons = placed.map((p) => p[0]).sort((a, b) => a - b);
    const lats = placed.map((p) => p[1]).sort((a, b) => a - b);
    description.bounds = box;
    notes.bounds = `the central 99 % of the sample's points (${placed.length}) with a quarter of their extent as margin: points outside are quarantined as outside_study_area${far.length > 0 ? `; ${far.length} points far from the rest (beyond 3 interquartile ranges), placeholders such as (-1, -1) or mistakes, are left out` : ""}`;
    const zones = new Map<string, number>();
    for (const p of placed.filter((_, i) => i % Math.max(1, Math.floor(placed.length / 500)) === 0))
      zones.set(tzLookup(p[1], p[0]), (zones.get(tzLookup(p[1], p[0])) ?? 0) + 1);
    const zone = tzLookup(quantile(lats, 0.5), quantile(lons, 0.5));
    if (zone.startsWith("Etc/")) {
      // The points' middle lies at sea: a wrong CRS or axis order, not a city; nothing is proposed that would place it there.
      delete description.bounds;
      undecided.push(
        `the CRS and axes of ${header[xi]}/${header[yi]}: read as ${description.crs ?? "?"}, the points' median lies at sea (time zone ${zone}); give the right one with --crs (or swap columns.x and columns.y) and describe again`,
      );
    } else {
      description.timezone = zone;
      notes.timezone = `the time zone at the median point${zones.size > 1 ? ` (the points span ${[...zones.keys()].join(", ")}: check it)` : ""}; months are cut in it`;
      // A Z on the times says UTC, or only follows the local clock: a separate hour column can tell.
      const marker = description.columns.time ? checkUtcMarker(header, rows, description.columns.time, zone) : null;
      if (marker) {
        description.columns.time = marker.spec;
        notes.time = `${notes.time}; ${marker.note}`;
      }
    }
  } else if (xi >= 0 && yi >= 0) {
    undecided.push(
      "the bounds and the time zone: no point could be placed; write bounds: [west, south, east, north] in degrees and timezone: (an IANA zone such as America/Chicago)",
    );
  }

  const used = new Set([header[xi], header[yi], ...timeColumns(description.columns.time)]);
  const candidates = header.map((h, i) => ({ h, i, values: column(i) })).filter((c) => !used.has(c.h));
  const id = candidates.find((c) => ID_NAMES.test(c.h) && share(c.values, (v) => v !== "") >= 0.99);
  if (id) {
    description.columns.id = id.h;
    const repeats = id.values.length - new Set(id.values).size;
    notes.id = `incident numbers${repeats > 0 ? `; ${repeats} rows of the sample repeat an earlier number and are quarantined as repeated_id (write repeated_ids: keep if each row is its own incident)` : ""}`;
    description.repeated_ids = "quarantine";
  } else notes.id = "no id column: ids are generated as <source>-<line>";

  const textual = candidates.filter((c) => c !== id && share(c.values, (v) => v !== "" && !/^[+-]?\d+([.,]\d+)?$/.test(v)) >= 0.5);
  // A column of one value (Seattle's crime_against_category: PROPERTY) tells no offences apart: one that does is taken first.
  const distinct = (c: (typeof textual)[number]) => new Set(c.values.filter((v) => v !== "")).size;
  const named = (many: boolean) =>
    OFFENCE_NAMES.map((re) => textual.find((c) => re.test(c.h) && distinct(c) <= 200 && (!many || distinct(c) > 1))).find((c) => c !== undefined);
  const offence = named(true) ?? named(false);
  const categories: Record<string, OffenceCategory> = {};
  const guessed: string[] = [];
  if (offence) {
    description.columns.offence = { column: offence.h };
    for (const value of [...new Set(offence.values.filter((v) => v !== ""))].sort()) {
      categories[value] = categoryOf(value) ?? "other";
      if (!categoryOf(value)) guessed.push(value);
    }
    notes.offence = `the offence column: ${Object.keys(categories).length} distinct values${table.truncated ? " in the sample (values first seen later in the file are quarantined as unmapped: add them to categories)" : ""}`;
  } else {
    const constant = words.split(" ").find((w) => categoryOf(w)) ?? words;
    description.columns.offence = { constant };
    categories[constant] = categoryOf(constant) ?? "other";
    if (!categoryOf(constant)) guessed.push(constant);
    notes.offence = `no column names the offence: every row is '${constant}', taken from the file name`;
  }
  description.categories = categories;
  notes.categories =
    guessed.length > 0
      ? `${guessed.join(", ")}: no canonical category matched, mapped to other — change it to one of ${OFFENCE_CATEGORIES.join(", ")} where one fits`
      : "each value's canonical category by its words: check them";

  // Socrata's "Location" holds the point as text, "(41.88, -87.80)": an incident's coordinates are no
  // locality (they would be shown and grouped as one name per incident).
  const pointText = (v: string) => /-?\d+\.\d+\s*[, ]\s*-?\d+\.\d+/.test(v);
  const locality = textual.find((c) => c !== offence && LOCALITY_NAMES.test(c.h) && share(c.values, pointText) < 0.5);
  if (locality) {
    description.columns.locality = { column: locality.h };
    notes.locality = "the locality column (shown with the incidents; not used for the study area)";
  }
  return { description, notes, undecided };
}

function timeColumns(time: SourceDescription["columns"]["time"] | undefined): string[] {
  if (!time) return [];
  return time.format === "parts" ? [time.year, time.month, time.day, time.hour, time.minute].filter((c): c is string => c !== undefined) : [time.column];
}

const share = (values: readonly string[], test: (v: string) => boolean) => (values.length === 0 ? 0 : values.filter(test).length / values.length);
const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
/** The central 99 % of the points with a quarter of their extent as margin, rounded outwards to 0.01°. */
function boundsOf(points: ReadonlyArray<[number, number]>): [number, number, number, number] | undefined {
  if (points.length === 0) return undefined;
  const lons = points.map((p) => p[0]).sort((a, b) => a - b);
  const lats = points.map((p) => p[1]).sort((a, b) => a - b);
  const [w, e, s, n] = [quantile(lons, 0.005), quantile(lons, 0.995), quantile(lats, 0.005), quantile(lats, 0.995)];
  const [mx, my] = [Math.max(0.02, (e - w) / 4), Math.max(0.02, (n - s) / 4)];
  return [round2(w - mx, -1), round2(s - my, -1), round2(e + mx, 1), round2(n + my, 1)];
}

const insideBox = ([w, s, e, n]: readonly number[], lon: number, lat: number) => lon >= w! && lon <= e! && lat >= s! && lat <= n!;

/** The points within Tukey's far-out fences (quartiles ∓ 3 IQR) on both axes. */
function withinFences(points: ReadonlyArray<[number, number]>): Array<[number, number]> {
  if (points.length < 4) return [...points];
  const fence = (values: number[]) => {
    const sorted = values.sort((a, b) => a - b);
    const [q1, q3] = [quantile(sorted, 0.25), quantile(sorted, 0.75)];
    return [q1 - 3 * (q3 - q1), q3 + 3 * (q3 - q1)] as const;
  };
  const [lonLo, lonHi] = fence(points.map((p) => p[0]));
  const [latLo, latHi] = fence(points.map((p) => p[1]));
  return points.filter(([lon, lat]) => lon >= lonLo && lon <= lonHi && lat >= latLo && lat <= latHi);
}

/** Rounded outwards to 0.01° so the bounds only grow. */
const round2 = (v: number, direction: 1 | -1) => (direction > 0 ? Math.ceil(v * 100) : Math.floor(v * 100)) / 100;

/** How the docs name a delimiter (a tab is invisible in a message). */
export function delimiterName(d: string): string {
  return d === "\t" ? "tab" : JSON.stringify(d);
}
