import { spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { withConnection } from "../etl/duckdb/connection.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { readVector } from "../etl/lake/duckdb-columns.ts";
import { lakeLayout } from "../etl/lake/lake-layout.ts";
import { runInferenceBench, type InferenceBench } from "./inference-peer.ts";

/** What the R peer reported, or why it did not run. */
export type SpdepResult = (
  | {
      ran: true;
      seconds: number;
      /** R's CPU seconds over the same part (user + system). */
      cpu_seconds: number;
      /** Of those, building nb and listw from the edge list (wall and CPU; older reports lack them). */
      weights_seconds?: number;
      weights_cpu_seconds?: number;
      vectors: number;
      cells: number;
      max_abs_diff: number;
      undefined_mismatch: number;
      spdep: string;
      r: string;
    }
  | { ran: false; reason: string }
) & {
  /** The inference stage (issue 13): permutation against normal approximation, and localG_perm. */
  inference?: InferenceBench;
};

/**
 * Times the inference stage on the grid (see runInferenceBench: permutation against normal
 * p-values, and R spdep `localG_perm` on a sample), then runs R spdep `localG` on the cell-month grid the pipeline's Gi* stage used: every (month, category)
 * vector of the lake's hot-spot table, over the study-area cells in table order, with the same k-ring
 * neighbours. The counts and the pipeline's z-scores are read back from the hot-spot table, so the
 * grid is the pipeline's by construction, and R's z-scores are checked against ours.
 */
export async function runSpdepPeer(lakeDir: string, k: number, workDir: string): Promise<SpdepResult> {
  const probe = spawnSync("Rscript", ["-e", "suppressPackageStartupMessages(library(spdep))"], { encoding: "utf8" });
  const rAvailable = !probe.error && probe.status === 0;
  const { cells, counts, z } = await readGrid(lakeDir);
  const weights = kRingWeights(cells, k);
  const edgeList: number[] = [];
  for (let i = 0; i < cells.length; i++) {
    for (let e = weights.offsets[i]!; e < weights.offsets[i + 1]!; e++) if (weights.neighbours[e] !== i) edgeList.push(i + 1, weights.neighbours[e]! + 1);
  }
  const edges = Int32Array.from(edgeList);
  const inference = await runInferenceBench(counts, cells.length, weights, edges, join(workDir, "perm"), rAvailable);
  if (!rAvailable) {
    return {
      ran: false,
      reason: probe.error
        ? "Rscript is not installed (Debian: apt-get install r-base-core r-cran-spdep)"
        : "R is installed but spdep is not (Debian: apt-get install r-cran-spdep)",
      inference,
    };
  }
  await mkdir(workDir, { recursive: true });
  await writeFile(join(workDir, "grid.f64"), new Uint8Array(counts.buffer));
  await writeFile(join(workDir, "ours.f64"), new Uint8Array(z.buffer));
  await writeFile(join(workDir, "edges.i32"), new Uint8Array(edges.buffer));
  await writeFile(join(workDir, "meta.txt"), `${cells.length} ${counts.length / cells.length}\n`);
  const run = spawnSync("Rscript", [join(import.meta.dirname, "spdep-peer.R"), workDir], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (run.status !== 0) return { ran: false, reason: `Rscript failed: ${run.stderr.trim().split("\n").slice(-3).join(" / ")}`, inference };
  return { ran: true, ...JSON.parse(run.stdout.trim().split("\n").at(-1)!), inference };
}

/** The hot-spot table as vectors: cells (sorted), then counts and gi_z per (month, category) in table order. */
async function readGrid(lakeDir: string): Promise<{ cells: string[]; counts: Float64Array; z: Float64Array }> {
  return withConnection(async (connection) => {
    const glob = lakeLayout.glob(lakeLayout.hotspotsDir(lakeDir));
    const cells = (await connection.runAndReadAll("SELECT DISTINCT h3_cell FROM read_parquet($glob) ORDER BY 1", { glob })).getRows().map((r) => String(r[0]));
    const total = Number((await connection.runAndReadAll("SELECT count(*) FROM read_parquet($glob)", { glob })).getRows()[0]![0]);
    const counts = new Float64Array(total);
    const z = new Float64Array(total);
    const result = await connection.run(
      `SELECT incidents::DOUBLE, coalesce(gi_z, 'NaN'::DOUBLE) FROM read_parquet($glob, hive_partitioning = true) ORDER BY month, category, h3_cell`,
      { glob },
    );
    let at = 0;
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      readVector(chunk.getColumnVector(0), counts, at, chunk.rowCount);
      readVector(chunk.getColumnVector(1), z, at, chunk.rowCount);
      at += chunk.rowCount;
    }
    return { cells, counts, z };
  });
}
