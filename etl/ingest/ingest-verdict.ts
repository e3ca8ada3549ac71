import { EXCLUDED_OFFENCE } from "./incident-schema.ts";
import type { QualityReport } from "./quality-report.ts";
import type { SourceDescription } from "./source-description.ts";

/** Exit code of `ingest` and `run` when a file's rows were all, or mostly, quarantined (1 is any other failure). */
export const EXIT_QUARANTINED = 3;

/**
 * Default of `--max-quarantined-share`: a file with more than half of its rows quarantined fails the
 * command. Real exports quarantine far less (the bundled real files: at most a fifth, for repeated
 * incident numbers); more than half is nearly always a description that does not fit the file.
 */
export const DEFAULT_MAX_QUARANTINED_SHARE = 0.5;

/** The first quarantined row of a reason: its line and the sentence it was refused with. */
export interface QuarantineExample {
  line: number;
  reason: string;
}

/**
 * What `ingestFile` returns: the file's data-quality report as the manifest keeps it, plus — when rows
 * were quarantined, for the command's summary only, not the manifest — the first quarantined row of
 * each reason (repeated ids aside) and the likely cause of the most frequent reason.
 */
export interface IngestReport extends QualityReport {
  quarantine_examples?: Record<string, QuarantineExample>;
  likely_cause?: string;
}

/**
 * The likely cause behind a file's most frequent quarantine reason, naming what to change in the
 * source description: the time format (with the described format and an example value), the axis
 * order, bounds or CRS of the coordinates, the offence mapping, the delimiter or quoting.
 */
export function likelyCause(report: QualityReport, examples: ReadonlyMap<string, QuarantineExample>, source: SourceDescription): string | undefined {
  const top = Object.entries(report.quarantine_reasons).sort(([, a], [, b]) => b - a)[0];
  if (!top) return undefined;
  const [code, count] = top;
  const example = examples.get(code);
  const seen = example ? ` — e.g. ${exampleText(example, code, true)}` : "";
  const share = `${count} of ${report.rows_read} rows are ${code}`;
  const time = source.columns.time;
  const timeFormat =
    time.format === "pattern"
      ? `format: pattern, pattern: "${time.pattern}" on column ${time.column}`
      : time.format === "parts"
        ? "format: parts (year, month, day, hour, minute columns)"
        : `format: ${time.format} on column ${time.column}`;
  const bounds = `[${source.bounds.join(", ")}]`;
  switch (code) {
    case "invalid_timestamp":
    case "nonexistent_local_time":
      return `${share}: the time format — the description reads times as ${timeFormat} (time zone ${source.timezone})${seen}; change columns.time to the way the file writes times`;
    case "swapped_coordinates":
      return source.columns.point
        ? `${share}: the axis order — columns.point's format says which number comes first (now ${pointColumn(source.columns.point)}: lat_lon for "(lat, lon)", lon_lat for "(lon, lat)"), and bounds are [west, south, east, north] (now ${bounds})${seen}`
        : `${share}: the axis order — x must be the longitude/easting column and y the latitude/northing (now x: ${source.columns.x ?? "geometry"}, y: ${source.columns.y ?? "geometry"}), and bounds are [west, south, east, north] (now ${bounds})${seen}`;
    case "outside_study_area":
      return `${share}: the bounds or the CRS — bounds are [west, south, east, north] in degrees (now ${bounds}), coordinates are read as ${source.crs}, x as longitude/easting${seen}`;
    case "outside_municipality":
      return `${share}: the municipality or the coordinates — each row's point must lie in the municipality it names (municipality from ${source.columns.municipality && "column" in source.columns.municipality ? `column ${source.columns.municipality.column}` : "a constant"}, coordinates read as ${source.crs})${seen}`;
    case "invalid_coordinates":
      // "x '456837,30'": numbers with a decimal comma, read with the point (the default).
      if (source.decimal !== "," && example && /'[+-]?\d+,\d+'/.test(example.reason))
        return `${share}: the decimal separator — the coordinates are written with a decimal comma; write decimal: "," in the source description${seen}`;
      if (source.columns.point && example?.reason.includes("is not a point written as"))
        return `${share}: the point format — ${pointColumn(source.columns.point)} does not read the column's text; write the format it is in under columns.point${seen}`;
      return `${share}: the CRS — coordinates are read as ${source.crs} (EPSG:4326 is degrees, EPSG:3346 and UTM are metres) with x as longitude/easting${seen}`;
    case "missing_coordinates":
      return source.columns.point
        ? `${share}: the point column — ${pointColumn(source.columns.point)} is empty${seen}`
        : `${share}: the coordinate columns — x: ${source.columns.x ?? "geometry"}, y: ${source.columns.y ?? "geometry"} are empty${seen}`;
    case "unmapped_offence":
      return `${share}: the offence mapping — add the file's offence values under categories:${seen}`;
    case EXCLUDED_OFFENCE:
      return `${share}: the offence mapping maps their offences to exclude (records that are no offences)${seen}`;
    case "unknown_case_type":
      return `${share}: the case-type mapping — add the file's values under case_types:${seen}`;
    case "malformed_record":
    case "invalid_encoding":
      return `${share}: the file's layout — delimiter ${source.delimiter === "\t" ? "tab" : `'${source.delimiter}'`}, encoding ${source.encoding}${seen}`;
    default:
      return `${share}${seen}`;
  }
}

/** An example row in a likely cause: its line and the reason with the row's values, or its line and the rule only. */
function exampleText(example: QuarantineExample, code: string, rowValues: boolean): string {
  return rowValues ? `line ${example.line}: ${example.reason}` : `line ${example.line} (rule ${code})`;
}

/** How a failure is worded. */
export interface QuarantineFailureOptions {
  /**
   * Whether the likely cause quotes its example row's values (coordinates, times, offence text), as
   * the ingest wrote it (default), or names only the row's line and the rule it broke. The one place
   * this is decided: the CLI keeps the values — its user reads them on their own machine, about their
   * own file, and needs them to correct the source description; the Lambda handler drops them
   * (etl/handlers/upload-errors.ts) — its failures go to CloudWatch Logs and the dead-letter queue,
   * which the lake's key does not protect, and a point can be someone's home. The quarantine in the
   * lake keeps every row's full reason either way.
   */
  rowValues?: boolean;
}

/** The likely cause of a file's report, worded as `rowValues` says (see QuarantineFailureOptions). */
function causeOf(report: QualityReport, rowValues: boolean): string | undefined {
  const { likely_cause: cause, quarantine_examples: examples = {} } = report as Partial<IngestReport>;
  if (cause === undefined || rowValues) return cause;
  let worded = cause;
  for (const [code, example] of Object.entries(examples)) worded = worded.replace(exampleText(example, code, true), exampleText(example, code, false));
  // An example not among the report's (none should be): drop the cause rather than let a value through.
  return worded.includes(" — e.g. line ") && !/ — e\.g\. line \d+ \(rule [a-z_]+\)/.test(worded) ? undefined : worded;
}

/** The quarantine code of a row whose incident id another export of the same source brought first (lake/write-incidents.ts). */
const HELD_BY_OTHER_EXPORT = "id_in_other_export";

/** A command's failure for files that were all or mostly quarantined, or undefined when none was. */
export function quarantineFailure(
  files: readonly QualityReport[],
  maxShare: number,
  { rowValues = true }: QuarantineFailureOptions = {},
): { exitCode: number; message: string } | undefined {
  // Rows whose incident another export of the source holds already (an overlapping re-export) are counted
  // there: they say nothing about how the file was described, so they count neither as read nor as quarantined.
  // Nor do rows the description excludes as no offences (a mix of medical calls and crimes is no badly
  // described file) — but a file of nothing else loads nothing, and fails like any file that loads nothing.
  const share = (f: QualityReport) => {
    const held = f.quarantine_reasons[HELD_BY_OTHER_EXPORT] ?? 0;
    const excluded = f.quarantine_reasons[EXCLUDED_OFFENCE] ?? 0;
    return { own: f.rows_read - held, read: f.rows_read - held - excluded, quarantined: f.rows_quarantined - held - excluded };
  };
  const failed = files.filter((f) => {
    const { own, read, quarantined } = share(f);
    return (own > 0 && f.rows_ingested === 0) || (read > 0 && quarantined / read > maxShare);
  });
  if (failed.length === 0) return undefined;
  const lines = failed.map((f) => {
    const { read, quarantined } = share(f);
    const what =
      f.rows_ingested === 0
        ? `every row (${f.rows_read}) was quarantined`
        : `${quarantined} of ${read} rows were quarantined, more than the allowed share ${maxShare}`;
    const cause = causeOf(f, rowValues);
    return `${f.file}: ${what}${cause ? `; likely cause: ${cause}` : ""}`;
  });
  return {
    exitCode: EXIT_QUARANTINED,
    message: `${lines.join("\n")}\n(quarantined rows and their reasons are in the lake's quarantine/ folder; --max-quarantined-share changes the limit)`,
  };
}

/** A point column as the description names it, "Location (lat_lon)". */
const pointColumn = (point: { column: string; format: string }) => `${point.column} (${point.format})`;
