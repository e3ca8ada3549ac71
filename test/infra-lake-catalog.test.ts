/**
 * The Glue tables declare what the pipeline really writes: every table of the lake's registry is a
 * Glue table with the same folder, partition key and columns; their columns are compared with the
 * schema of Parquet files produced by the ingest, context and analyse stages, and the Athena named queries
 * run (in DuckDB, over the same files, as views named like the Glue tables) and give what the ETL
 * computes.
 */
import { readdirSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCellMonthCounts } from "../etl/analytics/monthly-counts.ts";
import { withConnection, withConnections } from "../etl/duckdb/connection.ts";
import { ALL_TABLES, TABLES } from "../etl/lake/tables.ts";
import { analyseStage, contextStage, ingestStage } from "../etl/pipeline.ts";
import { defaultSettings } from "../etl/settings.ts";
import { ATHENA_QUERIES, GLUE_DATABASE, LAKE_TABLES } from "../infra/lib/lake-catalog.ts";
import { buildInfra } from "./helpers/infra-app.ts";
import { projectRoot } from "./helpers/shared.ts";

let dir: string;
let lake: string;

/** DuckDB's type of a Parquet column, as Hive DDL (what Glue declares) names it. */
const HIVE: Record<string, string> = {
  VARCHAR: "string",
  "TIMESTAMP WITH TIME ZONE": "timestamp",
  TIMESTAMPTZ: "timestamp",
  DOUBLE: "double",
  INTEGER: "int",
  TINYINT: "tinyint",
  BOOLEAN: "boolean",
};
const glob = (folder: string, partitioned: boolean) => join(lake, ...folder.split("/"), ...(partitioned ? ["*", "*.parquet"] : ["*.parquet"]));
/** The tables this small lake has files of (ingest, context, analyse; the analytics and evaluation tables are checked where their stages run). */
const WRITTEN = [
  "incidents",
  "cell_counts",
  "day_counts",
  "quarantine",
  "hot_spots",
  "exposure",
  "projects",
  "project_indicators",
  "project_checkpoints",
  "project_outcome_evaluations",
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lake-catalog-"));
  lake = join(dir, "lake");
  const lines = gunzipSync(await readFile(join(projectRoot, "data", "incidents", "siauliai-2015-2021.csv.gz")))
    .toString("utf8")
    .trimEnd()
    .split("\n");
  const file = join(dir, "q1.csv");
  await writeFile(file, `${[lines[0], ...lines.slice(1).filter((l) => /,2019-0[123]-/.test(l)), "SIA-X,bad time,,theft,x,1,1,,,x"].join("\n")}\n`);
  const settings = defaultSettings({ lakeDir: lake });
  await ingestStage([file], settings);
  await contextStage(settings);
  await analyseStage(settings);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("Glue tables", () => {
  it("every table of the lake's registry, with its folder, partition key and columns in order", () => {
    expect(LAKE_TABLES.map((t) => t.name)).toEqual(ALL_TABLES.map((t) => t.name));
    for (const table of ALL_TABLES) {
      const glue = LAKE_TABLES.find((t) => t.name === table.name)!;
      expect({ folder: glue.folder, partition: glue.partitionKey }).toEqual({ folder: table.folder, partition: table.partition });
      expect(glue.columns).toEqual(Object.entries(table.columns).map(([name, type]) => ({ name, type: HIVE[type] })));
    }
    // Glue reads every file under a table's location: no table's folder may hold another's.
    for (const a of ALL_TABLES)
      for (const b of ALL_TABLES) if (a !== b) expect(`${b.folder}/`.startsWith(`${a.folder}/`), `${b.name} inside ${a.name}`).toBe(false);
  });

  for (const table of LAKE_TABLES.filter((t) => WRITTEN.includes(t.name))) {
    it(`${table.name}: the columns, in order and type, of the Parquet files the pipeline writes`, async () => {
      const described = await withConnection(async (c) =>
        (await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${glob(table.folder, table.partitioned)}', hive_partitioning = false)`)).getRowObjectsJS(),
      );
      expect(described.map((d) => ({ name: d.column_name, type: HIVE[String(d.column_type)] ?? String(d.column_type) }))).toEqual(table.columns);
    });
  }
});

describe("the aggregate tables on the synthesised template", () => {
  const template = buildInfra({ access: "waf" }).main;
  const glue = Object.values(template.findResources("AWS::Glue::Table")).map((r) => r.Properties.TableInput);

  for (const table of [TABLES.cell_counts, TABLES.day_counts]) {
    it(`${table.name}: over lake/${table.folder}/, one partition per month=YYYY-MM as ingest stores it, the registry's columns`, () => {
      const cfn = glue.find((g) => g.Name === table.name);
      expect(cfn, table.name).toBeDefined();
      const location = (suffix: string) => ({
        "Fn::Join": ["", ["s3://", { Ref: expect.stringMatching(/^StorageCurated/) }, `/lake/${table.folder}/${suffix}`]],
      });
      expect(cfn.StorageDescriptor.Location).toEqual(location(""));
      expect(cfn.PartitionKeys).toEqual([{ Name: "month", Type: "string" }]);
      expect(cfn.Parameters).toMatchObject({
        classification: "parquet",
        "projection.enabled": "true",
        "projection.month.type": "date",
        "projection.month.format": "yyyy-MM",
        "storage.location.template": location("month=${month}/"),
      });
      expect(cfn.StorageDescriptor.Columns).toEqual(Object.entries(table.columns).map(([Name, type]) => ({ Name, Type: HIVE[type] })));
      // The files ingest wrote sit where the template's location template points.
      const months = readdirSync(join(lake, table.folder)).sort();
      expect(months).toEqual(["month=2019-01", "month=2019-02", "month=2019-03"]);
    });
  }
});

describe("Athena named queries", () => {
  // A database of its own (withConnections): the schema and views are not connection-local, and
  // withConnection's instance is shared by the process.
  const run = (sql: string) =>
    withConnections(1, async ([connection]) => {
      const c = connection!;
      await c.run(`CREATE SCHEMA ${GLUE_DATABASE}`);
      for (const t of LAKE_TABLES.filter((t) => WRITTEN.includes(t.name))) {
        await c.run(
          `CREATE VIEW ${GLUE_DATABASE}.${t.name} AS SELECT * FROM read_parquet('${glob(t.folder, t.partitioned)}', hive_partitioning = ${t.partitioned})`,
        );
      }
      return (await c.runAndReadAll(sql)).getRowObjectsJS();
    });

  it("the hot-spot aggregation gives the ETL's own cell-month counts, and the incident rows' count", async () => {
    const athena = await run(ATHENA_QUERIES["cell-month-counts"].sql.replace("'2019-12'", "'2019-02'"));
    const etl = (await withConnection((c) => readCellMonthCounts(c, lake))).filter((r) => r.month <= "2019-02");
    expect(athena.length).toBeGreaterThan(100);
    expect(athena).toEqual(etl);
    // The saved query sums the aggregate; counted from the incident rows themselves, the figures are the same.
    const fromIncidents = await run(`SELECT month, offence_category AS category, h3_cell AS cell, CAST(count(*) AS integer) AS count
FROM ${GLUE_DATABASE}.incidents WHERE month BETWEEN '2019-01' AND '2019-02'
GROUP BY month, offence_category, h3_cell ORDER BY month, category, cell`);
    expect(athena).toEqual(fromIncidents);
  });

  it("the other saved queries run over the same tables", async () => {
    expect((await run(ATHENA_QUERIES["hot-spots-of-a-month"].sql)).length).toBeGreaterThan(0);
    expect(await run(ATHENA_QUERIES["quarantine-by-reason"].sql)).toEqual([{ file: "q1.csv", code: expect.any(String), rows: 1n }]);
  });
});
