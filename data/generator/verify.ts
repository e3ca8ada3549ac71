import { DateTime } from "luxon";
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { DEFAULTS } from "../../etl/config.ts";
import { mapRecord } from "../../etl/ingest/map-record.ts";
import { parseSourceDescription } from "../../etl/ingest/source-description.ts";
import type { StudyArea } from "./boundaries.ts";
import { GENERATOR_CONFIG, YEARS, type GeneratedCategory } from "./config.ts";
import type { CsvRecord } from "./csv.ts";
import { inBounds } from "./locations.ts";
import { PLACES, type Municipality } from "./places.ts";

/** Row counts of the written file: in total, by category, by local year and by year × category. */
export interface Tally {
  total: number;
  byCategory: Record<string, number>;
  byYear: Record<string, number>;
  byYearCategory: Record<string, number>;
}

type Config = typeof GENERATOR_CONFIG;

/**
 * Checks the records about to be written against everything the file promises, and returns their
 * tallies. Each record must pass the ingest mapping of the canonical source description, lie in its municipality polygon, carry a
 * unique id, keep Kuršėnai points inside the town's bounds, and the counts per year × category and
 * the Kuršėnai drug figures must equal the config exactly. Throws on the first broken promise, so
 * a wrong file is never written.
 */
export function verifyRecords(records: readonly CsvRecord[], config: Config, area: StudyArea): Tally {
  const now = Date.now();
  const canonical = parseSourceDescription(parseYaml(readFileSync(DEFAULTS.sourceDescription, "utf8")), DEFAULTS.sourceDescription);
  const ids = new Set<string>();
  const kursenaiBounds = PLACES.find((p) => p.locality === "Kuršėnai")!.bounds!;
  const tally: Tally = { total: 0, byCategory: {}, byYear: {}, byYearCategory: {} };
  const kursenaiDrugs = new Map<string, number>();

  for (const record of records) {
    const result = mapRecord(record, 0, canonical, now);
    if (!result.ok) throw new Error(`${record.id}: ${result.rejection.reason}`);
    if (ids.has(record.id)) throw new Error(`${record.id}: duplicate id`);
    ids.add(record.id);
    const point = { lat: Number(record.lat), lon: Number(record.lon) };
    if (!area.contains(record.municipality as Municipality, point.lat, point.lon)) {
      throw new Error(`${record.id}: (${record.lat}, ${record.lon}) is outside ${record.municipality}`);
    }
    if (record.locality === "Kuršėnai" && !inBounds(point, kursenaiBounds)) throw new Error(`${record.id}: outside Kuršėnai town`);

    // The year is read back from the written text in Europe/Vilnius, as any consumer would.
    const year = DateTime.fromISO(record.occurred_at, { setZone: true }).setZone(config.timeZone).year;
    tally.total++;
    increment(tally.byCategory, record.offence_category);
    increment(tally.byYear, String(year));
    increment(tally.byYearCategory, `${year}|${record.offence_category}`);
    if (record.offence_category === "drug_possession" && record.locality === "Kuršėnai") {
      increment(kursenaiDrugs, `${year}|${record.case_type}`);
    }
  }

  YEARS.forEach((year, i) => {
    for (const [category, counts] of Object.entries(config.yearlyCounts) as [GeneratedCategory, readonly number[]][]) {
      const actual = tally.byYearCategory[`${year}|${category}`] ?? 0;
      if (actual !== counts[i]) throw new Error(`${year} ${category}: ${actual} rows, config says ${counts[i]}`);
    }
    for (const [caseType, expected] of Object.entries(config.kursenaiDrugPossession[year])) {
      const actual = kursenaiDrugs.get(`${year}|${caseType}`) ?? 0;
      if (actual !== expected) throw new Error(`${year} Kuršėnai drug_possession ${caseType}: ${actual} rows, expected ${expected}`);
    }
  });
  return tally;
}

function increment(counts: Record<string, number> | Map<string, number>, key: string): void {
  if (counts instanceof Map) counts.set(key, (counts.get(key) ?? 0) + 1);
  else counts[key] = (counts[key] ?? 0) + 1;
}
