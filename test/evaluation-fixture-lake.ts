import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { latLngToCell } from "h3-js";
import { sqlLiteral, withConnection } from "../etl/duckdb/connection.ts";
import { ensureAggregates } from "../etl/lake/aggregates.ts";
import { sha256File } from "../etl/lake/atomic-file.ts";
import { MANIFEST_FILE, type Manifest } from "../etl/lake/manifest.ts";

/**
 * A small lake for the evaluation tests, in the incident table's schema (id, occurred_at TIMESTAMPTZ, time_precision,
 * offence_code, offence_category, case_type, lat, lon, municipality, locality, source, h3_cell,
 * source_file, source_line; Hive partitions month=YYYY-MM in Europe/Vilnius) with a manifest and the
 * aggregates ingest would keep beside them (etl/lake/aggregates.ts):
 *
 * - Kuršėnai drug possession: 2017 3 (2 + 1); 2018 2 pre-trial + 1 administrative; 2019 5 + 3.
 * - Kairiai (rest of Šiaulių r. sav.) drug possession: 2018 8 (4 + 4), 2019 6 (3 + 3).
 * - Šiauliai theft: centre cell 2018 40, 2019 20; a buffer cell just north 2018 10, 2019 12; a control
 *   cell far off 2018 100, 2019 95 — so treated 40→20, buffer 10→12, control 100→95.
 * - Kuršėnai robbery at the turn of the year: 31 Dec 2018 23:30 and 1 Jan 2019 00:30 local time
 *   (both 31 Dec in UTC), to pin that periods are local calendar days.
 * - One fraud in Šiauliai every month 2017-01 … 2019-12, so the lake holds every month.
 */
export const FIXTURE = {
  kursenai: { lat: 56.0046, lon: 22.9373 },
  kairiai: { lat: 55.8869, lon: 23.3847 },
  centre: { lat: 55.9349, lon: 23.3137 },
  buffer: { lat: 55.9429, lon: 23.3137 },
  control: { lat: 55.91, lon: 23.23 },
} as const;

/** H3 cells (resolution 8) of the fixture's places. */
export const FIXTURE_CELLS = Object.fromEntries(Object.entries(FIXTURE).map(([k, p]) => [k, latLngToCell(p.lat, p.lon, 8)])) as Record<
  keyof typeof FIXTURE,
  string
>;

interface Row {
  occurred_at: string;
  category: string;
  case_type: string;
  lat: number;
  lon: number;
  municipality: string;
  locality: string;
}

const CITY = "Šiaulių m. sav.";
const DISTRICT = "Šiaulių r. sav.";

/** `moreDrugs`: drug possession pre-trial investigations added in Kuršėnai and in Kairiai each year 2017–2019 (a lake differing only in a sensitive category). */
function rows(moreDrugs = 0): Row[] {
  const out: Row[] = [];
  const add = (n: number, date: string, category: string, caseType: string, place: { lat: number; lon: number }, municipality: string, locality: string) => {
    for (let i = 0; i < n; i++)
      out.push({ occurred_at: `${date}T12:00:00+02:00`, category, case_type: caseType, lat: place.lat, lon: place.lon, municipality, locality });
  };
  const drugs = (year: number, pre: number, adm: number, place: { lat: number; lon: number }, locality: string) => {
    add(pre, `${year}-03-10`, "drug_possession", "pre_trial_investigation", place, DISTRICT, locality);
    add(adm, `${year}-09-10`, "drug_possession", "administrative_offence", place, DISTRICT, locality);
  };
  drugs(2017, 2, 1, FIXTURE.kursenai, "Kuršėnai");
  drugs(2018, 2, 1, FIXTURE.kursenai, "Kuršėnai");
  drugs(2019, 5, 3, FIXTURE.kursenai, "Kuršėnai");
  drugs(2018, 4, 4, FIXTURE.kairiai, "Kairiai");
  drugs(2019, 3, 3, FIXTURE.kairiai, "Kairiai");
  for (const year of [2017, 2018, 2019]) {
    drugs(year, moreDrugs, 0, FIXTURE.kursenai, "Kuršėnai");
    drugs(year, moreDrugs, 0, FIXTURE.kairiai, "Kairiai");
  }
  for (const [year, centre, ring, control] of [
    [2018, 40, 10, 100],
    [2019, 20, 12, 95],
  ] as const) {
    add(centre, `${year}-05-05`, "theft", "pre_trial_investigation", FIXTURE.centre, CITY, "Šiauliai");
    add(ring, `${year}-05-05`, "theft", "pre_trial_investigation", FIXTURE.buffer, CITY, "Šiauliai");
    add(control, `${year}-05-05`, "theft", "pre_trial_investigation", FIXTURE.control, CITY, "Šiauliai");
  }
  out.push({
    occurred_at: "2018-12-31T23:30:00+02:00",
    category: "robbery",
    case_type: "pre_trial_investigation",
    ...FIXTURE.kursenai,
    municipality: DISTRICT,
    locality: "Kuršėnai",
  });
  out.push({
    occurred_at: "2019-01-01T00:30:00+02:00",
    category: "robbery",
    case_type: "pre_trial_investigation",
    ...FIXTURE.kursenai,
    municipality: DISTRICT,
    locality: "Kuršėnai",
  });
  for (let year = 2017; year <= 2019; year++) {
    for (let month = 1; month <= 12; month++)
      add(1, `${year}-${String(month).padStart(2, "0")}-15`, "fraud", "pre_trial_investigation", FIXTURE.control, CITY, "Šiauliai");
  }
  return out;
}

/** Writes the fixture lake into a new temporary folder and returns the lake path (`moreDrugs`: see rows). */
export async function buildFixtureLake(options: { moreDrugs?: number } = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "evaluation-"));
  const lake = join(dir, "lake");
  await mkdir(join(lake, "incidents"), { recursive: true });
  const json = join(dir, "incidents.json");
  const records = rows(options.moreDrugs).map((r, i) => ({ id: `FX-${i + 1}`, ...r, h3_cell: latLngToCell(r.lat, r.lon, 8), source_line: i + 2 }));
  await writeFile(json, JSON.stringify(records));
  await withConnection((c) =>
    c.run(`COPY (
        SELECT id, occurred_at::TIMESTAMPTZ AS occurred_at, 'minute' AS time_precision, 'TEST 1' AS offence_code, category AS offence_category, case_type,
               lat, lon, municipality, locality, 'fixture' AS source, h3_cell, 'fixture.csv' AS source_file, source_line::INTEGER AS source_line,
               strftime(timezone('Europe/Vilnius', occurred_at::TIMESTAMPTZ), '%Y-%m') AS month
          FROM read_json(${sqlLiteral(json)}))
      TO ${sqlLiteral(join(lake, "incidents"))} (FORMAT parquet, PARTITION_BY (month), FILENAME_PATTERN 'fixture_{i}')`),
  );
  // Listed in a manifest like an ingest's, so that the evaluation reads the aggregates built from them.
  const incidents: Manifest["tables"][string] = {};
  for (const month of await readdir(join(lake, "incidents"))) {
    for (const file of await readdir(join(lake, "incidents", month))) {
      const path = join(lake, "incidents", month, file);
      const rows = await withConnection(async (c) =>
        Number((await c.runAndReadAll(`SELECT count(*) FROM read_parquet(${sqlLiteral(path)})`)).getRows()[0]![0]),
      );
      incidents[`incidents/${month}/${file}`] = {
        month: month.slice("month=".length),
        source: file.replace(/\.parquet$/, ""),
        rows,
        sha256: await sha256File(path),
      };
    }
  }
  const manifest: Manifest = { format: 1, timezone: "Europe/Vilnius", h3_resolution: 8, tables: { incidents }, sources: {} };
  await writeFile(join(lake, MANIFEST_FILE), JSON.stringify(manifest));
  await ensureAggregates(lake);
  return lake;
}
