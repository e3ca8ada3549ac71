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
  const seen = example ? ` — e.g. line ${example.line}: ${example.reason}` : "";
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
      return `${share}: the axis order — x must be the longitude/easting column and y the latitude/northing (now x: ${source.columns.x ?? "geometry"}, y: ${source.columns.y ?? "geometry"}), and bounds are [west, south, east, north] (now ${bounds})${seen}`;
    case "outside_study_area":
      return `${share}: the bounds or the CRS — bounds are [west, south, east, north] in degrees (now ${bounds}), coordinates are read as ${source.crs}, x as longitude/easting${seen}`;
    case "outside_municipality":
      return `${share}: the municipality or the coordinates — each row's point must lie in the municipality it names (municipality from ${source.columns.municipality && "column" in source.columns.municipality ? `column ${source.columns.municipality.column}` : "a constant"}, coordinates read as ${source.crs})${seen}`;
    case "invalid_coordinates":
      // "x '456837,30'": numbers with a decimal comma, read with the point (the default).
      if (source.decimal !== "," && example && /'[+-]?\d+,\d+'/.test(example.reason))
        return `${share}: the decimal separator — the coordinates are written with a decimal comma; write decimal: "," in the source description${seen}`;
      return `${share}: the CRS — coordinates are read as ${source.crs} (EPSG:4326 is degrees, EPSG:3346 and UTM are metres) with x as longitude/easting${seen}`;
    case "missing_coordinates":
      return `${share}: the coordinate columns — x: ${source.columns.x ?? "geometry"}, y: ${source.columns.y ?? "geometry"} are empty${seen}`;
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

/** The quarantine code of a row whose incident id another export of the same source brought first (lake/write-incidents.ts). */
const HELD_BY_OTHER_EXPORT = "id_in_other_export";

/** A command's failure for files that were all or mostly quarantined, or undefined when none was. */
export function quarantineFailure(files: readonly QualityReport[], maxShare: number): { exitCode: number; message: string } | undefined {
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
    const cause = (f as Partial<IngestReport>).likely_cause;
    return `${f.file}: ${what}${cause ? `; likely cause: ${cause}` : ""}`;
  });
  return {
    exitCode: EXIT_QUARANTINED,
    message: `${lines.join("\n")}\n(quarantined rows and their reasons are in the lake's quarantine/ folder; --max-quarantined-share changes the limit)`,
  };
}
