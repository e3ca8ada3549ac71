/**
 * The analytics stage keeps, per category, what publish's ring rule needs of its emerging bins and
 * the trend tails of the next month's run (emerging-state-store.ts): the rule decided from the kept
 * minima is the rule decided from the bins and neighbourhood counts; the trend tests with the tails
 * of a grid's first months give every bit of the full tests; the key moves with every input; and
 * publish uses an entry by the fingerprints of the file it reads (or, without them, under the key of
 * its grid), the next run only under its own key — a changed earlier month, or an
 * entry of other counts, is recomputed.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gridDisk, latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emergingWithCube, type EmergingHotSpots } from "../etl/analytics/emerging-hot-spots.ts";
import { spaceTimeBins, spaceTimeGiStar } from "../etl/analytics/emerging-space-time.ts";
import { DEFAULT_INFERENCE } from "../etl/analytics/gi-star-permutation.ts";
import {
  emergingStateFile,
  emergingStateKeys,
  keptRingMinima,
  readEmergingState,
  recordedRingMinima,
  ringMinima,
  ringReleased,
  type EntryOutput,
  type StateInputs,
} from "../etl/analytics/emerging-state-store.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { DEFAULT_CONFIG_FILE, loadProjectConfig } from "../etl/config.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { sha256Text } from "../etl/lake/atomic-file.ts";
import { readManifest } from "../etl/lake/manifest.ts";
import { rootCacheFile } from "../etl/lake/root-caches.ts";
import { ingestStage } from "../etl/pipeline.ts";
import { monthRange } from "../etl/analytics/monthly-counts.ts";
import { countGrid } from "../etl/publish/count-grid.ts";
import { emergingData } from "../etl/publish/emerging-data.ts";
import { releasableNeighbourhood, releaseRules } from "../etl/publish/release-rules.ts";
import { recordedConfig, settingsFromConfig, type PipelineSettings } from "../etl/settings.ts";
import { runStages } from "../etl/stages.ts";
import { CANONICAL_HEADER, threeCategoryRows } from "./helpers/shared.ts";

const cells = gridDisk(latLngToCell(55.93, 23.31, 8), 3).sort();
const months = Array.from({ length: 14 }, (_, t) => `${2020 + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, "0")}`);
let seed = 7;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
// A growing cluster over sparse noise: significant bins of both signs, neighbourhood counts of every size.
const counts = Float64Array.from({ length: cells.length * months.length }, (_, u) => {
  const [t, i] = [Math.floor(u / cells.length), u % cells.length];
  return (i < 4 ? Math.floor(t / 3) : 0) + (random() < 0.3 ? Math.floor(random() * 3) : 0);
});
const inputs: StateInputs = { counts, cells, months, k: 1, timeWindow: 1, fdr: true, minBin: 2 };

describe("ring minima", () => {
  it.each([
    [1, true, 2],
    [0, false, 1],
    [3, false, 3],
  ] as const)("decide the ring rule as the bins and counts do (window %i, FDR %s, minimum bin %i)", (timeWindow, fdr, minBin) => {
    const st = spaceTimeGiStar(counts, kRingWeights(cells, 1), months.length, timeWindow, fdr)!;
    const bins = spaceTimeBins(st);
    const minima = ringMinima(st.lags, bins, cells.length, minBin);
    const n = cells.length;
    let decided = 0;
    for (const threshold of [1, 2, 3, 5, 8, 13, 1000]) {
      const direct = cells.map((_, i) => {
        for (let t = 0; t < months.length; t++)
          if (Math.abs(bins[t * n + i]!) >= minBin && !releasableNeighbourhood(st.lags[t * n + i]!, { threshold })) return false;
        return true;
      });
      expect(ringReleased(minima, threshold), `threshold ${threshold}`).toEqual(direct);
      decided += direct.filter((r) => !r).length;
    }
    // Some cells are withheld at some thresholds: the comparison is not of all-true lists.
    expect(decided).toBeGreaterThan(0);
  });
});

describe("the state key", () => {
  const keyOf = (i: StateInputs) => emergingStateKeys(i).key;
  it("changes with every input: an earlier month's count, the cells' order, the months, k, window, FDR, minimum bin, inference", () => {
    const key = keyOf(inputs);
    expect(keyOf({ ...inputs, counts: counts.slice() })).toBe(key);
    const earlier = counts.slice();
    earlier[2 * cells.length + 5]! += 1;
    const swapped = [...cells];
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    const variants: StateInputs[] = [
      { ...inputs, counts: earlier },
      { ...inputs, cells: swapped },
      { ...inputs, months: months.map((m) => m.replace("2020", "2018")) },
      { ...inputs, k: 2 },
      { ...inputs, timeWindow: 2 },
      { ...inputs, timeWindow: null },
      { ...inputs, fdr: false },
      { ...inputs, minBin: 3 },
      { ...inputs, inference: { method: "normal" } },
      { ...inputs, inference: { method: "permutation", permutations: 999, seed: 1 } },
    ];
    const keys = new Set([key, ...variants.map(keyOf)]);
    expect(keys.size).toBe(variants.length + 1);
    // Absent, the inference is the default one spaceTimeGiStar uses, as publish computes the key.
    expect(keyOf({ ...inputs, inference: DEFAULT_INFERENCE })).toBe(key);
    expect(() => keyOf({ ...inputs, months: months.slice(1) })).toThrow(RangeError);
  });

  it("of a prefix is the key of the grid of those months", () => {
    const first = (m: number): StateInputs => ({ ...inputs, months: months.slice(0, m), counts: counts.slice(0, m * cells.length) });
    for (const m of [1, 5, months.length]) expect(emergingStateKeys(inputs, m).prefix).toBe(keyOf(first(m)));
    expect(emergingStateKeys(inputs, 0).prefix).toBeNull();
    expect(emergingStateKeys(inputs, months.length + 1).prefix).toBeNull();
  });
});

/** The fields that differ between two results, bit for bit (NaN and −0 included). */
function differing(a: EmergingHotSpots, b: EmergingHotSpots): string[] {
  return (Object.keys(a) as (keyof EmergingHotSpots)[]).filter((key) => {
    const x = a[key] as ArrayLike<unknown>;
    const y = b[key] as ArrayLike<unknown>;
    return x.length !== y.length || Array.from(x).some((v, i) => !Object.is(v, y[i]));
  });
}

describe("trend tails", () => {
  const spatial = kRingWeights(cells, 1);
  const gridOf = (c: Float64Array, m: number) => ({ cells, months: months.slice(0, m), counts: c.slice(0, m * cells.length) });

  it.each([
    [1, true, 2],
    [0, false, 1],
    [3, false, 3],
  ] as const)("carried over 1 or 4 appended months give every bit of the full tests (window %i, FDR %s, minimum bin %i)", (timeWindow, fdr, minBin) => {
    const options = { timeWindow, fdr, minBin, trendAlpha: 0.05 };
    for (const back of [1, 4]) {
      const before = emergingWithCube(gridOf(counts, months.length - back), spatial, options);
      expect(before.tails).not.toBeNull();
      const full = emergingWithCube(gridOf(counts, months.length), spatial, options);
      const carried = emergingWithCube(gridOf(counts, months.length), spatial, options, undefined, before.tails);
      expect(differing(carried.result, full.result)).toEqual([]);
      expect(carried.tails).toEqual(full.tails);
      // Some trends are significant: the comparison sees the cases that matter.
      expect(full.result.trendP.some((p) => p <= 0.05)).toBe(true);
    }
  });

  it("describe the history they were made of: with an earlier month changed the trends differ, and the key of its first months says so", () => {
    const options = { timeWindow: 1, fdr: true, minBin: 2, trendAlpha: 0.05 } as const;
    const before = emergingWithCube(gridOf(counts, months.length - 1), spatial, options);
    const changed = counts.slice();
    // A burst in the second month at the cluster: the earlier months' sums change, and so do the cells' trends.
    for (let i = 0; i < 4; i++) changed[cells.length + i]! += 9;
    const full = emergingWithCube(gridOf(changed, months.length), spatial, options);
    const stale = emergingWithCube(gridOf(changed, months.length), spatial, options, undefined, before.tails);
    expect(differing(stale.result, full.result)).toContain("trendZ");
    // So the stage passes no tails (emerging-lake.ts): the changed grid's first months have another key than the entry's.
    const entryKey = emergingStateKeys({ ...inputs, months: months.slice(0, -1), counts: counts.slice(0, -cells.length) }).key;
    expect(emergingStateKeys({ ...inputs, counts: changed }, months.length - 1).prefix).not.toBe(entryKey);
    expect(emergingStateKeys(inputs, months.length - 1).prefix).toBe(entryKey);
  });
});

describe("the state file", () => {
  let lake: string;
  beforeAll(async () => {
    lake = await mkdtemp(join(tmpdir(), "emerging-state-"));
  });
  afterAll(() => rm(lake, { recursive: true, force: true }));

  it("gives an entry back under its key only, keeps other categories' entries, and treats a damaged file as empty", async () => {
    expect((await readEmergingState(lake)).size).toBe(0);
    const write = async (category: string, key: string, minima: number[], tail: number[] | null) => {
      const { state, shared } = emergingStateFile(lake, undefined);
      expect(shared).toBe(false);
      await state.set(category, { key, months: 3, minima: Float64Array.from(minima), tail: tail && Int32Array.from(tail), output: null });
      await state.write();
    };
    await write("theft", "k1", [0, 3, 7], [1, -2, 0]);
    await write("burglary", "k2", [1, 0, 0], null);
    await write("theft", "k3", [0, 4, 7], [5, 0, -1]);
    const state = await readEmergingState(lake);
    expect(keptRingMinima(state, "theft", "k3", 3)).toEqual(Float64Array.of(0, 4, 7));
    expect(state.get("theft")!.tail).toEqual(Int32Array.of(5, 0, -1));
    expect(keptRingMinima(state, "theft", "k1", 3)).toBeNull();
    expect(keptRingMinima(state, "theft", "k3", 4)).toBeNull();
    expect(keptRingMinima(state, "burglary", "k2", 3)).toEqual(Float64Array.of(1, 0, 0));
    expect(state.get("burglary")!.tail).toBeNull();
    expect(keptRingMinima(state, "robbery", "k2", 3)).toBeNull();
    const path = join(lake, rootCacheFile("emergingState"));
    await writeFile(path, (await readFile(path, "utf8")).replace('\\"k3\\"', '\\"k4\\"'));
    expect((await readEmergingState(lake)).size).toBe(0);
  });

  it("gives an entry's minima by the fingerprints of its file only where those, k and the cells are the ones asked for", async () => {
    const output = { parameters_sha256: "p1", input_sha256: "i1", k: 1 };
    const { state } = emergingStateFile(lake, undefined);
    await state.set("theft", { key: "k1", months: 3, minima: Float64Array.of(0, 3, 7), tail: null, output });
    await state.set("burglary", { key: "k2", months: 3, minima: Float64Array.of(1, 0, 0), tail: null, output: null });
    await state.write();
    const read = await readEmergingState(lake);
    expect(read.get("theft")!.output).toEqual(output);
    const file = { parameters_sha256: "p1", input_sha256: "i1" };
    expect(recordedRingMinima(read, "theft", file, 1, 3)).toEqual(Float64Array.of(0, 3, 7));
    expect(recordedRingMinima(read, "theft", { ...file, parameters_sha256: "p2" }, 1, 3)).toBeNull();
    expect(recordedRingMinima(read, "theft", { ...file, input_sha256: "i2" }, 1, 3)).toBeNull();
    expect(recordedRingMinima(read, "theft", { parameters_sha256: "p1" }, 1, 3)).toBeNull();
    expect(recordedRingMinima(read, "theft", undefined, 1, 3)).toBeNull();
    expect(recordedRingMinima(read, "theft", file, 2, 3)).toBeNull();
    expect(recordedRingMinima(read, "theft", file, 1, 4)).toBeNull();
    // An entry without fingerprints (a file written before they were recorded) is used only under its key.
    expect(recordedRingMinima(read, "burglary", file, 1, 3)).toBeNull();
    expect(recordedRingMinima(read, "robbery", file, 1, 3)).toBeNull();
  });
});

describe("publish and the next month with the analytics stage's state", () => {
  const MONTHS = Array.from({ length: 12 }, (_, t) => `2019-${String(t + 1).padStart(2, "0")}`);
  let dir: string;
  let settings: PipelineSettings;
  const rowsOf = threeCategoryRows;
  const ingest = async (name: string, rows: string[]) => {
    const file = join(dir, name);
    await writeFile(file, `${[CANONICAL_HEADER, ...rows].join("\n")}\n`);
    await ingestStage([file], settings);
  };
  const ringFile = () => join(settings.lakeDir, rootCacheFile("emergingState"));
  const publish = async () => {
    const manifest = await readManifest(settings.lakeDir, settings.timeZone, settings.resolution);
    return withConnection((c) => emergingData(c, settings.lakeDir, releaseRules(settings), settings.k, manifest));
  };
  /** Publish with the ring file as it is, and with none (publish computes every bin). */
  const withAndWithout = async () => {
    const kept = await readFile(ringFile(), "utf8");
    const withRings = await publish();
    await rm(ringFile());
    const without = await publish();
    await writeFile(ringFile(), kept);
    return { withRings, without };
  };
  /**
   * The file with every entry's minima set to `value` (a stand-in for an entry of other counts when the
   * key and the file's fingerprints are kept), and with `key` or `output` changed where given.
   */
  const tamper = async (value: number, key?: string, output?: (o: EntryOutput) => EntryOutput | null) => {
    const file = JSON.parse(await readFile(ringFile(), "utf8")) as { body: string };
    const body = JSON.parse(file.body) as { format: number; entries: Record<string, { key: string; minima: string; output: EntryOutput | null }> };
    for (const entry of Object.values(body.entries)) {
      const minima = new Float64Array(Buffer.from(entry.minima, "base64").length / 8).fill(value);
      entry.minima = Buffer.from(minima.buffer).toString("base64");
      if (key) entry.key = key;
      if (output && entry.output) entry.output = output(entry.output);
    }
    const text = JSON.stringify(body);
    await writeFile(ringFile(), JSON.stringify({ sha256: sha256Text(text), body: text }));
  };

  /**
   * Per non-sensitive category but "all": whether the entry's key is that of the grid publish counts
   * (countGrid) over its run's cells, months and settings — what lets publish take the entry by the
   * fingerprints of the run's file instead of counting that grid (recordedRingMinima).
   */
  const entryKeysOfPublishGrids = async () => {
    const state = await readEmergingState(settings.lakeDir);
    const manifest = await readManifest(settings.lakeDir, settings.timeZone, settings.resolution);
    const rules = releaseRules(settings);
    return withConnection(async (c) => {
      const found: Record<string, boolean> = {};
      for (const [category, entry] of state) {
        if (category === "all" || rules.sensitive.has(category)) continue;
        const p = manifest.parameters?.[`emerging/${category}`] as {
          first_month: string;
          last_month: string;
          time_window: number | null;
          fdr: boolean;
          min_bin: number;
        };
        const file = join(settings.lakeDir, "emerging", `month=${p.last_month}`, `${category}.parquet`);
        const cells = (await (await c.runAndReadAll(`SELECT h3_cell FROM read_parquet('${file}') ORDER BY h3_cell`)).getRowObjectsJS()).map((r) =>
          String(r.h3_cell),
        );
        const months = monthRange(p.first_month, p.last_month);
        const grid = await countGrid(c, settings.lakeDir, cells, months, category, rules.sensitive);
        const options = { timeWindow: p.time_window, fdr: p.fdr, minBin: p.min_bin };
        found[category] = entry.output !== null && emergingStateKeys({ counts: grid, cells, months, k: settings.k, ...options }).key === entry.key;
      }
      return found;
    });
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "emerging-state-run-"));
    const config = loadProjectConfig(DEFAULT_CONFIG_FILE);
    settings = { ...settingsFromConfig(config, join(dir, "lake"), "Europe/Vilnius"), hullRing: 1 };
    settings.config = recordedConfig(settings, config.file);
    await ingest(
      "incidents.csv",
      rowsOf("R", MONTHS, (t) => 24 + 3 * t),
    );
    await runStages(["analytics"], settings);
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("gives what computing every bin gives, and reads the entries it is given (other minima under the file's fingerprints, or under the same key where an entry has none, change the result)", async () => {
    const rings = await readEmergingState(settings.lakeDir);
    expect([...rings.keys()]).toEqual(expect.arrayContaining(["all", "burglary", "theft"]));
    const { withRings, without } = await withAndWithout();
    expect(withRings.cells.length).toBeGreaterThan(0);
    expect(withRings).toEqual(without);
    expect(await entryKeysOfPublishGrids()).toEqual({ burglary: true, theft: true });
    // Minima of 1 (a neighbourhood below the threshold in a significant bin of every cell) under the right key: theft withholds every cell.
    const kept = await readFile(ringFile(), "utf8");
    await tamper(1);
    const theft = (data: typeof without) => data.runs.find((r) => r.category === "theft")!;
    const tampered = await publish();
    expect(theft(without).withheld).toBeLessThan(rings.get("theft")!.minima.length);
    expect(theft(tampered).withheld).toBe(rings.get("theft")!.minima.length);
    // Under another key, the file's fingerprints kept: used all the same (publish then counts no grid).
    await tamper(1, "0".repeat(64));
    expect(theft(await publish()).withheld).toBe(rings.get("theft")!.minima.length);
    // Fingerprints of another file (other parameters or months' incidents) or of another k: not used, nor the key where it is another.
    const other = "0".repeat(64);
    await tamper(1, other, (o) => ({ ...o, parameters_sha256: other }));
    expect(await publish()).toEqual(without);
    await tamper(1, other, (o) => ({ ...o, input_sha256: other }));
    expect(await publish()).toEqual(without);
    await tamper(1, other, (o) => ({ ...o, k: o.k + 1 }));
    expect(await publish()).toEqual(without);
    // No fingerprints (an entry written before they were): the key decides — the right one uses the minima, another does not.
    await writeFile(ringFile(), kept);
    await tamper(1, undefined, () => null);
    expect(theft(await publish()).withheld).toBe(rings.get("theft")!.minima.length);
    await tamper(1, other, () => null);
    expect(await publish()).toEqual(without);
    await writeFile(ringFile(), kept);
  }, 60_000);

  it("an earlier month's counts change (a late export) and the analytics run again: the entries follow, publish as computing every bin", async () => {
    const before = await readEmergingState(settings.lakeDir);
    await ingest(
      "late.csv",
      rowsOf("L", [MONTHS[3]!], () => 30),
    );
    await runStages(["analytics"], settings);
    const after = await readEmergingState(settings.lakeDir);
    expect(after.get("theft")!.key).not.toBe(before.get("theft")!.key);
    expect(after.get("theft")!.output!.input_sha256).not.toBe(before.get("theft")!.output!.input_sha256);
    expect(await entryKeysOfPublishGrids()).toEqual({ burglary: true, theft: true });
    const { withRings, without } = await withAndWithout();
    expect(withRings).toEqual(without);
  }, 120_000);

  it("one more month: the run carries the tails and writes the emerging files a full run writes without the state", async () => {
    const files = async () => {
      const manifest = await readManifest(settings.lakeDir, settings.timeZone, settings.resolution);
      return Object.entries(manifest.tables?.emerging ?? {}).map(([key, entry]) => [key, entry.sha256]);
    };
    const before = await readEmergingState(settings.lakeDir);
    expect(before.get("theft")!.tail).not.toBeNull();
    await ingest(
      "next.csv",
      rowsOf("N", ["2020-01"], () => 40),
    );
    await runStages(["analytics"], settings);
    const carried = await files();
    const after = await readEmergingState(settings.lakeDir);
    expect(after.get("theft")!.months).toBe(before.get("theft")!.months + 1);
    expect(await entryKeysOfPublishGrids()).toEqual({ burglary: true, theft: true });
    const { withRings, without } = await withAndWithout();
    expect(withRings).toEqual(without);
    expect(carried.filter(([key]) => key!.includes("2020-01")).length).toBeGreaterThan(1);
    await rm(ringFile());
    await runStages(["analytics"], settings, { analyse: { full: true } });
    expect(await files()).toEqual(carried);
    expect((await readEmergingState(settings.lakeDir)).get("theft")).toEqual(after.get("theft"));
  }, 120_000);
});
