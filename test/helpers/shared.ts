import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import type { MunicipalityCollection } from "../../etl/geo/municipalities.ts";
import type { SniffedTable } from "../../etl/ingest/sniff-file.ts";

/** Project root (the folder holding package.json). */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Path inside the read-only `../shared` folder that CI lays beside the project (SHARED_DIR overrides). */
export function sharedPath(...parts: string[]): string {
  return resolve(process.env.SHARED_DIR ?? resolve(projectRoot, "..", "shared"), ...parts);
}

/** The Lithuanian municipality boundaries as published (../shared), which most lake tests take as their study area's. */
export const SHARED_BOUNDARIES = sharedPath("data", "geo", "lt-municipalities.geojson");

/** Reads a small CSV from `../shared` into objects keyed by header, every value a string. */
export function readSharedCsv(...parts: string[]): Record<string, string>[] {
  return parse(readFileSync(sharedPath(...parts)), { columns: true, skip_empty_lines: true });
}

/** The canonical source description of the bundled data (data/sources/siauliai-demo.yaml). */
export async function canonicalSource() {
  const { loadSourceDescription } = await import("../../etl/ingest/source-description.ts");
  return loadSourceDescription(resolve(projectRoot, "data", "sources", "siauliai-demo.yaml"));
}

/**
 * A small export for analytics tests: `perMonth(t)` incidents in the t-th month, thefts and burglaries
 * in turn on a 4 × 5 grid of points in central Šiauliai, each on the 12th at noon UTC (ids `<month>-<i>`).
 */
export function centralSiauliaiExport(months: readonly string[], perMonth: (t: number) => number): string {
  const lines = months.flatMap((month, t) =>
    Array.from({ length: perMonth(t) }, (_, i) =>
      [`${month}-${i}`, `${month}-12T12:00:00Z`, "X", i % 2 ? "theft" : "burglary", "pre_trial_investigation"]
        .concat([(55.9349 + (i % 4) * 0.004).toFixed(6), (23.3137 + (i % 5) * 0.006).toFixed(6), "Šiaulių m. sav.", "Šiauliai", "test"])
        .join(","),
    ),
  );
  return [CANONICAL_HEADER, ...lines].join("\n");
}

/**
 * Rows of the canonical export for emerging tests (header: CANONICAL_HEADER): `perMonth(t)` incidents in
 * the t-th month, theft, burglary and domestic violence (sensitive in the bundled configuration) in
 * turn, on the 10th-18th at noon UTC, on a 5 × 6 grid in central Šiauliai that shifts with the month
 * (ids `<prefix>-<month>-<i>`).
 */
export function threeCategoryRows(prefix: string, months: readonly string[], perMonth: (t: number) => number): string[] {
  const categories = ["theft", "burglary", "domestic_violence"];
  return months.flatMap((month, t) =>
    Array.from({ length: perMonth(t) }, (_, i) =>
      [`${prefix}-${month}-${i}`, `${month}-1${i % 9}T12:00:00Z`, "X", categories[i % 3], "pre_trial_investigation"]
        .concat([(55.93 + ((i * 7 + t) % 5) * 0.004).toFixed(6), (23.31 + ((i * 3 + t) % 6) * 0.006).toFixed(6), "Šiaulių m. sav.", "Šiauliai", "test"])
        .join(","),
    ),
  );
}

/** The canonical export's header. */
export const CANONICAL_HEADER = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";

/** The bundled incident history's CSV lines (header first), read once. */
let bundledHistory: string[] | undefined;

/** The bundled incidents of the given months as a CSV export, optionally with extra raw lines after them. */
export function bundledMonthsCsv(months: readonly string[], extra: readonly string[] = []): string {
  bundledHistory ??= gunzipSync(readFileSync(resolve(projectRoot, "data", "incidents", "siauliai-2015-2021.csv.gz")))
    .toString("utf8")
    .trimEnd()
    .split("\n");
  const rows = bundledHistory.slice(1).filter((line) => months.some((m) => line.split(",")[1]!.startsWith(m)));
  return `${[bundledHistory[0], ...rows, ...extra].join("\n")}\n`;
}

/** One square municipality `name`, `size` degrees wide (half as tall), its south-west corner at (x, 55.93) near Šiauliai. */
export function squareMunicipality(size: number, { name = "A", x = 23.3 }: { name?: string; x?: number } = {}): MunicipalityCollection {
  const y = 55.93;
  const ring = [
    [x, y],
    [x + size, y],
    [x + size, y + size / 2],
    [x, y + size / 2],
    [x, y],
  ];
  return { type: "FeatureCollection", features: [{ type: "Feature", properties: { name }, geometry: { type: "Polygon", coordinates: [ring] } }] };
}

/** A sniffed plain UTF-8 CSV (comma, no compression) with this header and rows, as describe's proposers receive it. */
export function sniffedCsv(header: string[], rows: string[][]): SniffedTable {
  return {
    format: "csv",
    compression: "none",
    encoding: "utf-8",
    encodingGuessed: false,
    delimiter: ",",
    header,
    rows,
    sampleBytes: Buffer.from(""),
    truncated: false,
    undecided: [],
  };
}
