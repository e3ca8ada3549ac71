import type { DuckDBConnection } from "@duckdb/node-api";
import type { MonthlyCount, YearlyCount } from "../../dashboard/data-contract.ts";
import { lakeLayout } from "../lake/lake-layout.ts";
import { queryRows } from "./lake-query.ts";

// Counts below $threshold leave the lake as NULL: the suppression happens in SQL, before any count
// reaches JavaScript, so no code path can publish the small number by mistake. Counts are summed
// from `publish_counts` (see countTables) before they are compared with the threshold.
const SUPPRESSED = "CASE WHEN sum(n) < $threshold THEN NULL ELSE sum(n)::INTEGER END";

/** The dashboard's count tables, suppressed at their own level. */
export interface CountTables {
  monthly: MonthlyCount[];
  yearly: YearlyCount[];
  bySource: Array<{ file: string; month: string; count: number | null }>;
}

/**
 * The three count tables from one scan of the incident table: incidents per month, category,
 * municipality and input file are gathered once into a temporary table, and each table sums them
 * to its own level before suppressing.
 * - monthly: per month, category and municipality (sensitive categories included: this is municipality level);
 * - yearly: per year and category over the study area, and per year in total ("all");
 * - bySource: per input file and month; `file` is the file's key in the manifest (its name up to the first dot).
 */
export async function countTables(connection: DuckDBConnection, lakeDir: string, threshold: number): Promise<CountTables> {
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE publish_counts AS
       SELECT month, offence_category AS category, coalesce(municipality, '') AS municipality, source_file AS file, count(*) AS n
         FROM read_parquet($glob, hive_partitioning = true)
        GROUP BY ALL`,
    { glob: lakeLayout.glob(lakeLayout.incidentsDir(lakeDir)) },
  );
  const monthly = await queryRows<MonthlyCount>(
    connection,
    `SELECT month, category, municipality, ${SUPPRESSED} AS count FROM publish_counts GROUP BY ALL ORDER BY month, category, municipality`,
    { threshold },
  );
  const yearly = await queryRows<YearlyCount>(
    connection,
    `SELECT substr(month, 1, 4) AS year, coalesce(category, 'all') AS category, ${SUPPRESSED} AS count
       FROM publish_counts
      GROUP BY GROUPING SETS ((year, category), (year))
      ORDER BY year, category`,
    { threshold },
  );
  const bySource = await queryRows<CountTables["bySource"][number]>(
    connection,
    `SELECT file, month, ${SUPPRESSED} AS count FROM publish_counts GROUP BY ALL ORDER BY file, month`,
    { threshold },
  );
  await connection.run("DROP TABLE publish_counts");
  return { monthly, yearly, bySource };
}
