/**
 * The monthly Lambda keeps the publish caches between runs (etl/storage/s3-publish-state.ts): its
 * data folder is fresh each run, so the `.state/` files and hotspots.json go to a private prefix of
 * the lake's bucket and come back before the next publish. Against a real S3-compatible server
 * (s3rver): a later month's run restores and reuses them, and publishes byte for byte what a cold run
 * on the same lake publishes; a damaged object is a cache miss with the same outputs; a failed run
 * saves nothing; the lake's orphan sweep leaves the prefix alone.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handlerConfig } from "../etl/handlers/handler-config.ts";
import { handleEtlEvent, type EtlResult } from "../etl/handlers/index.ts";
import { MONTHLY_RUN_MARKER } from "../etl/handlers/monthly-heartbeat.ts";
import { CARRIED_FILES } from "../etl/publish/publish-state.ts";
import { repairS3Lake } from "../etl/storage/s3-orphans.ts";
import { parseS3Url } from "../etl/storage/s3-url.ts";
import { objectCreatedEvent, startLocalS3, type LocalS3 } from "./helpers/local-s3.ts";
import { bundledMonthsCsv } from "./helpers/shared.ts";

/** What the publish caches did in the last run, observed where the publish calls them. */
const seen = vi.hoisted(() => ({ states: new Map<string, boolean>(), previousHotSpots: [] as boolean[], placeNamesComputed: [] as number[] }));
vi.mock("../etl/publish/publish-state.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../etl/publish/publish-state.ts")>();
  return {
    ...original,
    readState: async <T>(file: string): Promise<T | null> => {
      const value = await original.readState<T>(file);
      seen.states.set(file.split(/[\\/]/).pop()!, value !== null);
      return value;
    },
  };
});
vi.mock("../etl/publish/hotspot-table.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../etl/publish/hotspot-table.ts")>();
  return {
    ...original,
    hotSpotsReusing: (...args: Parameters<typeof original.hotSpotsReusing>) => {
      seen.previousHotSpots.push(args[5]?.previous != null);
      return original.hotSpotsReusing(...args);
    },
  };
});
vi.mock("../etl/publish/cell-place-names.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../etl/publish/cell-place-names.ts")>();
  return {
    ...original,
    cachedCellPlaceNames: async (...args: Parameters<typeof original.cachedCellPlaceNames>) => {
      const result = await original.cachedCellPlaceNames(...args);
      seen.placeNamesComputed.push(result.computed);
      return result;
    },
  };
});

const RAW = "state-raw";
const LAKE = "state-curated";
const SITE = "state-site";
const STATE_PREFIX = "publish-state";
let s3: LocalS3;
let work: string;

const incidentCsv = (months: readonly string[]) => bundledMonthsCsv(months);
const created = (key: string) => objectCreatedEvent(RAW, key);

const env = () => ({
  LAKE_URL: `s3://${LAKE}/lake`,
  RAW_URL: `s3://${RAW}/raw`,
  SITE_URL: `s3://${SITE}`,
  PUBLISH_STATE_URL: `s3://${LAKE}/${STATE_PREFIX}`,
  WORK_DIR: work,
});
const handle = (event: unknown) => handleEtlEvent(event, { client: s3.client, config: () => handlerConfig(env()) });
type Done = Extract<Extract<EtlResult, { kind: "analyse-publish" }>["outcome"], { status: "done" }>;

/** One monthly run, with what the caches did in it. */
async function monthly(): Promise<Done & { seen: { states: Record<string, boolean>; previousHotSpots: boolean[]; placeNamesComputed: number[] } }> {
  seen.states.clear();
  seen.previousHotSpots.length = 0;
  seen.placeNamesComputed.length = 0;
  const result = (await handle({ task: "analyse-publish" })) as Extract<EtlResult, { kind: "analyse-publish" }>;
  // A run that published records its completion for the missed-run alarm (etl/handlers/monthly-heartbeat.ts).
  const marker = JSON.parse((await s3.get(LAKE, `lake/${MONTHLY_RUN_MARKER}`))!.toString("utf8")) as { completed_at: string };
  expect(Date.now() - Date.parse(marker.completed_at)).toBeLessThan(120_000);
  return {
    ...result.outcome,
    seen: { states: Object.fromEntries(seen.states), previousHotSpots: [...seen.previousHotSpots], placeNamesComputed: [...seen.placeNamesComputed] },
  };
}

/**
 * The data files a run published, by name, as bytes; meta.json without its generation time (the one
 * field that differs between two runs on the same lake).
 */
async function published(run: Done): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const path of run.site!.data) {
    const name = basename(path).replace(/\.[0-9a-f]{8}(\.\w+)$/, "$1");
    const text = (await s3.get(SITE, path))!.toString("utf8");
    files[name] = name === "meta.json" ? JSON.stringify({ ...(JSON.parse(text) as object), generated_at: null }) : text;
  }
  return files;
}

const stateKeys = () => s3.keys(LAKE, `${STATE_PREFIX}/`);
const stateObjects = async (): Promise<Record<string, string>> =>
  Object.fromEntries(await Promise.all((await stateKeys()).map(async (k) => [k, (await s3.get(LAKE, k))!.toString("utf8")] as const)));

beforeAll(async () => {
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  s3 = await startLocalS3();
  for (const bucket of [RAW, LAKE, SITE]) await s3.createBucket(bucket);
  work = await mkdtemp(join(tmpdir(), "handlers-publish-state-"));
  // A built page, as the site deploy leaves it: the monthly run re-points it at the new data files (a site without one fails).
  await s3.put(
    SITE,
    "index.html",
    '<script type="module">registerFile("./data/meta.json", {"name":"./data/meta.json","path":"./_file/data/meta.0.json","size":1});</script>',
  );
});
afterAll(async () => {
  await s3?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("the monthly run's publish state in S3", () => {
  let second: Awaited<ReturnType<typeof monthly>>;
  /** What the second run published, read before a later publish deletes what it supersedes. */
  let secondFiles: Record<string, string>;
  let cold: Record<string, string>;

  it("refuses a state prefix inside the lake (it would be mirrored and swept with it) or in the served site bucket", () => {
    expect(() => handlerConfig({ ...env(), PUBLISH_STATE_URL: `s3://${LAKE}/lake/publish-state` })).toThrow(
      `PUBLISH_STATE_URL s3://${LAKE}/lake/publish-state overlaps the lake s3://${LAKE}/lake`,
    );
    expect(() => handlerConfig({ ...env(), PUBLISH_STATE_URL: `s3://${LAKE}` })).toThrow(/overlaps the lake/);
    expect(() => handlerConfig({ ...env(), PUBLISH_STATE_URL: `s3://${SITE}/state` })).toThrow(/is in the site's bucket, which is served/);
    expect(handlerConfig(env()).publishStateUrl).toBe(`s3://${LAKE}/${STATE_PREFIX}`);
  });

  it("a first run computes everything and saves every carried file, each with its checksum, and no incident row", async () => {
    await s3.put(RAW, "raw/siauliai-demo/2019-01-02.csv", incidentCsv(["2019-01", "2019-02"]));
    await handle(created("raw/siauliai-demo/2019-01-02.csv"));
    const first = await monthly();
    expect(first.state).toEqual({ restored: [], ignored: [], saved: [...CARRIED_FILES], deleted: [] });
    expect(first.seen.previousHotSpots).toEqual([false]);
    expect(first.seen.placeNamesComputed[0]).toBeGreaterThan(100);
    expect(await stateKeys()).toEqual(CARRIED_FILES.map((f) => `${STATE_PREFIX}/${f}`).sort());
    for (const [key, text] of Object.entries(await stateObjects())) {
      expect(() => JSON.parse(text) as unknown, key).not.toThrow();
      expect(text, key).not.toMatch(/SIA-\d{4}-\d+/);
      const head = await s3.client.send(new HeadObjectCommand({ Bucket: LAKE, Key: key }));
      expect(head.Metadata?.sha256, key).toBe(createHash("sha256").update(text).digest("hex"));
    }
  }, 240_000);

  it("a run that fails after the stages (the site unreachable) leaves the saved state as it was", async () => {
    await s3.put(RAW, "raw/siauliai-demo/2019-03.csv", incidentCsv(["2019-03"]));
    await handle(created("raw/siauliai-demo/2019-03.csv"));
    const before = await stateObjects();
    s3.failAlways((r) => r.method === "PUT" && r.path.startsWith(`/${SITE}/`));
    try {
      await expect(handle({ task: "analyse-publish" })).rejects.toThrow(/S3 PutObject s3:\/\/state-site\//);
    } finally {
      s3.failAlways(null);
    }
    expect(await stateObjects()).toEqual(before);
  }, 240_000);

  it("a run one month later restores the state and reuses every cache", async () => {
    second = await monthly();
    secondFiles = await published(second);
    expect(second.state!.restored).toEqual([...CARRIED_FILES]);
    expect(second.state!.ignored).toEqual([]);
    // Each cache read its restored file; the hot spots' previous table matched its state's checksum.
    expect(second.seen.states).toEqual({
      "count-rows.json": true,
      "evaluations.json": true,
      "hotspots-state.json": true,
      "place-names.json": true,
      "places.json": true,
    });
    expect(second.seen.previousHotSpots).toEqual([true]);
    // Only cells the first run did not name are named now.
    expect(second.seen.placeNamesComputed[0]).toBeLessThan(100);
    const meta = JSON.parse(secondFiles["meta.json"]!) as { months: string[] };
    expect(meta.months).toEqual(["2019-01", "2019-02", "2019-03"]);
  }, 240_000);

  it("publishes byte for byte what a cold run on the same lake publishes", async () => {
    const saved = await stateObjects();
    for (const k of await stateKeys()) await s3.client.send(new DeleteObjectCommand({ Bucket: LAKE, Key: k }));
    const coldRun = await monthly();
    expect(coldRun.state).toMatchObject({ restored: [], ignored: [], saved: [...CARRIED_FILES] });
    expect(coldRun.seen.previousHotSpots).toEqual([false]);
    expect(coldRun.seen.placeNamesComputed[0]).toBeGreaterThan(100);
    cold = await published(coldRun);
    expect(Object.keys(cold).length).toBeGreaterThan(10);
    expect(secondFiles).toEqual(cold);
    // The cold run's state is the reusing run's, byte for byte (its caches were complete).
    expect(await stateObjects()).toEqual(saved);
  }, 240_000);

  it("a damaged state object is a cache miss: the same outputs, and the object written whole again", async () => {
    const countRows = `${STATE_PREFIX}/.state/count-rows.json`;
    const hotSpotState = `${STATE_PREFIX}/.state/hotspots-state.json`;
    const good = await stateObjects();
    // Cut short with no checksum: not restored at all.
    await s3.put(LAKE, countRows, good[countRows]!.slice(0, 200));
    // Cut short but with the checksum of its bytes: restored, and the cache finds no JSON in it.
    const cut = Buffer.from(good[hotSpotState]!.slice(0, 50));
    await s3.client.send(
      new PutObjectCommand({ Bucket: LAKE, Key: hotSpotState, Body: cut, Metadata: { sha256: createHash("sha256").update(cut).digest("hex") } }),
    );
    const run = await monthly();
    expect(run.state!.ignored).toEqual([".state/count-rows.json"]);
    expect(run.state!.restored).toContain(".state/hotspots-state.json");
    expect(run.seen.states).toMatchObject({ "count-rows.json": false, "hotspots-state.json": false, "place-names.json": true });
    expect(run.seen.previousHotSpots).toEqual([false]);
    expect(await published(run)).toEqual(cold);
    expect(run.state!.saved.sort()).toEqual([".state/count-rows.json", ".state/hotspots-state.json"]);
    expect(await stateObjects()).toEqual(good);
  }, 240_000);

  it("the lake's orphan sweep leaves the state prefix alone", async () => {
    const before = await stateObjects();
    const repair = await repairS3Lake(s3.client, parseS3Url(`s3://${LAKE}/lake`), 0);
    expect(repair.status).toBe("done");
    expect(await stateObjects()).toEqual(before);
  });
});
