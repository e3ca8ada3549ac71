import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gridDisk, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { gridDistanceKernel, sharedGridKernel } from "../etl/analytics/grid-distance-kernel.ts";
import { kernelsKey, loadGridKernels } from "../etl/analytics/grid-kernel-store.ts";

/** A study area: the disk of `rings` around a cell near Šiauliai (a new array each call, as a new study area is). */
const area = (rings: number) => [...gridDisk(latLngToCell(55.93, 23.31, 8), rings)].sort();
const plain = (k: ReturnType<typeof gridDistanceKernel>) => ({
  ...k,
  offsets: [...k.offsets],
  neighbours: [...k.neighbours],
  weights: [...k.weights],
  edgeFactor: [...k.edgeFactor],
});
const file = (lake: string) => join(lake, "_grid-kernels.bin");
const MAGIC = "hotspots-grid-kernels\n";

describe("the grid kernel store", () => {
  it("gives gridDistanceKernel's kernels, from the file for the same cells and bandwidths, built afresh for others", async () => {
    const lake = await mkdtemp(join(tmpdir(), "grid-kernels-"));
    const first = area(4);
    await loadGridKernels(lake, first, [1, 2]);
    expect(existsSync(file(lake))).toBe(true);
    for (const b of [1, 2]) expect(plain(sharedGridKernel(first, b))).toEqual(plain(gridDistanceKernel(first, b)));

    // Another process (another array of the same cells) reads them from the file: plant a changed first weight (b = 1) to see it is read.
    const bytes = await readFile(file(lake));
    const body = MAGIC.length + 32;
    const headerLength = bytes.readUInt32LE(body);
    const firstWeight = body + 4 + headerLength + 4 * (first.length + 1) + 4 * sharedGridKernel(first, 1).neighbours.length;
    bytes.writeDoubleLE(0.123, firstWeight);
    const { createHash } = await import("node:crypto");
    createHash("sha256").update(bytes.subarray(body)).digest().copy(bytes, MAGIC.length);
    await writeFile(file(lake), bytes);
    const again = area(4);
    await loadGridKernels(lake, again, [1, 2]);
    expect(sharedGridKernel(again, 1).weights[0]).toBe(0.123);
    expect(plain(sharedGridKernel(again, 2))).toEqual(plain(gridDistanceKernel(again, 2)));

    // Other cells, other bandwidths: other keys, the builder's kernels.
    const wider = area(5);
    expect(kernelsKey(wider, [1, 2])).not.toBe(kernelsKey(first, [1, 2]));
    expect(kernelsKey(first, [1])).not.toBe(kernelsKey(first, [1, 2]));
    await loadGridKernels(lake, wider, [1, 2]);
    for (const b of [1, 2]) expect(plain(sharedGridKernel(wider, b))).toEqual(plain(gridDistanceKernel(wider, b)));

    // A damaged file is a miss: the builder's kernels.
    const damaged = await readFile(file(lake));
    damaged.writeUInt8(damaged.readUInt8(damaged.length - 1) ^ 1, damaged.length - 1);
    await writeFile(file(lake), damaged);
    const third = area(5);
    await loadGridKernels(lake, third, [1, 2]);
    for (const b of [1, 2]) expect(plain(sharedGridKernel(third, b))).toEqual(plain(gridDistanceKernel(third, b)));
  });
});
