/**
 * `hotspots --lake s3://… run --no-ingest` mirrors what its stages read (etl/stages.ts): the manifest,
 * the aggregates and the outputs, not the incident rows, unless a stage reads them
 * (stagesReadIncidents; here: an analysis at another resolution than the stored one). Its outputs are
 * those of the same run on a local copy of the lake, which holds every incident.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Manifest } from "../etl/lake/manifest.ts";
import { MONTHLY_STAGES, stagesReadIncidents } from "../etl/stages.ts";
import { hotspotsInProcess } from "./helpers/hotspots-cli.ts";
import { localS3Env, startLocalS3, type LocalS3 } from "./helpers/local-s3.ts";

const BUCKET = "no-ingest-lake";
const URL = `s3://${BUCKET}/lake`;
let s3: LocalS3;
let dir: string;

const HEADER = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";
/** A few incidents a month in central Šiauliai. */
function exportText(months: readonly string[]): string {
  const rows = months.flatMap((month, t) =>
    Array.from({ length: 15 }, (_, i) =>
      [`N-${month}-${i}`, `${month}-1${i % 9}T12:00:00Z`, "X", i % 3 ? "theft" : "burglary", "pre_trial_investigation"]
        .concat([(55.93 + ((i + t) % 4) * 0.004).toFixed(6), (23.31 + (i % 5) * 0.006).toFixed(6), "Šiaulių m. sav.", "Šiauliai", "test"])
        .join(","),
    ),
  );
  return `${[HEADER, ...rows].join("\n")}\n`;
}

const onS3 = (...args: string[]) => hotspotsInProcess(["--lake", URL, "--s3-endpoint", s3.endpoint, "--json", ...args]);
/** The lake objects GET since request `since`, as lake paths. */
const reads = (since: number) =>
  s3.requests
    .slice(since)
    .filter((r) => r.method === "GET" && r.path.startsWith(`/${BUCKET}/lake/`))
    .map((r) => r.path.slice(`/${BUCKET}/lake/`.length));

beforeAll(async () => {
  s3 = await startLocalS3();
  await s3.createBucket(BUCKET);
  dir = await mkdtemp(join(tmpdir(), "s3-run-no-ingest-"));
  for (const [name, value] of Object.entries(localS3Env(s3.endpoint))) vi.stubEnv(name, value);
  vi.spyOn(process.stderr, "write").mockImplementation(() => true); // progress and upload lines
});
afterAll(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("run --no-ingest on an S3 lake", () => {
  let local: string;

  beforeAll(async () => {
    const file = join(dir, "city.csv");
    await writeFile(file, exportText(["2019-01", "2019-02", "2019-03"]));
    await onS3("run", "--no-build", "--hull", "1", file);
    // A local copy of the whole lake, incidents included, as the S3 lake is now.
    local = join(dir, "local-lake");
    for (const key of await s3.keys(BUCKET, "lake/")) {
      const path = join(local, key.slice("lake/".length));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, (await s3.get(BUCKET, key))!);
    }
  }, 300_000);

  it("reads no incident object, and writes the outputs the same run writes on a local copy with every incident", async () => {
    const held = JSON.parse(await readFile(join(local, "manifest.json"), "utf8")) as Manifest;
    expect(Object.keys(held.tables.incidents!)).toHaveLength(3);
    const seen = s3.requests.length;
    await onS3("run", "--no-ingest", "--no-build", "--full");
    const got = reads(seen);
    expect(got.filter((key) => key.startsWith("cell_counts/")).length).toBe(3); // it read the aggregates
    expect(got.filter((key) => key.startsWith("incidents/") || key.startsWith("quarantine/"))).toEqual([]);

    await hotspotsInProcess(["--lake", local, "--json", "run", "--no-ingest", "--no-build", "--full"]);
    const remote = (await s3.get(BUCKET, "lake/manifest.json"))!.toString("utf8");
    expect(remote).toBe(await readFile(join(local, "manifest.json"), "utf8"));
    expect(Object.keys((JSON.parse(remote) as Manifest).tables.hot_spots ?? {})).toHaveLength(3);
  }, 300_000);

  it("fetches the incidents where a stage reads them: an analysis at another resolution indexes their coordinates", async () => {
    const seen = s3.requests.length;
    await onS3("--resolution", "7", "run", "--no-ingest", "--no-build");
    expect(
      reads(seen)
        .filter((key) => key.startsWith("incidents/"))
        .sort(),
    ).toEqual(Object.keys((JSON.parse((await s3.get(BUCKET, "lake/manifest.json"))!.toString("utf8")) as Manifest).tables.incidents!).sort());
    const manifest = JSON.parse((await s3.get(BUCKET, "lake/manifest.json"))!.toString("utf8")) as Manifest;
    expect(manifest.parameters?.hot_spots).toMatchObject({ resolution: 7 });
  }, 300_000);

  it("publish and analyse fetch them too where they read them, as on a local lake", async () => {
    const incidents = (await s3.keys(BUCKET, "lake/incidents/")).map((key) => key.slice("lake/".length)).sort();
    // The outputs are at resolution 7 now (the run above): publishing them counts the incidents at 7.
    let seen = s3.requests.length;
    await onS3("--resolution", "7", "publish", "--no-build");
    expect(
      reads(seen)
        .filter((key) => key.startsWith("incidents/"))
        .sort(),
    ).toEqual(incidents);
    seen = s3.requests.length;
    await onS3("--resolution", "9", "analyse");
    expect(
      reads(seen)
        .filter((key) => key.startsWith("incidents/"))
        .sort(),
    ).toEqual(incidents);
    const manifest = JSON.parse((await s3.get(BUCKET, "lake/manifest.json"))!.toString("utf8")) as Manifest;
    expect(manifest.parameters?.hot_spots).toMatchObject({ resolution: 9 });
    // At the stored resolution, neither reads them.
    seen = s3.requests.length;
    await onS3("analyse");
    expect(reads(seen).filter((key) => key.startsWith("incidents/"))).toEqual([]);
  }, 300_000);

  it("one rule decides it for the CLI and the monthly Lambda: stale aggregates, another resolution, a polygon evaluation area", async () => {
    const manifest = JSON.parse((await s3.get(BUCKET, "lake/manifest.json"))!.toString("utf8")) as Manifest;
    const polygon = join(dir, "box.geojson");
    const ring = [
      [23.3, 55.92],
      [23.4, 55.92],
      [23.4, 55.96],
      [23.3, 55.92],
    ];
    await writeFile(
      polygon,
      JSON.stringify({ type: "FeatureCollection", features: [{ type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates: [ring] } }] }),
    );
    const reads = (changes: Partial<Parameters<typeof stagesReadIncidents>[1]>, names = MONTHLY_STAGES) =>
      stagesReadIncidents(names, { manifest, resolution: manifest.h3_resolution, evaluations: [{ area: "Šiauliai", control: "Kuršėnai" }], ...changes });
    expect(reads({})).toBe(false);
    expect(reads({ resolution: manifest.h3_resolution - 1 })).toBe(true);
    expect(reads({ evaluations: [{ area: "Šiauliai", control: `geojson:${polygon}` }] })).toBe(true);
    // The evaluations matter only to the evaluate stage; ingest alone fetches what it reads itself.
    expect(reads({ evaluations: [{ area: `geojson:${polygon}` }] }, ["analyse", "publish"])).toBe(false);
    expect(reads({ resolution: manifest.h3_resolution - 1 }, ["ingest"])).toBe(false);
    const { cell_counts: _dropped, ...tables } = manifest.tables;
    expect(reads({ manifest: { ...manifest, tables } })).toBe(true);
  });
});
