/**
 * A deployment for a city outside Lithuania, end to end on a local S3 server: the analysis the stack
 * resolves from its context (infra/lib/etl-analysis.ts: America/Vancouver, the incidents' hull, no
 * named places), staged into a task folder by the asset's own commands and read by the handler from
 * the environment the stack sets (analysisEnvironment). An upload of a Vancouver export is ingested
 * and the monthly run computes its hot spots (q4 #4: refused on the first upload, then "0 of 20,388
 * incidents lie in the study area").
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handlerConfig } from "../etl/handlers/handler-config.ts";
import { handleEtlEvent, type EtlResult } from "../etl/handlers/index.ts";
import type { Manifest } from "../etl/lake/manifest.ts";
import { resolveEtlAnalysis } from "../infra/lib/etl-analysis.ts";
import { projectAssetCommands } from "../infra/lib/etl-bundling.ts";
import { analysisEnvironment } from "../infra/lib/etl-function.ts";
import { objectCreatedEvent, startLocalS3, type LocalS3 } from "./helpers/local-s3.ts";

const RAW = "city-raw";
const LAKE = "city-curated";
const SITE = "city-site";
let s3: LocalS3;
let work: string;
let env: Record<string, string>;

/**
 * Thefts in the layout of the Vancouver Police Department's export (data/sources/vancouver-thefts.yaml:
 * date parts, UTM zone 10N metres), clustered around two blocks of downtown Vancouver so that the
 * month has hot spots.
 */
function vancouverCsv(months: readonly number[]): string {
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const rows = ["TYPE,YEAR,MONTH,DAY,HOUR,MINUTE,HUNDRED_BLOCK,NEIGHBOURHOOD,X,Y"];
  for (const month of months) {
    for (let i = 0; i < 240; i++) {
      const [x, y] = i % 3 === 0 ? [491500, 5459000] : i % 3 === 1 ? [487000, 5455000] : [484000 + random() * 12000, 5451000 + random() * 9000];
      const spread = i % 3 === 2 ? 0 : 300;
      rows.push(
        `Theft from Vehicle,2020,${month},${1 + (i % 28)},${i % 24},0,${i}XX MAIN ST,Downtown,${(x + (random() - 0.5) * spread).toFixed(1)},${(y + (random() - 0.5) * spread).toFixed(1)}`,
      );
    }
  }
  return `${rows.join("\n")}\n`;
}

beforeAll(async () => {
  vi.spyOn(console, "log").mockImplementation(() => undefined); // the handler's one-line JSON summaries
  work = await mkdtemp(join(tmpdir(), "handlers-other-city-"));
  // What `cdk deploy -c timeZone=America/Vancouver -c studyHull=1 -c places=none` puts into the asset and the environment.
  const analysis = resolveEtlAnalysis({ timeZone: "America/Vancouver", studyHull: "1", places: "none" });
  const task = join(work, "task");
  execFileSync("bash", ["-c", projectAssetCommands(task, analysis).join(" && ")]);
  s3 = await startLocalS3();
  for (const bucket of [RAW, LAKE, SITE]) await s3.createBucket(bucket);
  // A built page, as the site deploy leaves it: the monthly run re-points it at the new data files (a site without one fails).
  await s3.put(
    SITE,
    "index.html",
    '<script type="module">registerFile("./data/meta.json", {"name":"./data/meta.json","path":"./_file/data/meta.0.json","size":1});</script>',
  );
  env = { ...analysisEnvironment(analysis, task), LAKE_URL: `s3://${LAKE}/lake`, RAW_URL: `s3://${RAW}/raw`, SITE_URL: `s3://${SITE}`, WORK_DIR: work };
});
afterAll(async () => {
  await s3?.close();
  await rm(work, { recursive: true, force: true });
});

describe("a deployment configured for Vancouver", () => {
  const handle = (event: unknown) => handleEtlEvent(event, { client: s3.client, config: () => handlerConfig(env) });
  const key = "raw/vancouver-thefts/thefts-2020.csv";

  it("ingests an upload of the city's export into an empty lake, its months cut in the city's time zone", async () => {
    await s3.put(RAW, key, Buffer.from(vancouverCsv([1, 2])));
    const result = (await handle(objectCreatedEvent(RAW, key))) as Extract<EtlResult, { kind: "ingest" }>;
    expect(result.outcomes[0]).toMatchObject({ key, status: "ingested", source: "vancouver-thefts" });
    const manifest = JSON.parse((await s3.get(LAKE, "lake/manifest.json"))!.toString("utf8")) as Manifest;
    expect(manifest.timezone).toBe("America/Vancouver");
    expect(Object.values(manifest.sources)[0]).toMatchObject({ rows_quarantined: 0, months: ["2020-01", "2020-02"] });
  }, 120_000);

  it("the monthly run takes the incidents' hull as the study area and publishes the hot spots", async () => {
    const result = (await handle({ task: "analyse-publish" })) as Extract<EtlResult, { kind: "analyse-publish" }>;
    expect(result.outcome).toMatchObject({
      status: "done",
      analyse: { months: 2, first_month: "2020-01", last_month: "2020-02", incidents_outside_study_area: 0 },
    });
    expect(await s3.keys(LAKE, "lake/hotspots/")).toEqual(["lake/hotspots/month=2020-01/hotspots.parquet", "lake/hotspots/month=2020-02/hotspots.parquet"]);
    const meta = (await s3.keys(SITE, "_file/data/")).find((k) => k.includes("meta."));
    expect(meta).toBeDefined();
    expect(JSON.parse((await s3.get(SITE, meta!))!.toString("utf8"))).toMatchObject({
      months: ["2020-01", "2020-02"],
      hull_ring: 1,
      timezone: "America/Vancouver",
    });
  }, 480_000);

  it("a deployment left with another place's municipalities is told to redeploy, not given CLI flags", async () => {
    const misplaced = { ...env, STUDY_HULL: "", STUDY_MUNICIPALITIES: "Šiaulių m. sav." };
    const run = handleEtlEvent({ task: "analyse-publish" }, { client: s3.client, config: () => handlerConfig(misplaced) });
    await expect(run).rejects.toThrow(
      /^only 0 of the lake's 480 incidents lie in the study area \(Šiaulių m\. sav\.\); 480 fall outside it, so it is not the place these exports cover\. In AWS the study area is the deployment's: redeploy with -c studyHull=1 .* or -c projectConfig=/,
    );
    await expect(run).rejects.not.toThrow(/--hull|--config/);
  }, 240_000);
});
