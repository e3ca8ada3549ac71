import { crsProblem } from "./crs.ts";
import { readFile } from "node:fs/promises";
import { isScalar, LineCounter, parseDocument, visit } from "yaml";
import { z } from "zod";
import { isTimeZone } from "../config.ts";
import { CASE_TYPES, CATEGORY_TARGETS } from "./incident-schema.ts";
import { POINT_FORMATS } from "./point-text.ts";

/** A field taken from a column of the input, or the same constant for every row. */
const fieldSource = z.union([z.object({ column: z.string().min(1) }).strict(), z.object({ constant: z.string() }).strict()], {
  error: (issue) => {
    const given = typeof issue.input === "string" ? issue.input : "NAME";
    return `write { column: ${given} } to take it from the column ${given}, or { constant: ${given} } for the same value on every row`;
  },
});

/** The delimiters, with `tab` as the docs name it (a tab character is invisible in YAML and in messages). */
const DELIMITERS = { ",": ",", ";": ";", tab: "\t", "\t": "\t", "|": "|" } as const;
const delimiter = z
  .string({ error: 'write one of ",", ";", "|" or tab' })
  .refine((d) => Object.hasOwn(DELIMITERS, d), {
    error: (issue) => `${JSON.stringify(issue.input)} is not a delimiter this reader knows; write one of ",", ";", "|" or tab`,
  })
  .transform((d) => DELIMITERS[d as keyof typeof DELIMITERS]);

/**
 * How a source writes time. `iso`: ISO 8601, with an offset or (then local in `timezone`) without;
 * `date`: a calendar day (anything after the date is ignored: `2017-05-25T00:00:00Z` is 25 May);
 * `month`: a calendar month (`2022-01` or `2022-01-01`); `pattern`: a Luxon format such as
 * `dd.MM.yyyy HH:mm`; `epoch`: Unix time, milliseconds (ArcGIS's GeoJSON and JSON dates) or
 * with `unit: s` seconds; `parts`: separate YEAR/MONTH/DAY/HOUR/MINUTE columns. `date` and `pattern`
 * take `time_of_day`, a column of clock times (`2230`, `5` = 00:05, or `22:30`) for the day read
 * from `column` (whose own clock time is then ignored): LAPD's "DATE OCC" and "TIME OCC"; written
 * `{ column: OCC_HOUR, format: hour }` it is an hour of the day, 0–23 (Toronto's OCC_HOUR), read to
 * the hour. `iso` takes `offset: ignore` for portals that write the local clock time followed by `Z`
 * or `+00:00`: the marker is dropped and the clock read in `timezone` (default `offset: read`).
 * `pattern` takes `locale` for month or weekday names in another language (`lt`: "sausio").
 */
const TIME_OF_DAY_FORMATS = ["clock", "hour"] as const;
const timeOfDayObject = z
  .object({
    column: z.string().min(1),
    format: z.enum(TIME_OF_DAY_FORMATS, {
      error: (issue) =>
        `${issue.input === undefined ? "format is missing" : `${JSON.stringify(issue.input)} is not a time-of-day format`}; write clock (2230, 5 = 00:05, or 22:30) or hour (a whole hour 0–23)`,
    }),
  })
  .strict();
// Checked by hand rather than as a union, whose error for a wrong object is zod's bare "Invalid input".
const timeOfDay = z.custom<string | z.infer<typeof timeOfDayObject>>().superRefine((value, ctx) => {
  if (typeof value === "string" && value !== "") return;
  if (value === null || typeof value !== "object") {
    ctx.addIssue({ code: "custom", message: "write the clock column's name, or { column: NAME, format: hour } for an hour of the day 0–23" });
    return;
  }
  const result = timeOfDayObject.safeParse(value);
  if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
});
const offset = z.enum(["read", "ignore"], {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not an offset policy; write read (the default: Z and +01:00 say the instant) or ignore (the clock is local time in timezone, whatever marker follows it)`,
});
// The language of a pattern's month and weekday names (MMMM, EEE): Lithuanian registers write
// "2023 m. sausio 5 d.", read with locale lt. Any locale this Node's Intl has.
const knownLocale = (locale: string) => {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length === 1;
  } catch {
    return false; // not a language tag at all
  }
};
const patternLocale = z.string().refine(knownLocale, {
  error: (issue) => `${JSON.stringify(issue.input)} is not a locale this reader knows; write a language code such as lt, de or es`,
});
const timeSpec = z.discriminatedUnion("format", [
  z.object({ format: z.literal("iso"), column: z.string(), offset: offset.optional() }).strict(),
  z.object({ format: z.literal("date"), column: z.string(), time_of_day: timeOfDay.optional() }).strict(),
  z.object({ format: z.literal("month"), column: z.string() }).strict(),
  z.object({ format: z.literal("epoch"), column: z.string(), unit: z.enum(["ms", "s"]).default("ms") }).strict(),
  z
    .object({
      format: z.literal("pattern"),
      column: z.string(),
      pattern: z.string().min(2),
      locale: patternLocale.optional(),
      time_of_day: timeOfDay.optional(),
    })
    .strict(),
  z
    .object({
      format: z.literal("parts"),
      year: z.string(),
      month: z.string(),
      day: z.string().optional(),
      hour: z.string().optional(),
      minute: z.string().optional(),
    })
    .strict(),
]);

/**
 * A point written in one column (Socrata's Location "(41.87, -87.62)", San Francisco's Point
 * "POINT (-122.41 37.77)"), instead of x and y: `{ column: Location, format: lat_lon }`. The pair it
 * holds is read as x and y would be (crs, decimal, bounds); see point-text.ts.
 */
const POINT_FORMAT_ADVICE =
  'write wkt (POINT (x y), longitude first), lat_lon ("(lat, lon)", as Socrata writes), lon_lat ("(lon, lat)"), geojson ({"type":"Point","coordinates":[lon, lat]}) or socrata ({"latitude": …, "longitude": …}, Socrata\'s location object)';
const pointObject = z
  .object({
    column: z.string({ error: "column is missing; write the name of the column that holds the point" }).min(1),
    format: z.enum(POINT_FORMATS, {
      error: (issue) => `${issue.input === undefined ? "format is missing" : `${JSON.stringify(issue.input)} is not a point format`}; ${POINT_FORMAT_ADVICE}`,
    }),
  })
  .strict();
// Checked by hand, as timeOfDay: a bare column name gets a sentence saying what to add, not zod's "Invalid input".
const pointColumn = z.custom<z.infer<typeof pointObject>>().superRefine((value, ctx) => {
  if (value === null || typeof value !== "object") {
    const name = typeof value === "string" && value !== "" ? value : "NAME";
    ctx.addIssue({ code: "custom", message: `write { column: ${name}, format: FORMAT }, where FORMAT says how the point is written: ${POINT_FORMAT_ADVICE}` });
    return;
  }
  const result = pointObject.safeParse(value);
  if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
});

/**
 * Bounds must be a real box in degrees, [west, south, east, north]: inverted bounds used to
 * quarantine every row as outside the study area (issue 21), so they are refused here, saying which
 * pair is the wrong way round and the order to write. Bounds that cross the antimeridian are not
 * supported (no source needs them yet).
 */
function checkBounds([west, south, east, north]: [number, number, number, number], ctx: z.RefinementCtx): void {
  const given = `[${[west, south, east, north].join(", ")}]`;
  const problems: string[] = [];
  if (Math.abs(west) > 180 || Math.abs(east) > 180) problems.push("west and east are longitudes, between -180 and 180");
  if (Math.abs(south) > 90 || Math.abs(north) > 90) problems.push("south and north are latitudes, between -90 and 90 (bounds are in degrees whatever the crs)");
  if (west >= east) problems.push(`west (${west}) must be less than east (${east})`);
  if (south >= north) problems.push(`south (${south}) must be less than north (${north})`);
  if (problems.length === 0) return;
  const fixed =
    west >= east || south >= north
      ? `; did you mean [${[Math.min(west, east), Math.min(south, north), Math.max(west, east), Math.max(south, north)].join(", ")}]?`
      : "";
  ctx.addIssue({ code: "custom", message: `${given} is not a box [west, south, east, north]: ${problems.join("; ")}${fixed}` });
}

/** The schema of a source description file under data/sources/ (YAML or JSON). */
export const sourceDescriptionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lower-case letters, digits and hyphens"),
    title: z.string(),
    publisher: z.string().optional(),
    licence: z.string().optional(),
    format: z.enum(["csv", "jsonl", "geojson", "xlsx"]).default("csv"),
    /** The sheet of an xlsx workbook that holds the incidents, by name (default: the first). */
    sheet: z.string().min(1).optional(),
    encoding: z.enum(["utf-8", "windows-1257", "windows-1250", "windows-1252", "iso-8859-13"]).default("utf-8"),
    delimiter: delimiter.default(","),
    /** Decimal separator of the coordinates: "." (default) or "," as in "-75,5698" (e.g. Colombian exports). */
    decimal: z.enum([".", ","]).default("."),
    timezone: z.string().refine(isTimeZone, "an IANA time zone such as Europe/Vilnius"),
    /** An EPSG code the reader knows, or any other grid as a PROJ string ("+proj=…"). */
    crs: z
      .string()
      .superRefine((crs, ctx) => {
        const problem = crsProblem(crs);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .default("EPSG:4326"),
    /** Rough bounds of where the data can be, [west, south, east, north] in degrees; points outside are quarantined. */
    bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]).superRefine(checkBounds),
    columns: z
      .object({
        id: z.string().optional(),
        time: timeSpec,
        /** Longitude or easting. For GeoJSON the point geometry is used and x/y are omitted. */
        x: z.string().optional(),
        /** Latitude or northing. */
        y: z.string().optional(),
        /** x and y in one column, instead of the two above. */
        point: pointColumn.optional(),
        offence: fieldSource,
        offence_code: fieldSource.optional(),
        case_type: fieldSource.optional(),
        municipality: fieldSource.optional(),
        locality: fieldSource.optional(),
      })
      .strict(),
    /** Raw offence value → canonical category, or `exclude` (no offence: quarantined as excluded_offence); values not listed are quarantined as unmapped. */
    categories: z.record(z.string(), z.enum(CATEGORY_TARGETS)),
    /** Raw case-type value → canonical case type (when case_type comes from a column). */
    case_types: z.record(z.string(), z.enum(CASE_TYPES)).optional(),
    /** What to do with a second row of the same id: quarantine it (the default) or keep every row. */
    repeated_ids: z.enum(["quarantine", "keep"]).default("quarantine"),
    notes: z.string().optional(),
  })
  .strict();

export type SourceDescription = z.infer<typeof sourceDescriptionSchema>;
export type TimeSpec = SourceDescription["columns"]["time"];
export type FieldSource = z.infer<typeof fieldSource>;
export type TimeOfDay = z.infer<typeof timeOfDay>;

/** A time-of-day column as `{ column, format }`: a bare name is a clock column (HHMM or H:mm). */
export function timeOfDayOf(spec: TimeSpec): { column: string; format: (typeof TIME_OF_DAY_FORMATS)[number] } | undefined {
  if (spec.format !== "date" && spec.format !== "pattern") return undefined;
  const t = spec.time_of_day;
  return t === undefined ? undefined : typeof t === "string" ? { column: t, format: "clock" } : t;
}

/** Reads and validates a source description; errors name the file and every problem with its path. */
export async function loadSourceDescription(path: string): Promise<SourceDescription> {
  const text = await readFile(path, "utf8");
  let data: unknown;
  try {
    data = path.endsWith(".json") ? JSON.parse(text) : parseYamlOnce(text);
  } catch (error) {
    throw new Error(`${path}: not valid ${path.endsWith(".json") ? "JSON" : "YAML"}: ${(error as Error).message}`, { cause: error });
  }
  return parseSourceDescription(data, path);
}

/**
 * YAML in linear time. The yaml library's own check for repeated keys compares each key with every
 * earlier one of its map, so a mapping table of 300,000 offence values took minutes (issue 21); here
 * keys are checked against a set, and a repeated one is refused with both of its lines.
 */
function parseYamlOnce(text: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: false, lineCounter });
  if (doc.errors.length > 0) throw doc.errors[0]!;
  visit(doc, {
    Map(_, map) {
      const seen = new Map<unknown, number>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : String(pair.key);
        const offset = isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
        const first = seen.get(key);
        if (first !== undefined) {
          throw new Error(
            `the key ${JSON.stringify(key)} appears twice (lines ${lineCounter.linePos(first).line} and ${lineCounter.linePos(offset).line}); keep one of them`,
          );
        }
        seen.set(key, offset);
      }
    },
  });
  return doc.toJS();
}

/** Validates an already-parsed description (`origin` names it in errors). */
export function parseSourceDescription(data: unknown, origin: string): SourceDescription {
  const result = sourceDescriptionSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`${origin}: invalid source description:\n  ${problems.join("\n  ")}`);
  }
  const description = result.data;
  // zod's records drop a key named __proto__ (it sets the prototype instead): the mapping tables
  // are rebuilt from the entries as written, each key its own property.
  const raw = data as { categories?: object; case_types?: object };
  const categories = mappingTable(raw.categories, CATEGORY_TARGETS, "categories", origin);
  description.categories = categories;
  if (description.case_types) description.case_types = mappingTable(raw.case_types, CASE_TYPES, "case_types", origin);
  if (description.sheet !== undefined && description.format !== "xlsx") {
    throw new Error(`${origin}: invalid source description:\n  sheet: only an Excel workbook has sheets; write format: xlsx, or leave sheet out`);
  }
  const { x, y, point } = description.columns;
  if (description.format === "geojson" && point) {
    throw new Error(`${origin}: invalid source description:\n  columns.point: a GeoJSON feature's point is its geometry; leave columns.point out`);
  }
  if (point && (x || y)) {
    throw new Error(
      `${origin}: invalid source description:\n  columns.point: the point is read from one column or from two, not both; keep columns.point (${point.column}) or columns.x and columns.y`,
    );
  }
  if (description.format !== "geojson" && !point && (!x || !y)) {
    throw new Error(
      `${origin}: invalid source description:\n  columns.x and columns.y are required for ${description.format} sources, or columns.point where one column holds the point: { column: NAME, format: FORMAT }; ${POINT_FORMAT_ADVICE}`,
    );
  }
  return description;
}

/** A mapping table's own entries as an object (Object.fromEntries keeps `__proto__` as a key), values checked. */
function mappingTable<T extends string>(table: object | undefined, allowed: readonly T[], path: string, origin: string): Record<string, T> {
  const entries = Object.entries(table ?? {});
  const wrong = entries.find(([, value]) => !allowed.includes(value as T));
  if (wrong) throw new Error(`${origin}: invalid source description:\n  ${path}.${wrong[0]}: expected one of ${allowed.join(", ")}`);
  return Object.fromEntries(entries) as Record<string, T>;
}

/** Every column the description reads from a CSV/JSONL record (for the header check). */
export function requiredColumns(description: SourceDescription): string[] {
  const { columns } = description;
  const time = columns.time;
  const timeColumns = time.format === "parts" ? [time.year, time.month, time.day, time.hour, time.minute] : [time.column, timeOfDayOf(time)?.column];
  const fields = [columns.offence, columns.offence_code, columns.case_type, columns.municipality, columns.locality];
  const names = [
    columns.id,
    ...timeColumns,
    description.format === "geojson" ? undefined : columns.x,
    description.format === "geojson" ? undefined : columns.y,
    columns.point?.column,
    ...fields.map((f) => (f && "column" in f ? f.column : undefined)),
  ];
  return [...new Set(names.filter((n): n is string => n !== undefined))];
}
