/**
 * Two versions of the Gi* stage's code against each other in one process, their passes alternated,
 * so that the shared bench machine's load (four or five other jobs on two cores) weighs on both alike:
 *
 *   npx tsx bench/inference-ab.ts --a /tmp/head --b . [--grid /tmp/b10/spdep-10m] [--kind exact] [--passes 10]
 *
 * `--a` and `--b` are roots of two checkouts (e.g. `git archive HEAD | tar -x -C /tmp/head`, with
 * node_modules linked); each one's groupedHotSpots runs over the grid's vectors (all, or only the
 * months of one `--kind`: exact or monte-carlo, as version A tests them), warm after one pass each,
 * with its own workspace. Prints each version's CPU per pass (min and median) and the median of the
 * per-round ratios B / A, the figure to trust: separate processes a minute apart differed by 30 %
 * on the same code while the load average went from 5 to 16. It times warm passes only; a cold
 * pass is one per process (bench/inference-stage.ts).
 */
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { GiStarWorkspace as Workspace, GroupedHotSpots } from "../etl/analytics/grouped-gi-star.ts";
import type { HotSpotInference } from "../etl/analytics/gi-star-permutation.ts";
import type { BinaryWeights } from "../etl/analytics/spatial-weights.ts";
import { readSpdepGrid } from "./spdep-grid.ts";

const { values } = parseArgs({
  options: {
    a: { type: "string" },
    b: { type: "string", default: "." },
    grid: { type: "string", default: "/tmp/b10/spdep-10m" },
    kind: { type: "string", default: "all" },
    passes: { type: "string", default: "10" },
  },
});
if (!values.a) throw new Error("--a <root of the other checkout> is required");

interface Version {
  run: (x: Float64Array, weights: BinaryWeights, inference: HotSpotInference, workspace: Workspace) => GroupedHotSpots;
  inference: HotSpotInference;
  workspace: Workspace;
}

async function load(root: string): Promise<Version> {
  const dir = join(resolve(root), "etl/analytics");
  const { groupedHotSpots } = (await import(join(dir, "hot-spots.ts"))) as typeof import("../etl/analytics/hot-spots.ts");
  const { GiStarWorkspace } = (await import(join(dir, "grouped-gi-star.ts"))) as typeof import("../etl/analytics/grouped-gi-star.ts");
  const { DEFAULT_INFERENCE } = (await import(join(dir, "gi-star-permutation.ts"))) as typeof import("../etl/analytics/gi-star-permutation.ts");
  return { run: groupedHotSpots, inference: DEFAULT_INFERENCE, workspace: new GiStarWorkspace() };
}

const { slices, weights } = readSpdepGrid(values.grid);
const a = await load(values.a);
const b = await load(values.b);
const kind = values.kind;
// The months of the kind asked for (as version A tests them); this pass also warms A.
const vectors = slices.filter((x) => {
  const used = a.run(x, weights, a.inference, a.workspace).inference;
  return kind === "all" || used === kind;
});
for (const x of vectors) b.run(x, weights, b.inference, b.workspace);
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
const times = { a: [] as number[], b: [] as number[] };
for (let pass = 0; pass < Number(values.passes); pass++) {
  for (const [name, version] of [
    ["a", a],
    ["b", b],
  ] as const) {
    const started = process.cpuUsage();
    for (const x of vectors) version.run(x, weights, version.inference, version.workspace);
    times[name].push(cpuMs(started));
  }
}
const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[xs.length >> 1]!;
const summary = (xs: number[]) => `min ${Math.min(...xs).toFixed(0)} ms, median ${median(xs).toFixed(0)} ms`;
console.log(
  `${vectors.length} vectors (${kind}), CPU per warm pass — A ${summary(times.a)}; B ${summary(times.b)}; ` +
    `B / A per round, median ${median(times.b.map((t, k) => t / times.a[k]!)).toFixed(3)}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
);
