import tzLookup from "@photostructure/tz-lookup";
import { EXCLUDE, EXCLUDED_OFFENCE, OFFENCE_CATEGORIES, type CategoryTarget } from "./incident-schema.ts";
import { isIdName, isLocalityName, isMunicipalityName, isXName, isYName, OFFENCE_NAME_WORDS } from "./column-names.ts";
import { rangeProblem, toWgs84 } from "./coordinates.ts";
import { areaOfUse, COMMON_CRS, countryZones, crsName, isNationalGrid, isSupportedCrs, namesNorthingFirst, shortName, withinAreaOfUse } from "./crs.ts";
import { medianPoint, nearMedian, quantile, RegionExtent, wgs84Point, type Point } from "./point-extent.ts";
import { kmBetween } from "./region.ts";
import { categoryOf, readLabel } from "./offence-words.ts";
import { isSpreadsheetDay, SPREADSHEET_DAY_ADVICE } from "./parse-time.ts";
import { POINT_FORMAT_EXAMPLES, pointFormatOf, pointTexts, type PointFormat } from "./point-text.ts";
import { checkUtcMarker, proposeTime } from "./propose-time.ts";
import type { SniffedTable } from "./sniff-file.ts";
import type { SourceDescription } from "./source-description.ts";

/** A proposed source description, a note on each decision (the YAML's comments) and what stays open. */
export interface SourceProposal {
  description: Partial<Omit<SourceDescription, "columns">> & { columns: Partial<SourceDescription["columns"]> };
  notes: Partial<Record<string, string>>;
  undecided: string[];
  /** The sample's median point, around which the bounds were drawn (points farther than REGION_KM left out). */
  centre?: Point;
}

/** The projected grids describe tries on metres by itself: the common ones (crs.ts) but degrees. */
const PROJECTED: ReadonlyArray<SourceDescription["crs"]> = COMMON_CRS.filter((crs) => crs !== "EPSG:4326");
/** Eastings of the transverse Mercator grids above lie within 500 km of their false easting (500,000 m). */
const TM_EASTING_LIMIT = 1_000_000;

/**
 * Metres that only Web Mercator fits: nearly every easting (95 %) negative, which no grid writes (their
 * false eastings keep them positive), so that one placeholder such as (-1, -1) in a UTM file decides
 * nothing; and not every northing inside 0–1,000 km, which is what a transverse Mercator file with its
 * axes the other way round looks like (LKS94 in the geodetic order writes X as the northing, about
 * 6,200 km). Eastings beyond 1,000 km east of Greenwich were taken too, but a grid the reader does not
 * know writes them as well — a US State Plane in feet (Dallas's 2,490,000 / 6,970,000 read as Web
 * Mercator lie in Poland) — so they are left undecided (--crs). So is a city within 9° of the equator,
 * whose Web Mercator northings are all below 1,000 km.
 */
function webMercatorLikely(xs: readonly number[], ys: readonly number[]): boolean {
  const outside = (v: number) => v < 0 || v > TM_EASTING_LIMIT;
  return xs.length > 0 && xs.filter((v) => v < 0).length >= 0.95 * xs.length && ys.some(outside);
}

/**
 * Proposes a source description for a sniffed CSV: the time mapping (see proposeTime); x/y by
 * their names (column-names.ts), their order and CRS by their value ranges (degrees: |lat| ≤ 90
 * decides which is which; metres: one of the projected grids, which values alone cannot tell apart,
 * so `crs` must be given, and is taken only where it puts the points within its area of use); bounds
 * around the points within REGION_KM of their median with a quarter of their extent as margin; the
 * time zone of the median point; the id, offence, municipality and locality columns by name and shape; and each
 * offence value's category by its words. `name` is the file's slug.
 */
export function proposeSource(table: SniffedTable, name: string, hints: { crs?: SourceDescription["crs"]; sheet?: string } = {}): SourceProposal {
  // A point column adds its x and y texts as two columns at the end (below): the coordinates are then decided as for two.
  let { header, rows } = table;
  const notes: SourceProposal["notes"] = {};
  const undecided = [...table.undecided];
  const column = (i: number) => rows.map((r) => (r[i] ?? "").trim());
  const words = name.replace(/-/g, " ");
  const description: SourceProposal["description"] = {
    id: name,
    title: words.charAt(0).toUpperCase() + words.slice(1),
    format: table.format,
    // A workbook's text is Unicode whatever its language: no encoding to write.
    ...(table.format === "xlsx" ? {} : { encoding: table.encoding }),
    ...(table.format === "csv" ? { delimiter: table.delimiter } : {}),
    // The sheet asked for by name; the first sheet is read without one.
    ...(table.format === "xlsx" && hints.sheet !== undefined ? { sheet: hints.sheet } : {}),
    columns: {},
  };
  const others = (table.sheets ?? []).filter((s) => s !== table.sheet);
  const kind =
    table.format === "csv"
      ? `CSV, ${table.encoding}, delimiter ${delimiterName(table.delimiter)}`
      : table.format === "xlsx"
        ? `Excel workbook, sheet '${table.sheet ?? ""}'${others.length > 0 ? ` (${hints.sheet === undefined ? "the first; " : ""}its other sheets: ${others.map((s) => `'${s}'`).join(", ")}: give --sheet NAME for another)` : ""}; date cells read as local clock times`
        : table.format === "jsonl"
          ? `JSON Lines, ${table.encoding}`
          : `GeoJSON, ${table.encoding}: each feature's properties, and its point as the coordinates`;
  notes.format = `${table.compression === "gzip" ? "gzip-compressed " : ""}${kind}; checked on ${rows.length} ${table.format === "csv" || table.format === "xlsx" ? "rows" : "records"}${table.truncated ? " from the start of the file" : " (the whole file)"}`;

  const time = proposeTime(header, rows);
  if (time) {
    description.columns.time = time.spec;
    notes.time = time.why;
    if (time.undecided) undecided.push(time.undecided);
  } else {
    // Most likely a date column the spreadsheet it was exported from did not format as a date (named
    // as a date: ids and case numbers have five digits too).
    const filled = (i: number) => column(i).filter((v) => v !== "");
    const serials = header.filter(
      (name, i) => /date|time|fecha|datum|data|laik/i.test(name) && filled(i).length > 0 && share(filled(i), isSpreadsheetDay) >= 0.98,
    );
    const serialNote =
      serials.length === 0
        ? ""
        : `; ${serials.join(", ")} ${serials.length === 1 ? "holds" : "hold"} spreadsheet day numbers such as ${filled(header.indexOf(serials[0]!))[0]} (${SPREADSHEET_DAY_ADVICE}`;
    undecided.push(
      `the time column: none of ${header.join(", ")} holds ISO times, days, months or a common pattern${serialNote}; write columns.time (see data/sources/README.md: format iso, date, month, pattern or parts)`,
    );
  }

  // Coordinates: named columns, their decimal separator, then axis order and CRS from the ranges.
  // Decimal commas are text cells in a workbook (its numbers are numbers), whatever the delimiter.
  // A point column's decimal commas are found with its format (below).
  let decimal: "." | "," =
    (table.delimiter !== "," || table.format === "xlsx") && header.some((_, i) => share(column(i), (v) => /^-?\d+,\d+$/.test(v)) > 0.5) ? "," : ".";
  const numbers = (i: number) =>
    column(i)
      .map((v) => Number(decimal === "," ? v.replace(",", ".") : v))
      .filter((v) => Number.isFinite(v) && v !== 0);
  const inDegrees = (i: number) => numbers(i).every((v) => Math.abs(v) <= 180);
  // Toronto writes web-mercator X/Y first and LONG_WGS84/LAT_WGS84 after them: a pair in degrees
  // is taken before the first pair by name when there is one.
  const xNamed = header.flatMap((h, i) => (isXName(h) ? [i] : []));
  const yNamed = header.flatMap((h, i) => (isYName(h) ? [i] : []));
  let xi = xNamed.find(inDegrees) ?? xNamed[0] ?? -1;
  let yi = yNamed.find(inDegrees) ?? yNamed[0] ?? -1;
  if (!(inDegrees(xi) && inDegrees(yi))) [xi, yi] = [xNamed[0] ?? -1, yNamed[0] ?? -1];
  // A GeoJSON feature's point is its geometry (readRecords names its coordinates geometry.x/y).
  if (table.format === "geojson") [xi, yi] = [header.indexOf("geometry.x"), header.indexOf("geometry.y")];
  // No pair of columns named as coordinates: one column may hold the point as text (Socrata's
  // Location "(41.87, -87.62)", a WKT "POINT (x y)"). Its x and y texts are read as two columns would be.
  let point: { column: string; format: PointFormat } | undefined;
  // Where a projected grid is given rather than guessed: --crs, or the points' own SRID.
  let crsFrom: { crs: SourceDescription["crs"]; given: string; says: string } | undefined = hints.crs
    ? { crs: hints.crs, given: "as given with --crs", says: "as --crs says" }
    : undefined;
  if ((xi < 0 || yi < 0) && table.format !== "geojson") {
    const found = header.map((h, i) => ({ column: h, read: pointFormatOf(column(i)) })).find((c) => c.read !== undefined);
    if (found) {
      point = { column: found.column, format: found.read!.format };
      if (found.read!.decimal === ",") decimal = ",";
      const at = header.indexOf(point.column);
      const srids = new Map<number, number>();
      const split = rows.map((r) => {
        const texts = pointTexts(r[at] ?? "", point!.format, decimal);
        if (texts.kind === "xy" && texts.srid) srids.set(texts.srid, (srids.get(texts.srid) ?? 0) + 1);
        return texts.kind === "xy" ? [texts.x, texts.y] : ["", ""];
      });
      // EWKT names its CRS: an SRID the reader knows on 90 % of the points is taken as --crs would be
      // (--crs itself comes first); the ingest quarantines the points of any other SRID, naming it.
      const [top, count] = [...srids].sort((a, b) => b[1] - a[1])[0] ?? [0, 0];
      const srid = `EPSG:${top}`;
      if (!hints.crs && count >= 0.9 * [...srids.values()].reduce((a, b) => a + b, 0) && count > 0 && isSupportedCrs(srid))
        crsFrom = { crs: srid, given: "as the points' SRID says", says: "as the points' SRID says" };
      [header, rows] = [[...header, `${point.column} (x)`, `${point.column} (y)`], rows.map((r, k) => [...r, ...split[k]!])];
      [xi, yi] = [header.length - 2, header.length - 1];
    }
  }
  if (decimal === ",") description.decimal = ",";
  const points: Point[] = [];
  if (xi < 0 || yi < 0) {
    undecided.push(
      `the coordinate columns: none of ${header.join(", ")} is named like longitude/x/easting and latitude/y/northing; if two of them are the coordinates, write columns.x and columns.y (and crs, bounds, timezone); if the file has none (addresses only), geocode the addresses to longitude/latitude columns first: the ingest places each incident by its point`,
    );
  } else {
    const [xs, ys] = [numbers(xi), numbers(yi)];
    const degrees = xs.every((v) => Math.abs(v) <= 180) && ys.every((v) => Math.abs(v) <= 180);
    const ranged = rows.find((r) => rangeProblem(r[xi] ?? "", r[yi] ?? ""));
    if (ranged && share(column(xi), (v) => rangeProblem(v, v) !== null) >= 0.5) {
      undecided.push(
        `the coordinates ${header[xi]}/${header[yi]}: ${rangeProblem(ranged[xi] ?? "", ranged[yi] ?? "")}; every such row would be quarantined as invalid_coordinates`,
      );
    } else if (xs.length === 0 || ys.length === 0) {
      undecided.push(
        `the coordinates ${header[xi]}/${header[yi]}: they hold no numbers in the rows read (${[header[xi], header[yi]].map((h, j) => `${h} '${rows.map((r) => r[j === 0 ? xi : yi] ?? "").find((v) => v.trim() !== "") ?? ""}'`).join(", ")}); write the columns that hold the longitude/easting and latitude/northing as columns.x and columns.y`,
      );
    } else if (degrees) {
      description.crs = "EPSG:4326";
      if (ys.some((v) => Math.abs(v) > 90) && xs.every((v) => Math.abs(v) <= 90)) {
        [xi, yi] = [yi, xi];
        notes.crs = `WGS84 degrees; ${header[yi]} is named as the longitude but holds values beyond ±90°, so it is the longitude's partner: the axes are taken the other way round`;
      } else notes.crs = "WGS84 degrees (every value within ±180°)";
    } else {
      // Metres: a grid reads any of them somewhere on Earth; only a reading on land within the grid's
      // area of use is one (British National Grid read as LKS94 or UTM 35N lands in DR Congo).
      // Web Mercator reads nearly any metres somewhere: it is a candidate only for values no other grid writes.
      const readings = projectedReadings(rows, xi, yi, decimal, crsFrom?.crs).map((r) =>
        r.crs === "EPSG:3857" && !webMercatorLikely(xs, ys) && crsFrom?.crs !== "EPSG:3857" ? { ...r, fits: false } : r,
      );
      // A grid that names its northing X (LKS-92, PUWG 1992, Gauss-Krüger) is read either way round.
      const fitting = readings.filter((r) => r.fits && (!r.swapped || namesNorthingFirst(r.crs)));
      const places = samePlaces(fitting);
      const given = fitting.find((r) => r.crs === crsFrom?.crs) ?? readings.find((r) => r.crs === crsFrom?.crs && !r.swapped);
      const northingX = (r: ProjectedReading) => {
        if (!r.swapped) return "";
        [xi, yi] = [yi, xi];
        return `; ${header[yi]} holds the northing and ${header[xi]} the easting, in the grid's own axis order (x is the easting here)`;
      };
      if (crsFrom && given?.fits) {
        description.crs = crsFrom.crs;
        notes.crs = `${crsFrom.crs}, ${crsFrom.given}: the points lie around ${given.where}, within ${areaOfUse(crsFrom.crs)}${northingX(given)}`;
      } else if (crsFrom) {
        undecided.push(
          `the CRS of ${header[xi]}/${header[yi]}: read as ${crsName(crsFrom.crs)}, ${crsFrom.says}, the points lie around ${given?.where ?? "nowhere on Earth"}, outside ${areaOfUse(crsFrom.crs)}, where that grid is used; ${metresAdvice(readings, header[xi]!, header[yi]!)}`,
        );
      } else if (places.length === 1 || samePlaces(fitting.filter((r) => isNationalGrid(r.crs))).length === 1) {
        // One place (TM35FIN and UTM 35N write the same numbers), or one country's grid beside banded or
        // worldwide ones that put the points elsewhere: the country's is proposed, the others named.
        const same = places.find((g) => g.some((r) => isNationalGrid(r.crs))) ?? places[0]!;
        const chosen = same.find((r) => isNationalGrid(r.crs)) ?? same[0]!;
        description.crs = chosen.crs;
        const alike = same.filter((r) => r !== chosen).map((r) => r.crs);
        const elsewhere = places.filter((g) => g !== same).map((g) => `${g.map((r) => r.crs).join(" or ")} around ${g[0]!.where}`);
        notes.crs = `${crsName(chosen.crs)}, ${elsewhere.length > 0 ? "a guess " : ""}from the value ranges: the only ${elsewhere.length > 0 ? "national grid" : "grid"} tried that puts ${header[xi]}/${header[yi]} on land within its area of use (around ${chosen.where})${alike.length > 0 ? `, as do ${alike.join(", ")}, which write the same numbers` : ""}${elsewhere.length > 0 ? `; read as ${elsewhere.join("; as ")} they would lie elsewhere` : ""}; give --crs if the file is in another grid${northingX(chosen)}`;
      } else {
        undecided.push(
          `the CRS of ${header[xi]}/${header[yi]}: the values are metres, ${places.length > 1 ? "which several grids the reader knows read on land within their area of use, in different places — values alone cannot tell which" : "which no grid the reader tries by itself reads on land within its area of use"}; ${metresAdvice(readings, header[xi]!, header[yi]!)}`,
        );
      }
    }
    if (point) {
      // Read the other way round, a pair is written the other way round; WKT and GeoJSON have one order.
      const turned = xi > yi;
      if (turned && point.format !== "wkt" && point.format !== "geojson") point.format = point.format === "lat_lon" ? "lon_lat" : "lat_lon";
      if (turned && (point.format === "wkt" || point.format === "geojson"))
        undecided.push(
          `the point column ${point.column}: its ${point.format === "wkt" ? "WKT" : "GeoJSON"} points are written with the latitude (northing) first, which the format does not allow; write the points with the longitude (easting) first, or split them into two columns`,
        );
      description.columns.point = point;
      notes.point = `the point as text in one column, written as ${POINT_FORMAT_EXAMPLES[point.format]}: no pair of longitude/latitude or x/y columns is named in the file; its x and y are read as two columns would be`;
    } else if (table.format !== "geojson") {
      description.columns.x = header[xi];
      description.columns.y = header[yi];
    }
    if (description.crs) {
      for (const r of rows) {
        const point = wgs84Point(description.crs, decimal, r[xi] ?? "", r[yi] ?? "");
        if (point) points.push(point);
      }
    }
  }
  // Placeholders other than (0, 0) — Boston writes (-1, -1) for an unknown place, a row may have its
  // x and y swapped — would stretch the bounds over half the globe; see nearMedian.
  const placed = nearMedian(points);
  const extent = points.length > 0 ? new RegionExtent(medianPoint(points)) : undefined;
  for (const p of points) extent?.add(p);
  const box = extent?.bounds();
  if (extent && box) {
    const lons = placed.map((p) => p[0]).sort((a, b) => a - b);
    const lats = placed.map((p) => p[1]).sort((a, b) => a - b);
    description.bounds = box;
    notes.bounds = extent.note("the sample");
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
  } else if (xi >= 0 && yi >= 0 && description.crs) {
    undecided.push(
      "the bounds and the time zone: no point could be placed; write bounds: [west, south, east, north] in degrees and timezone: (an IANA zone such as America/Chicago)",
    );
  }

  const used = new Set([header[xi], header[yi], point?.column, ...timeColumns(description.columns.time)]);
  const candidates = header.map((h, i) => ({ h, i, values: column(i) })).filter((c) => !used.has(c.h));
  // A column named as the id is taken while most rows have one: police.uk leaves its anti-social behaviour rows without a Crime ID.
  const id = candidates.find((c) => isIdName(c.h) && share(c.values, (v) => v !== "") >= 0.5);
  if (id) {
    description.columns.id = id.h;
    const filled = id.values.filter((v) => v !== "");
    const empty = id.values.length - filled.length;
    const repeats = filled.length - new Set(filled).size;
    notes.id = `incident numbers${empty > 0 ? `; ${empty} of ${id.values.length} rows of the sample (${percent(empty, id.values.length)}) have none and are quarantined as missing_value (leave columns.id out to keep them: ids are then <source>-<line>, and repeats are not checked)` : ""}${repeats > 0 ? `; ${repeats} rows of the sample repeat an earlier number and are quarantined as repeated_id (write repeated_ids: keep if each row is its own incident)` : ""}`;
    description.repeated_ids = "quarantine";
    // Valid incidents set aside by default (police.uk's anti-social behaviour rows) are the user's call.
    if (empty >= 0.01 * id.values.length)
      undecided.push(
        `the id column ${id.h}: ${empty} of ${id.values.length} rows of the sample (${percent(empty, id.values.length)}) have none and would be quarantined as missing_value; ` +
          "keep columns.id if those rows are not incidents to analyse (repeats of a number are then checked), or delete that line to keep every row (ids are then <source>-<line>, and repeats are not checked)",
      );
    // A spreadsheet writes long numbers as 2,02E+11: the incident numbers are rounded and then repeat.
    const scientific = filled.filter((v) => /^[+-]?\d+([.,]\d+)?E[+-]?\d+$/i.test(v));
    if (scientific.length >= 0.1 * filled.length && scientific.length > 0)
      undecided.push(
        `the id column ${id.h}: ${scientific.length} of ${filled.length} values are numbers in scientific notation (${scientific[0]}), as a spreadsheet writes long numbers — rounded, so different incidents share one and are quarantined as repeated_id; save the column as text in the spreadsheet and export again, or delete the columns.id line (ids are then <source>-<line>, and repeats are not checked)`,
      );
  } else notes.id = "no id column: ids are generated as <source>-<line>";

  const textual = candidates.filter((c) => c !== id && share(c.values, (v) => v !== "" && !/^[+-]?\d+([.,]\d+)?$/.test(v)) >= 0.5);
  // A column of one value (Seattle's crime_against_category: PROPERTY) tells no offences apart: one that does is taken first.
  const distinct = (c: (typeof textual)[number]) => new Set(c.values.filter((v) => v !== "")).size;
  const named = (many: boolean) =>
    OFFENCE_NAME_WORDS.map((isNamed) => textual.find((c) => isNamed(c.h) && distinct(c) <= 200 && (!many || distinct(c) > 1))).find((c) => c !== undefined);
  const offence = offenceByValues(textual) ?? named(true) ?? named(false);
  const categories: Record<string, CategoryTarget> = {};
  const guessed: string[] = [];
  const mixed: string[] = [];
  const excluded: string[] = [];
  if (offence) {
    description.columns.offence = { column: offence.h };
    for (const value of [...new Set(offence.values.filter((v) => v !== ""))].sort()) {
      const reading = readLabel(value);
      categories[value] = reading.notOffence ? EXCLUDE : (reading.category ?? "other");
      if (reading.notOffence) excluded.push(value);
      else if (!reading.category) guessed.push(value);
      if (reading.mixed) mixed.push(`${value} (names ${reading.mixed.join(" and ")}; mapped to ${reading.category})`);
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
  // Filed as sensitive (fail closed), and asked: hiding a mostly non-sensitive class is the user's call.
  if (mixed.length > 0)
    undecided.push(
      `the offence categories of ${mixed.join(", ")}: each names a sensitive category beside another, so it was filed under the sensitive one, which is never shown per area (maps, patrol lists, briefing); ` +
        "keep that, or map it to the other category if the export has no better split — its per-area figures would then include the sensitive incidents",
    );
  const checks = [
    ...(guessed.length > 0
      ? [`${guessed.join(", ")}: no canonical category matched, mapped to other — change it to one of ${OFFENCE_CATEGORIES.join(", ")} where one fits`]
      : []),
    ...(excluded.length > 0
      ? [
          `excluded: ${excluded.join(", ")} — their words say they are no offences, so their rows are quarantined as ${EXCLUDED_OFFENCE}, not counted; change to a category if they are offences`,
        ]
      : []),
  ];
  notes.categories = checks.length > 0 ? `check these: ${checks.join("; ")}` : "each value's canonical category by its words: check them";

  // Socrata's "Location" holds the point as text, "(41.88, -87.80)": an incident's coordinates are no
  // locality (they would be shown and grouped as one name per incident).
  const pointText = (v: string) => /-?\d+\.\d+\s*[, ]\s*-?\d+\.\d+/.test(v);
  const municipality = textual.find((c) => c !== offence && isMunicipalityName(c.h));
  if (municipality) {
    description.columns.municipality = { column: municipality.h };
    notes.municipality =
      "the municipality column: each row's point is checked against the polygon of the municipality it names (the project's boundaries; a name they do not have is not checked), and the overview counts by it";
  }
  const locality = textual.find((c) => c !== offence && c !== municipality && isLocalityName(c.h) && share(c.values, pointText) < 0.5);
  if (locality) {
    description.columns.locality = { column: locality.h };
    notes.locality = "the locality column (shown with the incidents; not used for the study area)";
  }
  // describeFile draws the bounds again around the whole file's points when the sample is its start only.
  return { description, notes, undecided, ...(description.bounds && extent ? { centre: extent.centre } : {}) };
}

/** A column whose values name offences (by offence-words.ts) on at least this share of its rows is the offence column even when its name says nothing (Philadelphia's text_general_code, Buenos Aires' tipo). */
const OFFENCE_VALUES_SHARE = 0.5;
/** Columns whose values name offences within this share of the best one's are told apart by their names. */
const OFFENCE_VALUES_MARGIN = 0.2;

/**
 * The offence column by what its values say: names alone mislead where a column named as a category
 * holds something else (Seattle's Crime Against Category: PERSON, PROPERTY, SOCIETY; Mexico City's
 * categoria_delito: mostly "DELITO DE BAJO IMPACTO" beside its delito), and miss a column named
 * otherwise. Of the columns of 2–200 values, those whose rows name offences nearly as often as the
 * best one's do (within OFFENCE_VALUES_MARGIN) are ranked by their names (OFFENCE_NAME_WORDS, then
 * unnamed, then in the file's order); an unnamed one needs OFFENCE_VALUES_SHARE. None: undefined.
 */
function offenceByValues<C extends { h: string; values: readonly string[] }>(columns: readonly C[]): C | undefined {
  const scored = columns.flatMap((c) => {
    const filled = c.values.filter((v) => v !== "");
    const distinct = new Set(filled);
    if (distinct.size < 2 || distinct.size > 200) return [];
    const named = new Map([...distinct].map((v) => [v, readLabel(v).category !== null]));
    const rank = OFFENCE_NAME_WORDS.findIndex((isNamed) => isNamed(c.h));
    const matched = share(filled, (v) => named.get(v) === true);
    return rank >= 0 || matched >= OFFENCE_VALUES_SHARE ? [{ c, matched, rank: rank >= 0 ? rank : OFFENCE_NAME_WORDS.length }] : [];
  });
  const best = Math.max(0, ...scored.map((s) => s.matched));
  if (best === 0) return undefined;
  return scored.filter((s) => s.matched >= best - OFFENCE_VALUES_MARGIN).sort((a, b) => a.rank - b.rank)[0]?.c;
}

/** Where one projected grid, each way round, puts the sample's median point, and whether that fits the grid. */
interface ProjectedReading {
  crs: SourceDescription["crs"];
  swapped: boolean;
  /** "55.93° N, 23.31° E (Europe/Vilnius)", or null when the reading is no position at all. */
  where: string | null;
  /** Within the grid's area of use, and on land (a time zone that is not Etc/…, the open sea's). */
  fits: boolean;
  /** The median point read this way, [lon, lat], or null. */
  point: Point | null;
}

/** How far apart two readings' median points may lie and still be one place: well below a cell, above the sub-metre ETRS89/WGS84 gap. */
const SAME_PLACE_M = 20;

/** The readings grouped by where they put the points: grids that write the same numbers for one place form one group. */
function samePlaces(readings: readonly ProjectedReading[]): ProjectedReading[][] {
  const groups: ProjectedReading[][] = [];
  for (const r of readings) {
    const group = groups.find((g) => r.point && g[0]!.point && 1000 * kmBetween(r.point, g[0]!.point) <= SAME_PLACE_M);
    if (group) group.push(r);
    else groups.push([r]);
  }
  return groups;
}

function projectedReadings(rows: readonly string[][], xi: number, yi: number, decimal: "." | ",", given?: SourceDescription["crs"]): ProjectedReading[] {
  const value = (r: readonly string[], i: number) => Number(decimal === "," ? (r[i] ?? "").replace(",", ".") : r[i]);
  const pairs = rows.map((r) => [value(r, xi), value(r, yi)] as const).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && x !== 0 && y !== 0);
  if (pairs.length === 0) return [];
  const [x, y] = medianPoint(pairs);
  // The grid given with --crs is read too, whichever UTM zone it is.
  const grids = given === undefined || PROJECTED.includes(given) ? PROJECTED : [...PROJECTED, given];
  return grids.flatMap((crs) =>
    [false, true].map((swapped) => {
      const [lon, lat] = swapped ? toWgs84(crs, y, x) : toWgs84(crs, x, y);
      if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) return { crs, swapped, where: null, fits: false, point: null };
      const zone = tzLookup(lat, lon);
      const where = `${Math.abs(lat).toFixed(2)}° ${lat >= 0 ? "N" : "S"}, ${Math.abs(lon).toFixed(2)}° ${lon >= 0 ? "E" : "W"} (${zone.startsWith("Etc/") ? "at sea" : zone})`;
      // A national grid's box holds its neighbours too: the point must lie in one of its country's time zones.
      const country = countryZones(crs);
      const fits = withinAreaOfUse(crs, lon, lat) && !zone.startsWith("Etc/") && (country === undefined || country.includes(zone));
      return { crs, swapped, where, fits, point: [lon, lat] as Point };
    }),
  );
}

/** What to do about projected metres: each grid that fits and where it puts the points, or that none does. */
function metresAdvice(readings: readonly ProjectedReading[], x: string, y: string): string {
  const fitting = readings.filter((r) => r.fits && (!r.swapped || namesNorthingFirst(r.crs)));
  const other = `${ANY_UTM}; ${ANY_GRID}`;
  if (fitting.length > 0)
    return `${fitting.map((r) => `--crs ${r.crs} puts the points around ${r.where}${r.swapped ? ` (${x} read as its northing, ${y} as its easting)` : ""}`).join("; ")} — give the one the file is in with --crs and describe again; ${other}`;
  const swapped = readings.filter((r) => r.fits && r.swapped);
  if (swapped.length > 0)
    return `only with ${x} and ${y} the other way round does a supported grid fit (${swapped.map((r) => `${r.crs}: around ${r.where}`).join("; ")}): ${y} is the easting — write columns.x: ${y}, columns.y: ${x} and that crs (with bounds and timezone) in this file; ${other}`;
  const placed = readings.filter((r) => !r.swapped && r.where !== null);
  return `none of ${PROJECTED.map((crs) => `${crs} (${shortName(crs)})`).join(", ")} puts them on land within the area where it is used (${
    placed.length > 0 ? `${placed.map((r) => `${r.crs}: ${r.where}`).join("; ")}; the others: no position on Earth` : "none gives a position on Earth"
  }): ${ANY_UTM}; ${ANY_GRID}`;
}

/** Any UTM zone is read, but values alone cannot tell the zone: it is the user's to give. */
const ANY_UTM =
  "a file in another UTM zone is read when given with --crs (EPSG:326NN in WGS84, EPSG:258NN in ETRS89 — e.g. EPSG:25832 for western Germany, EPSG:25833 for Norway — EPSG:327NN south of the equator)";

/** A grid without an EPSG code here (a State Plane, Montreal's MTM zone 8) is read from its PROJ string. */
const ANY_GRID =
  'for any other grid (a State Plane, an MTM zone) give its PROJ string from the EPSG registry, e.g. --crs "+proj=tmerc +lat_0=0 +lon_0=-73.5 +k=0.9999 +x_0=304800 +y_0=0 +datum=NAD83 +units=m +no_defs" for MTM zone 8 (EPSG:32188), or convert x/y to WGS84 longitude/latitude (QGIS, or ogr2ogr -t_srs EPSG:4326) and describe the converted file';

function timeColumns(time: SourceDescription["columns"]["time"] | undefined): string[] {
  if (!time) return [];
  return time.format === "parts" ? [time.year, time.month, time.day, time.hour, time.minute].filter((c): c is string => c !== undefined) : [time.column];
}

/** A share as a whole percentage; a few rows of many are "under 1 %", not "0 %". */
const percent = (part: number, whole: number) => (part > 0 && (100 * part) / whole < 0.5 ? "under 1 %" : `${Math.round((100 * part) / whole)} %`);
const share = (values: readonly string[], test: (v: string) => boolean) => (values.length === 0 ? 0 : values.filter(test).length / values.length);
/** How the docs name a delimiter (a tab is invisible in a message). */
export function delimiterName(d: string): string {
  return d === "\t" ? "tab" : JSON.stringify(d);
}
