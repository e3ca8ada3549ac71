/**
 * The analytics stage keeps, per category, what publish's ring rule needs of its emerging bins
 * (emerging-ring-store.ts): the rule decided from the kept minima is the rule decided from the bins
 * and neighbourhood counts, the key moves with every input, and publish uses an entry only under its
 * own key — a changed earlier month, or an entry of other counts, is recomputed.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gridDisk, latLngToCell } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spaceTimeBins, spaceTimeGiStar } from "../etl/analytics/emerging-space-time.ts";
import {
  emergingRingKey,
  keptRingMinima,
  readEmergingRings,
  ringMinima,
  ringReleased,
  storeRingMinima,
  type RingInputs,
} from "../etl/analytics/emerging-ring-store.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { DEFAULT_CONFIG_FILE, loadProjectConfig } from "../etl/config.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { sha256Text } from "../etl/lake/atomic-file.ts";
import { readManifest } from "../etl/lake/manifest.ts";
import { rootCacheFile } from "../etl/lake/root-caches.ts";
import { ingestStage } from "../etl/pipeline.ts";
import { emergingData } from "../etl/publish/emerging-data.ts";
import { releasableNeighbourhood, releaseRules } from "../etl/publish/release-rules.ts";
import { recordedConfig, settingsFromConfig, type PipelineSettings } from "../etl/settings.ts";
import { runStages } from "../etl/stages.ts";

const cells = gridDisk(latLngToCell(55.93, 23.31, 8), 3).sort();
const months = Array.from({ length: 14 }, (_, t) => `${2020 + Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, "0")}`);
let seed = 7;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
// A growing cluster over sparse noise: significant bins of both signs, neighbourhood counts of every size.
const counts = Float64Array.from({ length: cells.length * months.length }, (_, u) => {
  const [t, i] = [Math.floor(u / cells.length), u % cells.length];
  return (i < 4 ? Math.floor(t / 3) : 0) + (random() < 0.3 ? Math.floor(random() * 3) : 0);
});
const inputs: RingInputs = { counts, cells, months, k: 1, timeWindow: 1, fdr: true, minBin: 2 };

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

describe("the ring key", () => {
  it("changes with every input: an earlier month's count, the cells' order, the months, k, window, FDR, minimum bin", () => {
    const key = emergingRingKey(inputs);
    expect(emergingRingKey({ ...inputs, counts: counts.slice() })).toBe(key);
    const earlier = counts.slice();
    earlier[2 * cells.length + 5]! += 1;
    const swapped = [...cells];
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    const variants: RingInputs[] = [
      { ...inputs, counts: earlier },
      { ...inputs, cells: swapped },
      { ...inputs, months: months.map((m) => m.replace("2020", "2018")) },
      { ...inputs, k: 2 },
      { ...inputs, timeWindow: 2 },
      { ...inputs, timeWindow: null },
      { ...inputs, fdr: false },
      { ...inputs, minBin: 3 },
    ];
    const keys = new Set([key, ...variants.map(emergingRingKey)]);
    expect(keys.size).toBe(variants.length + 1);
    expect(() => emergingRingKey({ ...inputs, months: months.slice(1) })).toThrow(RangeError);
  });
});

describe("the ring store", () => {
  let lake: string;
  beforeAll(async () => {
    lake = await mkdtemp(join(tmpdir(), "emerging-rings-"));
  });
  afterAll(() => rm(lake, { recursive: true, force: true }));

  it("gives an entry back under its key only, keeps other categories' entries, and treats a damaged file as empty", async () => {
    expect((await readEmergingRings(lake)).size).toBe(0);
    await storeRingMinima(lake, "theft", "k1", [0, 3, 7]);
    await storeRingMinima(lake, "burglary", "k2", [1, 0, 0]);
    await storeRingMinima(lake, "theft", "k3", [0, 4, 7]);
    const rings = await readEmergingRings(lake);
    expect(keptRingMinima(rings, "theft", "k3", 3)).toEqual(Float64Array.of(0, 4, 7));
    expect(keptRingMinima(rings, "theft", "k1", 3)).toBeNull();
    expect(keptRingMinima(rings, "theft", "k3", 4)).toBeNull();
    expect(keptRingMinima(rings, "burglary", "k2", 3)).toEqual(Float64Array.of(1, 0, 0));
    expect(keptRingMinima(rings, "robbery", "k2", 3)).toBeNull();
    const path = join(lake, rootCacheFile("emergingRings"));
    await writeFile(path, (await readFile(path, "utf8")).replace('\\"k3\\"', '\\"k4\\"'));
    expect((await readEmergingRings(lake)).size).toBe(0);
  });
});

describe("publish with the analytics stage's ring minima", () => {
  const HEADER = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";
  const CATEGORIES = ["theft", "burglary", "domestic_violence"];
  const MONTHS = Array.from({ length: 12 }, (_, t) => `2019-${String(t + 1).padStart(2, "0")}`);
  let dir: string;
  let settings: PipelineSettings;
  const rowsOf = (prefix: string, months: readonly string[], perMonth: (t: number) => number) =>
    months.flatMap((month, t) =>
      Array.from({ length: perMonth(t) }, (_, i) =>
        [`${prefix}-${month}-${i}`, `${month}-1${i % 9}T12:00:00Z`, "X", CATEGORIES[i % 3], "pre_trial_investigation"]
          .concat([(55.93 + ((i * 7 + t) % 5) * 0.004).toFixed(6), (23.31 + ((i * 3 + t) % 6) * 0.006).toFixed(6), "Šiaulių m. sav.", "Šiauliai", "test"])
          .join(","),
      ),
    );
  const ingest = async (name: string, rows: string[]) => {
    const file = join(dir, name);
    await writeFile(file, `${[HEADER, ...rows].join("\n")}\n`);
    await ingestStage([file], settings);
  };
  const ringFile = () => join(settings.lakeDir, rootCacheFile("emergingRings"));
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
  /** The file with every entry's minima set to `value` (a stand-in for an entry of other counts when the key is kept). */
  const tamper = async (value: number, key?: string) => {
    const file = JSON.parse(await readFile(ringFile(), "utf8")) as { body: string };
    const body = JSON.parse(file.body) as { format: number; entries: Record<string, { key: string; minima: number[] }> };
    for (const entry of Object.values(body.entries)) {
      entry.minima = entry.minima.map(() => value);
      if (key) entry.key = key;
    }
    const text = JSON.stringify(body);
    await writeFile(ringFile(), JSON.stringify({ sha256: sha256Text(text), body: text }));
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "emerging-rings-run-"));
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

  it("gives what computing every bin gives, and reads the entries it is given (an entry with other minima under the same key changes the result)", async () => {
    const rings = await readEmergingRings(settings.lakeDir);
    expect([...rings.keys()]).toEqual(expect.arrayContaining(["all", "burglary", "theft"]));
    const { withRings, without } = await withAndWithout();
    expect(withRings.cells.length).toBeGreaterThan(0);
    expect(withRings).toEqual(without);
    // Minima of 1 (a neighbourhood below the threshold in a significant bin of every cell) under the right key: theft withholds every cell.
    const kept = await readFile(ringFile(), "utf8");
    await tamper(1);
    const theft = (data: typeof without) => data.runs.find((r) => r.category === "theft")!;
    const tampered = await publish();
    expect(theft(without).withheld).toBeLessThan(rings.get("theft")!.minima.length);
    expect(theft(tampered).withheld).toBe(rings.get("theft")!.minima.length);
    // The same minima under another key: not used.
    await tamper(1, "0".repeat(64));
    expect(await publish()).toEqual(without);
    await writeFile(ringFile(), kept);
  }, 60_000);

  it("an earlier month's counts change (a late export) and the analytics run again: the entries follow, publish as computing every bin", async () => {
    const before = await readEmergingRings(settings.lakeDir);
    await ingest(
      "late.csv",
      rowsOf("L", [MONTHS[3]!], () => 30),
    );
    await runStages(["analytics"], settings);
    const after = await readEmergingRings(settings.lakeDir);
    expect(after.get("theft")!.key).not.toBe(before.get("theft")!.key);
    const { withRings, without } = await withAndWithout();
    expect(withRings).toEqual(without);
  }, 120_000);
});
