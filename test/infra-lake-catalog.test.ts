/**
 * The Glue tables declare what the pipeline really writes: their columns are compared with the
 * schema of Parquet files produced by the ingest and analyse stages, and the Athena named queries
 * run (in DuckDB, over the same files, as views named like the Glue tables) and give what the ETL
 * computes.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCellMonthCounts } from "../etl/analytics/monthly-counts.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { analyseStage, ingestStage } from "../etl/pipeline.ts";
import { defaultSettings } from "../etl/settings.ts";
import { ATHENA_QUERIES, GLUE_DATABASE, LAKE_TABLES } from "../infra/lib/lake-catalog.ts";
import { projectRoot } from "./helpers/shared.ts";

let dir: string;
let lake: string;

/** DuckDB's type of a Parquet column, as Hive DDL (what Glue declares) names it. */
const HIVE: Record<string, string> = { VARCHAR: "string", "TIMESTAMP WITH TIME ZONE": "timestamp", DOUBLE: "double", INTEGER: "int", TINYINT: "tinyint" };
const glob = (folder: string, partitioned: boolean) => join(lake, folder, ...(partitioned ? ["*", "*.parquet"] : ["*.parquet"]));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lake-catalog-"));
  lake = join(dir, "lake");
  const lines = gunzipSync(await readFile(join(projectRoot, "data", "incidents", "siauliai-2015-2021.csv.gz"))).toString("utf8").trimEnd().split("\n");
  const file = join(dir, "q1.csv");
  await writeFile(file, `${[lines[0], ...lines.slice(1).filter((l) => /,2019-0[123]-/.test(l)), "SIA-X,bad time,,theft,x,1,1,,,x"].join("\n")}\n`);
  const settings = defaultSettings({ lakeDir: lake });
  await ingestStage([file], settings);
  await analyseStage(settings);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("Glue tables", () => {
  for (const table of LAKE_TABLES) {
    it(`${table.name}: the columns, in order and type, of the Parquet files the pipeline writes`, async () => {
      const described = await withConnection(async (c) =>
        (await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${glob(table.folder, table.partitioned)}', hive_partitioning = false)`)).getRowObjectsJS(),
      );
      expect(described.map((d) => ({ name: d.column_name, type: HIVE[String(d.column_type)] ?? String(d.column_type) }))).toEqual(table.columns);
    });
  }
});

describe("Athena named queries", () => {
  const run = (sql: string) =>
    withConnection(async (c) => {
      await c.run(`CREATE SCHEMA ${GLUE_DATABASE}`);
      for (const t of LAKE_TABLES) {
        await c.run(`CREATE VIEW ${GLUE_DATABASE}.${t.name} AS SELECT * FROM read_parquet('${glob(t.folder, t.partitioned)}', hive_partitioning = ${t.partitioned})`);
      }
      return (await c.runAndReadAll(sql)).getRowObjectsJS();
    });

  it("the hot-spot aggregation gives the ETL's own cell-month counts", async () => {
    const athena = await run(ATHENA_QUERIES["cell-month-counts"].sql.replace("'2019-12'", "'2019-02'"));
    const etl = (await withConnection((c) => readCellMonthCounts(c, lake))).filter((r) => r.month <= "2019-02");
    expect(athena.length).toBeGreaterThan(100);
    expect(athena).toEqual(etl);
  });

  it("the other saved queries run over the same tables", async () => {
    expect((await run(ATHENA_QUERIES["hot-spots-of-a-month"].sql)).length).toBeGreaterThan(0);
    expect(await run(ATHENA_QUERIES["quarantine-by-reason"].sql)).toEqual([{ file: "q1.csv", code: expect.any(String), rows: 1n }]);
  });
});
