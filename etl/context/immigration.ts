/**
 * Exposure tables in the long format of an Official Statistics Portal export
 * (`data/context/immigration.csv`: one row per area × indicator × year): schema, loader and the
 * yearly series an evaluation divides by. A malformed file is refused with the file, line and problem.
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { z } from "zod";

const text = z.string().trim().min(1);

/** One figure: e.g. LT026 Šiaulių apskritis, immigrants_registered, 2019, 5719 persons. */
export const ExposureRowSchema = z.strictObject({
  area_code: text,
  area_name: text,
  indicator: z.string().regex(/^[a-z][a-z0-9_]*$/, "expected a snake_case indicator name"),
  year: z.coerce.number().int().min(1900).max(2100),
  value: z.coerce.number().finite().positive(),
  unit: text,
  source: text,
  // The source in Lithuanian, for the Lithuanian pages; optional (null in the lake when the file has no such column).
  source_lt: text.nullish(),
  // The places the area consists of, `;`-separated, as the incidents name them (municipality or
  // locality): e.g. a county's municipalities. An evaluation divides by the figure only where every
  // incident it counts lies in one of these or in a place named `area_name` (exposureCoverage).
  covers: text.nullish(),
});

export type ExposureRow = z.infer<typeof ExposureRowSchema>;

/** A yearly exposure series of one indicator in one area. */
export interface ExposureSeries {
  indicator: string;
  area_code: string;
  area_name: string;
  unit: string;
  source: string;
  /** The source in Lithuanian, when the file gives one. */
  source_lt: string | null;
  /** The places (municipalities or localities, as the incidents name them) the area is: its name and its `covers` list. */
  places: readonly string[];
  /** Value per calendar year. */
  values: ReadonlyMap<number, number>;
}

/** The exposure file is unreadable or invalid; `message` names the file, the line and the problem. */
export class ExposureFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: ${problems.join("; ")}`);
    this.name = "ExposureFileError";
  }
}

/**
 * Reads and validates an exposure CSV (header row, comma-separated, UTF-8 with or without BOM).
 * Every problem is reported as `line N: column: problem`; a repeated area × indicator × year is an
 * error, because an evaluation would not know which figure to divide by.
 */
export function loadExposureRows(path: string): ExposureRow[] {
  let records: Record<string, string>[];
  try {
    records = parse(readFileSync(path), { columns: true, bom: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new ExposureFileError(path, [`cannot be read as CSV: ${(error as Error).message}`]);
  }
  const problems: string[] = [];
  const rows: ExposureRow[] = [];
  const seen = new Set<string>();
  const covered = new Map<string, { covers: string; line: number }>();
  records.forEach((record, i) => {
    const line = i + 2;
    const result = ExposureRowSchema.safeParse(record);
    if (!result.success) {
      for (const issue of result.error.issues) problems.push(`line ${line}: ${issue.path.join(".") || "row"}: ${issue.message}`);
      return;
    }
    const key = `${result.data.area_code}|${result.data.indicator}|${result.data.year}`;
    if (seen.has(key)) problems.push(`line ${line}: repeats ${result.data.area_code} ${result.data.indicator} ${result.data.year}`);
    seen.add(key);
    const first = covered.get(result.data.area_code);
    const covers = result.data.covers ?? "";
    if (first !== undefined && first.covers !== covers)
      problems.push(`line ${line}: covers differs from line ${first.line} for area ${result.data.area_code}; give one list of places per area`);
    if (first === undefined) covered.set(result.data.area_code, { covers, line });
    rows.push(result.data);
  });
  if (records.length === 0) problems.push("holds no rows");
  if (problems.length > 0) throw new ExposureFileError(path, problems);
  return rows;
}

/**
 * The yearly series of `indicator` (in `areaCode` when the file covers several areas). Fails with the
 * known indicators or areas when the choice is absent or ambiguous.
 */
export function exposureSeries(rows: readonly ExposureRow[], indicator: string, areaCode?: string): ExposureSeries {
  const ofIndicator = rows.filter((r) => r.indicator === indicator);
  if (ofIndicator.length === 0) {
    throw new Error(`no exposure indicator '${indicator}'; known: ${[...new Set(rows.map((r) => r.indicator))].sort().join(", ")}`);
  }
  const areas = [...new Set(ofIndicator.map((r) => r.area_code))].sort();
  const area = areaCode ?? (areas.length === 1 ? areas[0]! : undefined);
  if (area === undefined || !areas.includes(area)) {
    throw new Error(`exposure '${indicator}' ${area === undefined ? "covers several areas" : `has no area '${area}'`}; choose one of: ${areas.join(", ")}`);
  }
  const selected = ofIndicator.filter((r) => r.area_code === area);
  const first = selected[0]!;
  return {
    indicator,
    area_code: area,
    area_name: first.area_name,
    unit: first.unit,
    source: first.source,
    source_lt: first.source_lt ?? null,
    places: exposurePlaces(first),
    values: new Map(selected.map((r) => [r.year, r.value])),
  };
}

/** The places an exposure row's area is: its name and the names of its `covers` list. */
export function exposurePlaces(row: Pick<ExposureRow, "area_name" | "covers">): string[] {
  const listed = (row.covers ?? "")
    .split(";")
    .map((name) => name.trim())
    .filter(Boolean);
  return [...new Set([row.area_name, ...listed])];
}

/** Loads the immigration table as the exposure series of registered immigrants (the file's one indicator by default). */
export function loadImmigrationExposure(path: string, indicator = "immigrants_registered", areaCode?: string): ExposureSeries {
  return exposureSeries(loadExposureRows(path), indicator, areaCode);
}
