import { Stack } from "aws-cdk-lib";
import { CfnNamedQuery, CfnWorkGroup } from "aws-cdk-lib/aws-athena";
import { CfnDatabase, CfnTable } from "aws-cdk-lib/aws-glue";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { Bucket, IBucket } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { ALL_TABLES, type ColumnType, type LakeTable } from "../../etl/lake/tables.ts";
import { SecureBucket } from "./secure-bucket.ts";
import { stackResourceNames } from "./stack-names.ts";

/** A column as Glue (Hive DDL types) declares it. */
export interface GlueColumn {
  name: string;
  type: string;
}

/**
 * A lake table as Glue declares it: its folder under the lake, its columns, and the Hive partition
 * key of its sub-folders (`month=YYYY-MM/`, `evaluation=<id>/`, `project=<id>/`) or null.
 */
export interface LakeTableDefinition {
  name: string;
  folder: string;
  partitionKey: LakeTable["partition"];
  partitioned: boolean;
  description: string;
  columns: readonly GlueColumn[];
}

/** The Hive DDL type Glue declares for each column type of the lake. */
const HIVE_TYPES: Record<ColumnType, string> = {
  VARCHAR: "string",
  INTEGER: "int",
  DOUBLE: "double",
  TINYINT: "tinyint",
  BOOLEAN: "boolean",
  TIMESTAMPTZ: "timestamp",
};

/** Every table of the lake's registry (etl/lake/tables.ts) as a Glue table; a test compares them with real Parquet files. */
export const LAKE_TABLES: readonly LakeTableDefinition[] = ALL_TABLES.map((table) => ({
  name: table.name,
  folder: table.folder,
  partitionKey: table.partition,
  partitioned: table.partition !== null,
  description: table.description,
  columns: Object.entries(table.columns).map(([name, type]) => ({ name, type: HIVE_TYPES[type] })),
}));

/**
 * Partition projection of a table's key: months as dates from 2000-01 to now (empty ones cost
 * nothing); evaluation and project ids, which cannot be known at deploy time, injected from the
 * query (Athena then needs `WHERE evaluation = '…'` or `project = '…'`).
 */
function projection(key: string, location: string): Record<string, string> {
  const common = { "projection.enabled": "true", "storage.location.template": `${location}${key}=\${${key}}/` };
  if (key !== "month") return { ...common, [`projection.${key}.type`]: "injected" };
  return {
    ...common,
    "projection.month.type": "date",
    "projection.month.format": "yyyy-MM",
    "projection.month.range": "2000-01,NOW",
    "projection.month.interval": "1",
    "projection.month.interval.unit": "MONTHS",
  };
}

/** The Glue database of the default stack (`Hotspots`); each stack's own is `stackResourceNames(…).glueDatabase`. */
export const GLUE_DATABASE = "hotspots";

/**
 * The saved queries. `cell-month-counts` is the input of Gi* (etl/analytics/monthly-counts.ts) as
 * Athena SQL, for lakes too large for one machine: it sums the `cell_counts` aggregate ingest writes
 * beside each incident partition (a few rows per cell and month) rather than counting incident rows,
 * so it scans a small fraction of the bytes. Partition projection prunes by `month`, so a
 * `WHERE month BETWEEN …` reads only those folders.
 */
export function athenaQueries(database: string) {
  return {
    "cell-month-counts": {
      description: "Incidents per month, offence category and H3 cell (the input of Gi*)",
      sql: `SELECT month, offence_category AS category, h3_cell AS cell, CAST(sum(incidents) AS integer) AS count
FROM ${database}.cell_counts
WHERE month BETWEEN '2019-01' AND '2019-12'
GROUP BY month, offence_category, h3_cell
ORDER BY month, category, cell`,
    },
    "hot-spots-of-a-month": {
      description: "Cells that are hot spots at 95 % or 99 % confidence after FDR control, in one month",
      sql: `SELECT category, h3_cell, incidents, gi_z, p_value, gi_bin_fdr
FROM ${database}.hot_spots
WHERE month = '2019-03' AND gi_bin_fdr >= 2
ORDER BY category, gi_z DESC`,
    },
    "quarantine-by-reason": {
      description: "Refused rows per input file and reason (maintenance workgroup: the quarantine holds raw lines)",
      maintenance: true,
      sql: `SELECT file, code, count(*) AS rows
FROM ${database}.quarantine
GROUP BY file, code
ORDER BY file, rows DESC`,
    },
  } as const;
}

/** A saved query; `maintenance`: in the maintainers' workgroup (it reads what analysts may not). */
interface SavedQuery {
  description: string;
  sql: string;
  maintenance?: boolean;
}

/** Where each workgroup's query results go in the results bucket: the analysts' role reads its own prefix only. */
export const ATHENA_RESULT_PREFIXES = { analysts: "results", maintainers: "maintenance" } as const;

/** The saved queries over the default stack's database (what the tests run in DuckDB). */
export const ATHENA_QUERIES = athenaQueries(GLUE_DATABASE);

export interface LakeCatalogProps {
  curated: IBucket;
  /** The lake's key prefix in the curated bucket (`lake`). */
  lakePrefix: string;
  lakeKey: IKey;
  accessLogs: Bucket;
}

/**
 * The lake for Athena: a Glue database with one table per lake table over the curated Parquet,
 * partitioned with partition projection (no crawler, no MSCK REPAIR: every month from 2000-01 to now
 * is a partition by definition and empty ones cost nothing; see `projection`), and an Athena workgroup
 * whose settings users cannot override: engine 3, results encrypted with the lake's KMS key in a
 * results bucket that forgets them after 30 days, and a per-query scan limit against runaway costs.
 */
export class LakeCatalog extends Construct {
  readonly database: CfnDatabase;
  readonly databaseName: string;
  readonly workGroup: CfnWorkGroup;
  /** The maintainers' workgroup (LakeMaintainerRole): its results under their own prefix. */
  readonly maintenanceWorkGroup: CfnWorkGroup;
  readonly results: Bucket;

  constructor(scope: Construct, id: string, props: LakeCatalogProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    const names = stackResourceNames(this);
    this.databaseName = names.glueDatabase;
    this.database = new CfnDatabase(this, "Database", {
      catalogId: account,
      databaseInput: { name: this.databaseName, description: "Crime hot-spot lake (curated Parquet)" },
    });
    const base = `s3://${props.curated.bucketName}/${props.lakePrefix}`;
    for (const table of LAKE_TABLES) {
      const location = `${base}/${table.folder}/`;
      const cfn = new CfnTable(this, `Table-${table.name}`, {
        catalogId: account,
        databaseName: this.databaseName,
        tableInput: {
          name: table.name,
          description: table.description,
          tableType: "EXTERNAL_TABLE",
          parameters: {
            classification: "parquet",
            EXTERNAL: "TRUE",
            ...(table.partitionKey === null ? {} : projection(table.partitionKey, location)),
          },
          partitionKeys: table.partitionKey === null ? [] : [{ name: table.partitionKey, type: "string" }],
          storageDescriptor: {
            location,
            columns: table.columns.map((c) => ({ name: c.name, type: c.type })),
            inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            serdeInfo: { serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" },
          },
        },
      });
      cfn.addResourceDependency(this.database);
    }

    this.results = new SecureBucket(this, "AthenaResults", { accessLogs: props.accessLogs, encryptionKey: props.lakeKey, expireAfterDays: 30 }).bucket;
    const workGroup = (id: string, name: string, description: string, prefix: string) =>
      new CfnWorkGroup(this, id, {
        name,
        description,
        state: "ENABLED",
        recursiveDeleteOption: false,
        workGroupConfiguration: {
          enforceWorkGroupConfiguration: true,
          publishCloudWatchMetricsEnabled: true,
          bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
          engineVersion: { selectedEngineVersion: "Athena engine version 3" },
          resultConfiguration: {
            outputLocation: `s3://${this.results.bucketName}/${prefix}/`,
            encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKey: props.lakeKey.keyArn },
          },
        },
      });
    this.workGroup = workGroup("WorkGroup", names.athenaWorkGroup, "Queries over the crime hot-spot lake", ATHENA_RESULT_PREFIXES.analysts);
    this.maintenanceWorkGroup = workGroup(
      "MaintenanceWorkGroup",
      `${names.athenaWorkGroup}-maintenance`,
      "Maintainers' queries over every lake table, the quarantine included; results apart from the analysts'",
      ATHENA_RESULT_PREFIXES.maintainers,
    );
    for (const [name, query] of Object.entries(athenaQueries(this.databaseName)) as Array<[string, SavedQuery]>) {
      const named = new CfnNamedQuery(this, `Query-${name}`, {
        name,
        description: query.description,
        database: this.databaseName,
        workGroup: (query.maintenance ? this.maintenanceWorkGroup : this.workGroup).name,
        queryString: query.sql,
      });
      named.addResourceDependency(query.maintenance ? this.maintenanceWorkGroup : this.workGroup);
      named.addResourceDependency(this.database);
    }
  }
}
