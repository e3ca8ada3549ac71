/**
 * The ingest of one file (by default the bench's next month) on copies of a finished lake, from two
 * or more source trees, in interleaved fresh processes: wall and CPU seconds (every thread) of the
 * ingest stage per run, their medians, the load average beside each run, and the SHA-256 over every
 * lake file afterwards (the trees must write the same bytes). For before/after figures on a machine
 * others share: a tree from before a change is `git archive <commit> | tar -x -C <dir>` with a
 * `node_modules` link.
 *
 *   npx tsx bench/ingest-ab.ts --lake <finished lake> --file <csv> [--runs 7] [--bundle] before=<tree> after=<tree>
 *
 * `--bundle` runs each tree's ingest compiled with that tree's own bundling rules
 * (etl/build/bundle-options.ts), as the CLI, the bench child and the Lambda run it, rather than from
 * its sources through tsx (whose wrappers slow the code the figures are about). Beside the times,
 * each run reports the minor page faults of the ingest: fresh memory, which costs microseconds a
 * page on a virtual machine.
 *
 * A finished lake: `$BENCH_DIR/lake-month-base-1m`, which bench/ingest-month.ts builds.
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { filesBelow } from "../etl/lake/lake-files.ts";

interface Run {
  wall_s: number;
  cpu_s: number;
  minor_faults: number;
  load: number;
  lake_sha256: string;
}

const args = process.argv.slice(2);

/**
 * The child: ingests the file into the lake (its last two arguments) with the stage of the tree it
 * is written into (see childCommand); one JSON line.
 */
const CHILD = `
import { join } from "node:path";
import { ingestStage } from "../../etl/pipeline.ts";
import { defaultSettings } from "../../etl/settings.ts";
const [lakeDir, file] = process.argv.slice(-2);
const settings = defaultSettings({ lakeDir, dashboardDir: join(lakeDir, "..", "dashboard") });
const faults = process.resourceUsage().minorPageFault;
const cpu = process.cpuUsage();
const started = performance.now();
await ingestStage([file], settings);
const used = process.cpuUsage(cpu);
const minor_faults = process.resourceUsage().minorPageFault - faults;
process.stdout.write(JSON.stringify({ wall_s: (performance.now() - started) / 1000, cpu_s: (used.user + used.system) / 1e6, minor_faults }) + "\\n");
process.exit(0);
`;

const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const lake = option("--lake");
const file = option("--file");
if (!lake || !file) throw new Error("write --lake <finished lake> --file <csv to ingest>, then name=<source tree> for each tree");
const runs = Number(option("--runs") ?? 7);
const trees = args.filter((a) => /^[\w-]+=/.test(a)).map((a) => [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] as const);
if (trees.length === 0) throw new Error("name at least one source tree: name=<dir>");
const commands = new Map(await Promise.all(trees.map(async ([name, tree]) => [name, await childCommand(tree, args.includes("--bundle"))] as const)));
const work = await mkdtemp(join(tmpdir(), "ingest-ab-"));
const results = new Map<string, Run[]>(trees.map(([name]) => [name, []]));
for (let run = 1; run <= runs; run++) {
  for (const [name, tree] of trees) {
    // Every tree's lake at the same depth: the export's identity is its path relative to the lake.
    const lakeDir = join(work, name, "lake");
    await rm(join(work, name), { recursive: true, force: true });
    await mkdir(join(work, name), { recursive: true });
    await cp(lake, lakeDir, { recursive: true });
    const load = loadavg()[0]!;
    const child = spawnSync(process.execPath, [...commands.get(name)!, lakeDir, file], { encoding: "utf8", cwd: tree });
    if (child.status !== 0) throw new Error(`${name}, run ${run}: ${child.stderr}`);
    const times = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as Omit<Run, "load" | "lake_sha256">;
    const result = { ...times, load, lake_sha256: await lakeDigest(lakeDir) };
    results.get(name)!.push(result);
    process.stderr.write(
      `${name} run ${run}: ${result.wall_s.toFixed(2)} s wall, ${result.cpu_s.toFixed(2)} s CPU, ${result.minor_faults} minor faults (load ${load.toFixed(1)})\n`,
    );
  }
}
await rm(work, { recursive: true, force: true });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
for (const [name, rs] of results) {
  const digests = new Set(rs.map((r) => r.lake_sha256));
  console.log(
    `${name}: ${rs.length} runs, medians ${median(rs.map((r) => r.wall_s)).toFixed(2)} s wall / ${median(rs.map((r) => r.cpu_s)).toFixed(2)} s CPU / ` +
      `${median(rs.map((r) => r.minor_faults))} minor faults, ` +
      `load ${Math.min(...rs.map((r) => r.load)).toFixed(1)}–${Math.max(...rs.map((r) => r.load)).toFixed(1)}; lake SHA-256 ${[...digests].map((d) => d.slice(0, 16)).join(", ")}`,
  );
}
const all = new Set([...results.values()].flat().map((r) => r.lake_sha256));
console.log(all.size === 1 ? "every tree and run wrote the same lake bytes" : `the runs wrote ${all.size} different lakes`);

/** SHA-256 over every file of the lake (its path and bytes), in path order. */
async function lakeDigest(lakeDir: string): Promise<string> {
  const hash = createHash("sha256");
  for (const f of (filesBelow(lakeDir) ?? []).sort()) hash.update(`${f}\n`).update(await readFile(join(lakeDir, f)));
  return hash.digest("hex");
}

/**
 * The node arguments that run the child in `tree`: its text written under the tree's `.scratch/`
 * (ignored by git; removed when this process exits), so that it imports the tree's own modules and
 * packages; run through tsx, or with `bundle` compiled by the tree's own bundling rules first.
 */
async function childCommand(tree: string, bundle: boolean): Promise<string[]> {
  await mkdir(join(tree, ".scratch"), { recursive: true });
  const dir = await mkdtemp(join(tree, ".scratch", "ingest-ab-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  await writeFile(join(dir, "child.ts"), CHILD);
  if (!bundle) return ["--import", "tsx", join(dir, "child.ts")];
  const { bundleOptions, BUILD_ROOT } = (await import(join(tree, "etl", "build", "bundle-options.ts"))) as typeof import("../etl/build/bundle-options.ts");
  const { build } = (await import(join(tree, "node_modules", "esbuild", "lib", "main.js"))) as typeof import("esbuild");
  await build(bundleOptions({ entries: [relative(BUILD_ROOT, join(dir, "child.ts"))], outdir: dir, splitting: false }));
  return [join(dir, "child.mjs")];
}
