import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import h3Package from "h3-js/package.json" with { type: "json" };
import { replaceAtomically, sha256Text, writeLakeCache } from "../lake/atomic-file.ts";
import { rootCacheFile } from "../lake/root-caches.ts";
import { openCache, payloadReader, sealCache } from "../lake/sealed-cache.ts";
import { gridDistanceKernel, hasSharedKernel, sharedGridKernel, shareKernel, type GridKernel } from "./grid-distance-kernel.ts";

/**
 * The study area's kde kernels (gridDistanceKernel) kept on disk between processes: building them
 * takes an H3 disk per cell and bandwidth, about 0.1 s of CPU for the bench's 3,066 cells, in every
 * run that backtests the forecasts, for the same cells month after month.
 *
 * `_grid-kernels.bin` at the lake's root (a cache like the counts store: a root file starting with
 * `_` is no lake data) holds the kernels of the last study area asked for, under a key of everything
 * they depend on: the cells (SHA-256 of the list in order), the bandwidths, the h3-js version, the
 * builder's source text and `STORE_FORMAT`; the file is checksummed and its arrays checked for shape.
 * A hit makes them what sharedGridKernel gives in this process (the arrays' bytes as built); a
 * miss builds them through sharedGridKernel and writes the file. Nothing depends on the file being
 * there: a kernel not loaded is built when first used, as before.
 */
export async function loadGridKernels(lakeDir: string, cells: readonly string[], bandwidths: readonly number[]): Promise<void> {
  if (bandwidths.every((b) => hasSharedKernel(cells, b))) return;
  const path = join(lakeDir, STORE_FILE);
  const key = kernelsKey(cells, bandwidths);
  const stored = await readKernels(path, key, cells.length, bandwidths);
  if (stored) {
    for (const kernel of stored) shareKernel(cells, kernel);
    return;
  }
  const kernels = bandwidths.map((b) => sharedGridKernel(cells, b));
  await writeLakeCache(lakeDir, () => writeKernels(path, key, kernels));
}

const STORE_FILE = rootCacheFile("gridKernels");
/** Bumped when the file's layout or what a kernel means changes: an older file is then a miss. */
export const STORE_FORMAT = 1;
const MAGIC = "hotspots-grid-kernels\n";
const KERNEL_CODE = sha256Text(String(gridDistanceKernel));

/** SHA-256 of everything the kernels of `cells` at `bandwidths` depend on (see loadGridKernels). */
export function kernelsKey(cells: readonly string[], bandwidths: readonly number[]): string {
  return sha256Text(JSON.stringify({ format: STORE_FORMAT, h3: h3Package.version, code: KERNEL_CODE, bandwidths, cells: sha256Text(cells.join("\n")) }));
}

/** The file (sealed-cache.ts): header { key, kernels }, then per kernel its offsets, neighbours, weights and edge factors. */
async function writeKernels(path: string, key: string, kernels: readonly GridKernel[]): Promise<void> {
  const header = { key, kernels: kernels.map((k) => ({ bandwidth: k.bandwidth, n: k.n, edges: k.neighbours.length })) };
  const parts = sealCache(
    MAGIC,
    header,
    kernels.flatMap((k) => [k.offsets, k.neighbours, k.weights, k.edgeFactor]),
  );
  await replaceAtomically(path, (temporary) => writeFile(temporary, Buffer.concat(parts)));
}

async function readKernels(path: string, key: string, n: number, bandwidths: readonly number[]): Promise<GridKernel[] | null> {
  const bytes = await readFile(path).catch(() => null);
  if (bytes === null) return null;
  try {
    const sealed = openCache(bytes, MAGIC);
    if (sealed === null) return null;
    const header = sealed.header as { key: string; kernels: Array<{ bandwidth: number; n: number; edges: number }> };
    if (header.key !== key || header.kernels.length !== bandwidths.length) return null;
    const { take, atEnd } = payloadReader(sealed.payload);
    const kernels = header.kernels.map((k, i) => {
      if (k.bandwidth !== bandwidths[i] || k.n !== n) return null;
      const kernel = {
        n,
        bandwidth: k.bandwidth,
        offsets: take(Int32Array, n + 1),
        neighbours: take(Int32Array, k.edges),
        weights: take(Float64Array, k.edges),
        edgeFactor: take(Float64Array, n),
      };
      return wellFormed(kernel) ? kernel : null;
    });
    return atEnd() && kernels.every((k) => k !== null) ? (kernels as GridKernel[]) : null;
  } catch {
    return null; // unreadable or short: a miss like any other damage
  }
}

/** Offsets from 0 to the number of edges, never decreasing, and neighbours among the n cells. */
function wellFormed(k: GridKernel): boolean {
  if (k.offsets[0] !== 0 || k.offsets[k.n] !== k.neighbours.length) return false;
  for (let i = 0; i < k.n; i++) if (k.offsets[i + 1]! < k.offsets[i]!) return false;
  for (let e = 0; e < k.neighbours.length; e++) if (k.neighbours[e]! < 0 || k.neighbours[e]! >= k.n) return false;
  return true;
}
