import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { cellToBoundary } from "h3-js";
import { listValue, type DuckDBConnection } from "@duckdb/node-api";
import {
  DASHBOARD_DATA_FILES,
  type DashboardMeta,
  type HexagonCollection,
  type HotspotRow,
  type MonthlyCount,
  type MunicipalityCollection,
  type YearlyCount,
} from "../../dashboard/data-contract.ts";
import { ALL_CATEGORIES } from "../analytics/analyse-lake.ts";
import type { MunicipalityCollection as Boundaries } from "../analytics/study-area.ts";
import { withConnection } from "../duckdb/connection.ts";
import { writeTextAtomically } from "../lake/atomic-file.ts";
import { lakeLayout } from "../lake/lake-layout.ts";
import type { Manifest } from "../lake/manifest.ts";

export interface PublishOptions {
  lakeDir: string;
  outDir: string;
  manifest: Manifest;
  /** Outlines drawn under the hexagons (the study-area municipalities). */
  municipalities: Boundaries;
  suppressionThreshold: number;
  /** Categories published only at municipality level, never per cell. */
  sensitiveCategories: ReadonlySet<string>;
  k: number;
  attribution: string;
}

/** What publish wrote, for the CLI summary and the privacy checks. */
export interface PublishSummary {
  files: Record<string, number>;
  suppressed_counts: number;
  hot_spot_rows: number;
}

/**
 * Writes the dashboard's data files (see dashboard/data-contract.ts) from the lake: aggregates only.
 * Monthly counts by municipality and category with small counts suppressed, and the non-zero Gi*
 * bins per cell for non-sensitive categories. No incident id, timestamp or coordinate leaves the lake.
 */
export async function publishDashboardData(options: PublishOptions): Promise<PublishSummary> {
  await mkdir(options.outDir, { recursive: true });
  return withConnection(async (connection) => {
    const counts = await monthlyCounts(connection, options);
    const yearly = await yearlyCounts(connection, options);
    const hotspots = await hotSpotRows(connection, options);
    const months = [...new Set([...counts.map((c) => c.month), ...hotspots.map((h) => h.month)])].sort();
    const categories = [...new Set(counts.map((c) => c.category))].sort();
    const sources = Object.values(options.manifest.sources);
    const meta: DashboardMeta = {
      generated_at: new Date().toISOString(),
      attribution: options.attribution,
      suppression_threshold: options.suppressionThreshold,
      resolution: options.manifest.h3_resolution,
      k: options.k,
      timezone: options.manifest.timezone,
      months,
      categories: [ALL_CATEGORIES, ...categories],
      summary: {
        rows_read: sources.reduce((s, f) => s + f.rows_read, 0),
        rows_ingested: sources.reduce((s, f) => s + f.rows_ingested, 0),
        rows_quarantined: sources.reduce((s, f) => s + f.rows_quarantined, 0),
      },
    };
    const files: Record<string, unknown> = {
      [DASHBOARD_DATA_FILES.meta]: meta,
      [DASHBOARD_DATA_FILES.monthlyCounts]: counts,
      [DASHBOARD_DATA_FILES.yearlyCounts]: yearly,
      [DASHBOARD_DATA_FILES.hotspots]: hotspots,
      [DASHBOARD_DATA_FILES.hexagons]: hexagons(hotspots),
      [DASHBOARD_DATA_FILES.municipalities]: outlines(options.municipalities),
    };
    const sizes: Record<string, number> = {};
    for (const [name, value] of Object.entries(files)) {
      const text = JSON.stringify(value);
      await writeTextAtomically(join(options.outDir, name), text);
      sizes[name] = Buffer.byteLength(text);
    }
    const suppressed = counts.filter((c) => c.count === null).length + yearly.filter((c) => c.count === null).length;
    return { files: sizes, suppressed_counts: suppressed, hot_spot_rows: hotspots.length };
  });
}

async function monthlyCounts(connection: DuckDBConnection, options: PublishOptions): Promise<MonthlyCount[]> {
  const reader = await connection.runAndReadAll(
    `SELECT month, offence_category AS category, coalesce(municipality, '') AS municipality,
            CASE WHEN count(*) < $threshold THEN NULL ELSE count(*)::INTEGER END AS count
       FROM read_parquet($glob, hive_partitioning = true)
      GROUP BY ALL ORDER BY month, category, municipality`,
    { glob: lakeLayout.glob(lakeLayout.incidentsDir(options.lakeDir)), threshold: options.suppressionThreshold },
  );
  return reader.getRowObjectsJS() as unknown as MonthlyCount[];
}

async function yearlyCounts(connection: DuckDBConnection, options: PublishOptions): Promise<YearlyCount[]> {
  const reader = await connection.runAndReadAll(
    `SELECT substr(month, 1, 4) AS year, coalesce(offence_category, 'all') AS category,
            CASE WHEN count(*) < $threshold THEN NULL ELSE count(*)::INTEGER END AS count
       FROM read_parquet($glob, hive_partitioning = true)
      GROUP BY GROUPING SETS ((year, offence_category), (year))
      ORDER BY year, category`,
    { glob: lakeLayout.glob(lakeLayout.incidentsDir(options.lakeDir)), threshold: options.suppressionThreshold },
  );
  return reader.getRowObjectsJS() as unknown as YearlyCount[];
}

async function hotSpotRows(connection: DuckDBConnection, options: PublishOptions): Promise<HotspotRow[]> {
  const reader = await connection.runAndReadAll(
    `SELECT month, category, h3_cell AS cell, round(gi_z, 3) AS z, gi_bin::INTEGER AS bin, gi_bin_fdr::INTEGER AS bin_fdr
       FROM read_parquet($glob, hive_partitioning = true)
      WHERE gi_bin <> 0 AND NOT list_contains($sensitive, category)
      ORDER BY month, category, cell`,
    {
      glob: lakeLayout.glob(lakeLayout.hotspotsDir(options.lakeDir)),
      sensitive: listValue([...options.sensitiveCategories]),
    },
  );
  return reader.getRowObjectsJS() as unknown as HotspotRow[];
}

function hexagons(rows: readonly HotspotRow[]): HexagonCollection {
  const cells = [...new Set(rows.map((r) => r.cell))].sort();
  return {
    type: "FeatureCollection",
    features: cells.map((cell) => {
      const ring = cellToBoundary(cell, true).map(([lon, lat]) => [round6(lon!), round6(lat!)] as [number, number]);
      return { type: "Feature", properties: { cell }, geometry: { type: "Polygon", coordinates: [ring] } };
    }),
  };
}

function outlines(boundaries: Boundaries): MunicipalityCollection {
  return {
    type: "FeatureCollection",
    features: boundaries.features.map((f) => ({
      type: "Feature",
      properties: { name: f.properties.name },
      geometry: f.geometry as MunicipalityCollection["features"][number]["geometry"],
    })),
  };
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
