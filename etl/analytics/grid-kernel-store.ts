import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import h3Package from "h3-js/package.json" with { type: "json" };
import { replaceAtomically, sha256Text, writeLakeCache } from "../lake/atomic-file.ts";
import { rootCacheFile } from "../lake/root-caches.ts";
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
const DIGEST_BYTES = 32;
const KERNEL_CODE = sha256Text(String(gridDistanceKernel));

/** SHA-256 of everything the kernels of `cells` at `bandwidths` depend on (see loadGridKernels). */
export function kernelsKey(cells: readonly string[], bandwidths: readonly number[]): string {
  return sha256Text(JSON.stringify({ format: STORE_FORMAT, h3: h3Package.version, code: KERNEL_CODE, bandwidths, cells: sha256Text(cells.join("\n")) }));
}

/** The file: magic line, SHA-256 of the rest, header length (uint32), header JSON, then per kernel its offsets, neighbours, weights and edge factors. */
async function writeKernels(path: string, key: string, kernels: readonly GridKernel[]): Promise<void> {
  const header = Buffer.from(JSON.stringify({ key, kernels: kernels.map((k) => ({ bandwidth: k.bandwidth, n: k.n, edges: k.neighbours.length })) }), "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const bytes = (a: Int32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const rest = [length, header, ...kernels.flatMap((k) => [bytes(k.offsets), bytes(k.neighbours), bytes(k.weights), bytes(k.edgeFactor)])];
  const digest = rest.reduce((hash, part) => hash.update(part), createHash("sha256")).digest();
  await replaceAtomically(path, (temporary) => writeFile(temporary, Buffer.concat([Buffer.from(MAGIC, "latin1"), digest, ...rest])));
}

async function readKernels(path: string, key: string, n: number, bandwidths: readonly number[]): Promise<GridKernel[] | null> {
  const bytes = await readFile(path).catch(() => null);
  if (bytes === null) return null;
  try {
    const body = MAGIC.length + DIGEST_BYTES;
    if (bytes.subarray(0, MAGIC.length).toString("latin1") !== MAGIC || bytes.length < body + 4) return null;
    if (!createHash("sha256").update(bytes.subarray(body)).digest().equals(bytes.subarray(MAGIC.length, body))) return null;
    const headerLength = bytes.readUInt32LE(body);
    let at = body + 4;
    const header = JSON.parse(bytes.subarray(at, at + headerLength).toString("utf8")) as {
      key: string;
      kernels: Array<{ bandwidth: number; n: number; edges: number }>;
    };
    at += headerLength;
    if (header.key !== key || header.kernels.length !== bandwidths.length) return null;
    // Copied out: the file's bytes need not be aligned for the typed arrays.
    const take = <T extends Int32Array | Float64Array>(Kind: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number }, count: number): T => {
      const size = count * Kind.BYTES_PER_ELEMENT;
      if (at + size > bytes.length) throw new RangeError("short file");
      const array = new Kind(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + size) as ArrayBuffer);
      at += size;
      return array;
    };
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
    return at === bytes.length && kernels.every((k) => k !== null) ? (kernels as GridKernel[]) : null;
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
