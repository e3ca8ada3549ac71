import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { latLngToCell } from "h3-js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readLakeCounts } from "../etl/analytics/lake-counts.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { aggregatesCurrent, ensureAggregates } from "../etl/lake/aggregates.ts";
import { checkLake } from "../etl/lake/check-lake.ts";
import { MANIFEST_FILE, type Manifest } from "../etl/lake/manifest.ts";
import { tableSource } from "../etl/lake/table-reader.ts";
import { TABLES } from "../etl/lake/tables.ts";
import { MONTHLY_STAGES, stagesScope } from "../etl/stages.ts";
import { canonicalSource, projectRoot } from "./helpers/shared.ts";

// Six rows are kept (see ingest-file.test.ts): T-2 in May; T-1 (2019-05-31T23:30Z = 02:30 on 1 June in
// Vilnius), T-6 and T-14 (12:00 on 1 June) at one point, T-3 and T-4 in Kuršėnai, in June.
const FIXTURE = join(projectRoot, "test", "fixtures", "incidents-small.csv");
const source = await canonicalSource();
let dir: string;
let lake: string;
const options = () => ({ lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", now: Date.UTC(2026, 0, 1), source });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "aggregates-"));
  lake = join(dir, "lake");
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const manifestOf = async (): Promise<Manifest> => JSON.parse(await readFile(join(lake, MANIFEST_FILE), "utf8")) as Manifest;
const rows = (sql: string) => withConnection(async (c) => (await c.runAndReadAll(sql)).getRowObjectsJson());

describe("aggregates written by ingest", () => {
  it("counts each partition by cell, category, case type and municipality, and by local day and hour", async () => {
    const file = join(dir, "export.csv");
    await copyFile(FIXTURE, file);
    await ingestFile(file, options());
    const cellA = latLngToCell(55.9335, 23.3142, 8);
    const cells = await rows(
      `SELECT month, h3_cell, offence_category, case_type, municipality, incidents FROM ${await tableSource(lake, TABLES.cell_counts)} ORDER BY ALL`,
    );
    expect(cells.filter((r) => r.h3_cell === cellA)).toEqual([
      { month: "2019-05", h3_cell: cellA, offence_category: "theft", case_type: "pre_trial_investigation", municipality: "Šiaulių m. sav.", incidents: 1 },
      { month: "2019-06", h3_cell: cellA, offence_category: "theft", case_type: "pre_trial_investigation", municipality: "Šiaulių m. sav.", incidents: 3 },
    ]);
    const days = await rows(
      `SELECT day, hour, offence_code, case_type, locality, incidents FROM ${await tableSource(lake, TABLES.day_counts)} ORDER BY day, hour, offence_code`,
    );
    // Days and hours are Vilnius's: T-1 at 23:30 UTC is 02:30 on the next day; T-2 at 20:00 UTC is 23:00.
    expect(days).toEqual([
      { day: "2019-05-31", hour: 23, offence_code: "BK 178", case_type: "pre_trial_investigation", locality: "Šiauliai", incidents: 1 },
      { day: "2019-06-01", hour: 2, offence_code: "BK 178", case_type: "pre_trial_investigation", locality: "Šiauliai", incidents: 1 },
      { day: "2019-06-01", hour: 12, offence_code: "BK 178", case_type: "pre_trial_investigation", locality: "Šiauliai", incidents: 2 },
      { day: "2019-06-15", hour: 12, offence_code: "BK 259", case_type: "pre_trial_investigation", locality: "Kuršėnai", incidents: 1 },
      { day: "2019-06-16", hour: 12, offence_code: "ANK 71", case_type: "administrative_offence", locality: "Kuršėnai", incidents: 1 },
    ]);
    // Listed like the incidents: same month and export name, rows, SHA-256, and the partition they count.
    const manifest = await manifestOf();
    const incidentKeys = Object.keys(manifest.tables.incidents!).sort();
    for (const table of ["cell_counts", "day_counts"]) {
      const entries = manifest.tables[table]!;
      expect(Object.keys(entries).sort()).toEqual(incidentKeys.map((k) => k.replace(/^incidents\//, `${table}/`)));
      for (const key of incidentKeys) expect(entries[key.replace(/^incidents\//, `${table}/`)]!.input_sha256).toBe(manifest.tables.incidents![key]!.sha256);
    }
    expect(manifest.tables.cell_counts!["cell_counts/month=2019-06/" + incidentKeys[1]!.split("/")[2]]!.rows).toBe(3);
    expect((await checkLake(lake)).ok).toBe(true);
  });

  it("drops a month's aggregates with the month when a corrected export (--replace) no longer holds it", async () => {
    const file = join(dir, "export.csv");
    await copyFile(FIXTURE, file);
    await ingestFile(file, options());
    const text = await readFile(FIXTURE, "utf8");
    await writeFile(
      file,
      text
        .split("\n")
        .filter((line) => !line.startsWith("T-2,"))
        .join("\n"),
    );
    await ingestFile(file, { ...options(), replace: true });
    const manifest = await manifestOf();
    expect(Object.values(manifest.tables.cell_counts!).map((e) => e.month)).toEqual(["2019-06"]);
    expect(Object.values(manifest.tables.day_counts!).map((e) => e.month)).toEqual(["2019-06"]);
    expect(aggregatesCurrent(manifest)).toBe(true);
    expect(await checkLake(lake)).toMatchObject({ ok: true, strays: [] });
  });
});

describe("ensureAggregates on a lake written before the aggregates", () => {
  it("builds the same files once, through one commit, and then does nothing", async () => {
    await ingestFile(FIXTURE, options());
    const written = await manifestOf();
    // The lake as an older version left it: incidents only.
    const old: Manifest = { ...written, tables: { ...written.tables } };
    delete old.tables.cell_counts;
    delete old.tables.day_counts;
    await rm(join(lake, "cell_counts"), { recursive: true });
    await rm(join(lake, "day_counts"), { recursive: true });
    await writeFile(join(lake, MANIFEST_FILE), JSON.stringify(old));
    expect(aggregatesCurrent(old)).toBe(false);
    // Until then a reader refuses rather than count nothing, and says how to build them.
    await expect(withConnection((c) => readLakeCounts(c, lake, 8))).rejects.toThrow(
      /2 incident partition\(s\) without current aggregates.*hotspots publish --no-build/,
    );

    expect(await ensureAggregates(lake)).toEqual({ counted: 2, removed: 0 });
    const rebuilt = await manifestOf();
    // Byte for byte what the ingest wrote.
    expect(rebuilt.tables.cell_counts).toEqual(written.tables.cell_counts);
    expect(rebuilt.tables.day_counts).toEqual(written.tables.day_counts);
    expect((await checkLake(lake)).ok).toBe(true);
    expect(await ensureAggregates(lake)).toEqual({ counted: 0, removed: 0 });
  });

  it("sums to the incidents' own counts (a second implementation: GROUP BY over the rows)", async () => {
    // The bundled export's first 4,000 rows: several years, every category, municipality and locality.
    const text = gunzipSync(await readFile(join(projectRoot, "data", "incidents", "siauliai-2015-2021.csv.gz"))).toString("utf8");
    const file = join(dir, "bundled-head.csv");
    await writeFile(file, text.split("\n").slice(0, 4001).join("\n"));
    await ingestFile(file, options());
    const compare = async (byIncidents: string, byAggregate: string) => {
      const sql = (from: string, select: string) => `SELECT ${select} FROM ${from} GROUP BY ALL ORDER BY ALL`;
      const a = await rows(sql(await tableSource(lake, TABLES.incidents), byIncidents));
      const b = await rows(
        sql(await tableSource(lake, TABLES[byAggregate.startsWith("day") ? "day_counts" : "cell_counts"]), byAggregate.replace(/^day:|^cell:/, "")),
      );
      expect(b).toEqual(a);
      return a.length;
    };
    expect(
      await compare(
        "month, h3_cell, offence_category, case_type, municipality, count(*)::INTEGER AS n",
        "cell:month, h3_cell, offence_category, case_type, municipality, sum(incidents)::INTEGER AS n",
      ),
    ).toBeGreaterThan(1000);
    await compare(
      "strftime(timezone('Europe/Vilnius', occurred_at), '%Y-%m-%d') AS day, (hour(timezone('Europe/Vilnius', occurred_at)) // 6)::INTEGER AS block, locality, offence_code, count(*)::INTEGER AS n",
      "day:day, (hour // 6)::INTEGER AS block, locality, offence_code, sum(incidents)::INTEGER AS n",
    );
  });
});

describe("what the monthly run mirrors", () => {
  it("the manifest and the aggregates, never incidents/ or quarantine/ unless a lake needs its aggregates built", () => {
    const scope = stagesScope(MONTHLY_STAGES);
    expect(scope).toEqual(expect.arrayContaining(["manifest.json", "cell_counts/", "day_counts/"]));
    expect(scope.filter((path) => path.startsWith("incidents") || path.startsWith("quarantine"))).toEqual([]);
    expect(stagesScope(MONTHLY_STAGES, { withIncidents: true })).toContain("incidents/");
  });
});
