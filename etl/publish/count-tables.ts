import type { DuckDBConnection } from "@duckdb/node-api";
import type { MonthlyCount, YearlyCount } from "../../dashboard/data-contract.ts";
import { lakeLayout } from "../lake/lake-layout.ts";
import { queryRows } from "./lake-query.ts";

// Counts below $threshold leave the lake as NULL: the suppression happens in SQL, before any count
// reaches JavaScript, so no code path can publish the small number by mistake.
const SUPPRESSED = "CASE WHEN count(*) < $threshold THEN NULL ELSE count(*)::INTEGER END";

/** Incidents per month, category and municipality (sensitive categories included: this is municipality level). */
export function monthlyCounts(connection: DuckDBConnection, lakeDir: string, threshold: number): Promise<MonthlyCount[]> {
  return queryRows<MonthlyCount>(
    connection,
    `SELECT month, offence_category AS category, coalesce(municipality, '') AS municipality, ${SUPPRESSED} AS count
       FROM read_parquet($glob, hive_partitioning = true)
      GROUP BY ALL ORDER BY month, category, municipality`,
    { glob: lakeLayout.glob(lakeLayout.incidentsDir(lakeDir)), threshold },
  );
}

/** Incidents per year and category over the study area, and per year in total ("all"), suppressed at that level. */
export function yearlyCounts(connection: DuckDBConnection, lakeDir: string, threshold: number): Promise<YearlyCount[]> {
  return queryRows<YearlyCount>(
    connection,
    `SELECT substr(month, 1, 4) AS year, coalesce(offence_category, 'all') AS category, ${SUPPRESSED} AS count
       FROM read_parquet($glob, hive_partitioning = true)
      GROUP BY GROUPING SETS ((year, offence_category), (year))
      ORDER BY year, category`,
    { glob: lakeLayout.glob(lakeLayout.incidentsDir(lakeDir)), threshold },
  );
}

/** Incidents ingested per input file and month; `name` is the file's key in the manifest (its name up to the first dot). */
export function monthlyCountsBySource(connection: DuckDBConnection, lakeDir: string, threshold: number): Promise<Array<{ file: string; month: string; count: number | null }>> {
  return queryRows(
    connection,
    `SELECT source_file AS file, month, ${SUPPRESSED} AS count
       FROM read_parquet($glob, hive_partitioning = true)
      GROUP BY ALL ORDER BY file, month`,
    { glob: lakeLayout.glob(lakeLayout.incidentsDir(lakeDir)), threshold },
  );
}
