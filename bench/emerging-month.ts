/**
 * Emerging hot spots in one more month (issue 19, deliver 3), before and after the emerging state
 * (etl/analytics/emerging-state-store.ts), in one process, passes alternated, CPU (every thread) and
 * wall per pass, medians, with the load average:
 *
 * - analytics: every category the analytics stage classifies (all offences and each category
 *   published per cell), "full" as HEAD did (emergingHotSpots) against "state" (read the state,
 *   the keys, emergingWithCube with the tails the last run left, the ring minima); the results are
 *   checked to be the same bits;
 * - publish: emergingData with the state the analytics stage leaves (each entry with the
 *   fingerprints of its file: no grid counted for a current run), with that state less the
 *   fingerprints (each category's grid counted and hashed to match the key, as before they were
 *   recorded), and without it (every stored category's cube computed again); the data are checked
 *   to be equal.
 *
 *   npx tsx bench/emerging-month.ts --lake <dir> [--runs 7]
 *
 * `<dir>`: a lake whose previous analytics run left its state and into which one more month was
 * ingested and analysed, not yet through the analytics stage (copied, never written).
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { ALL_OFFENCES } from "../etl/analytics/cell-month-grid.ts";
import { DEFAULT_EMERGING_OPTIONS, emergingHotSpots, emergingWithCube, type EmergingHotSpots } from "../etl/analytics/emerging-hot-spots.ts";
import { emergingStateFile, emergingStateKeys, readEmergingState, ringMinima } from "../etl/analytics/emerging-state-store.ts";
import { readLakeCounts } from "../etl/analytics/lake-counts.ts";
import { LakeMemo, lakeGrid } from "../etl/analytics/lake-grid.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { readManifest } from "../etl/lake/manifest.ts";
import { rootCacheFile } from "../etl/lake/root-caches.ts";
import { emergingData } from "../etl/publish/emerging-data.ts";
import { perCellCategories, releaseRules } from "../etl/publish/release-rules.ts";
import { defaultSettings } from "../etl/settings.ts";
import { STAGES } from "../etl/stages.ts";

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const base = option("--lake");
if (!base) throw new Error("--lake <dir>: a lake with one more month ingested and analysed, its previous analytics run's state beside it");
const runs = Number(option("--runs") ?? 7);
const work = await mkdtemp(join(tmpdir(), "emerging-month-"));
const lakeDir = join(work, "lake");
await cp(base, lakeDir, { recursive: true });
const settings = defaultSettings({ lakeDir, dashboardDir: join(work, "dashboard") });
const load = loadavg();

interface Pass {
  cpu: number;
  wall: number;
}
async function timed(fn: () => unknown): Promise<Pass> {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  await fn();
  const used = process.cpuUsage(cpu);
  return { cpu: (used.user + used.system) / 1000, wall: performance.now() - wall };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const report = (label: string, passes: Pass[]) =>
  `${label.padEnd(26)} CPU ${median(passes.map((p) => p.cpu)).toFixed(0)} ms, wall ${median(passes.map((p) => p.wall)).toFixed(0)} ms (median of ${passes.length})`;
function sameBits(a: EmergingHotSpots, b: EmergingHotSpots): boolean {
  return (Object.keys(a) as (keyof EmergingHotSpots)[]).every((key) => {
    const x = a[key] as ArrayLike<unknown>;
    const y = b[key] as ArrayLike<unknown>;
    return x.length === y.length && Array.from(x).every((v, i) => Object.is(v, y[i]));
  });
}

try {
  const options = DEFAULT_EMERGING_OPTIONS;
  const memo = new LakeMemo();
  const grids = await withConnection(async (connection) => {
    const counts = await readLakeCounts(connection, lakeDir, settings.resolution, memo.counts);
    const categories = [ALL_OFFENCES, ...perCellCategories(counts.categories, releaseRules(settings))];
    return Promise.all(categories.map(async (category) => ({ category, grid: (await lakeGrid(connection, settings, { category, memo })).grid })));
  });
  const cube = (w: Parameters<LakeMemo["spaceTime"]>[0], steps: number, window: number) => memo.spaceTime(w, steps, window);
  const full = () => grids.map(({ grid }) => emergingHotSpots(grid, memo.weights(grid.cells, settings.k), options, cube));
  const withState = async () => {
    const state = await readEmergingState(lakeDir);
    return grids.map(({ category, grid }) => {
      const kept = state.get(category);
      const keys = emergingStateKeys({ counts: grid.counts, cells: grid.cells, months: grid.months, k: settings.k, ...options }, kept?.months);
      const previous = kept?.tail && keys.prefix === kept.key ? { months: kept.months, tail: kept.tail } : null;
      const out = emergingWithCube(grid, memo.weights(grid.cells, settings.k), options, cube, previous);
      if (out.grouped) ringMinima(out.grouped.lags, out.result.bins, grid.cells.length, options.minBin);
      return { result: out.result, carried: previous !== null };
    });
  };
  const check = await withState();
  const reference = full();
  if (!check.every((c, i) => sameBits(c.result, reference[i]!))) throw new Error("the state's results are not the full computation's");
  const carried = check.filter((c) => c.carried).length;
  const analytics: Record<"full" | "state", Pass[]> = { full: [], state: [] };
  for (let r = 0; r < runs; r++) {
    for (const which of r % 2 === 0 ? (["full", "state"] as const) : (["state", "full"] as const)) {
      analytics[which].push(await timed(which === "full" ? full : withState));
    }
  }

  // The analytics stage as run runs it leaves the state of this month; a copy without it is publish as at HEAD.
  await STAGES.find((s) => s.name === "analytics")!.run(settings, {});
  const bare = join(work, "bare");
  await cp(lakeDir, bare, { recursive: true });
  await rm(join(bare, rootCacheFile("emergingState")));
  // The same state less each entry's fingerprints: publish goes by the keys, counting each grid.
  const keysOnly = join(work, "keys");
  await cp(lakeDir, keysOnly, { recursive: true });
  const { state } = emergingStateFile(keysOnly, undefined);
  for (const [category, entry] of await readEmergingState(keysOnly)) await state.set(category, { ...entry, output: null });
  await state.write();
  const manifest = await readManifest(lakeDir, settings.timeZone, settings.resolution);
  const dirs = { bare, keys: keysOnly, state: lakeDir } as const;
  const publish: Record<keyof typeof dirs, Pass[]> = { bare: [], keys: [], state: [] };
  await withConnection(async (connection) => {
    const data = (dir: string) => emergingData(connection, dir, releaseRules(settings), settings.k, manifest);
    const reference = JSON.stringify(await data(lakeDir));
    for (const dir of [bare, keysOnly]) if (JSON.stringify(await data(dir)) !== reference) throw new Error("publish's emerging data differ with the state");
    const order = ["bare", "keys", "state"] as const;
    for (let r = 0; r < runs; r++) {
      for (const which of r % 2 === 0 ? order : [...order].reverse()) publish[which].push(await timed(() => data(dirs[which])));
    }
  });
  console.log(
    [
      `emerging in one more month: ${grids.length} categories, ${grids[0]?.grid.cells.length ?? 0} cells × ${grids[0]?.grid.months.length ?? 0} months; tails carried for ${carried}; same bits, same data`,
      report("analytics, full (HEAD)", analytics.full),
      report("analytics, with state", analytics.state),
      report("publish, without state", publish.bare),
      report("publish, state by keys", publish.keys),
      report("publish, with state", publish.state),
      `load average at start ${load.map((l) => l.toFixed(1)).join(" ")}, at end ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    ].join("\n"),
  );
} finally {
  await rm(work, { recursive: true, force: true });
}
