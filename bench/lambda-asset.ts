import { existsSync } from "node:fs";
import { readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { App, Stack } from "aws-cdk-lib";
import { Key } from "aws-cdk-lib/aws-kms";
import { Architecture } from "aws-cdk-lib/aws-lambda";
import { Bucket } from "aws-cdk-lib/aws-s3";
import { EtlFunction } from "../infra/lib/etl-function.ts";

/** The two architectures the ETL function can be deployed on (the stack's default is arm64). */
export type LambdaArch = "x64" | "arm64";

/**
 * Bundles the ETL function exactly as `cdk synth` does (EtlFunction's NodejsFunction: local esbuild,
 * DuckDB's native module installed into the asset for `arch` with `npm ci`, data files copied in) into
 * `outDir`, and moves the asset (the folder with `index.mjs`) to `taskDir`, replacing what was there:
 * one fixed folder whatever the architecture, as Lambda's /var/task is, because the lake records the
 * configuration's file paths (boundaries, places) of the function that first wrote it. The bench
 * measures the deployed code, not the sources under tsx; test/e2e/lambda-bundle.test.ts bundles
 * through this too.
 */
export async function bundleEtlAsset(outDir: string, taskDir: string, arch: LambdaArch): Promise<void> {
  const app = new App({ outdir: outDir });
  const stack = new Stack(app, "Bench");
  new EtlFunction(stack, "Etl", {
    raw: Bucket.fromBucketName(stack, "Raw", "raw"),
    curated: Bucket.fromBucketName(stack, "Curated", "curated"),
    site: Bucket.fromBucketName(stack, "Site", "site"),
    lakeKey: Key.fromKeyArn(stack, "Key", "arn:aws:kms:eu-north-1:123456789012:key/00000000-0000-0000-0000-000000000000"),
    architecture: arch === "arm64" ? Architecture.ARM_64 : Architecture.X86_64,
  });
  const asset = (await readdir(outDir)).find((name) => name.startsWith("asset.") && existsSync(join(outDir, name, "index.mjs")));
  if (!asset) throw new Error(`bundling the ETL function for ${arch} left no asset with index.mjs in ${outDir}`);
  const binary = join(outDir, asset, "node_modules", "@duckdb", `node-bindings-linux-${arch}`, "duckdb.node");
  if (!existsSync(binary)) throw new Error(`the ${arch} asset lacks DuckDB's linux-${arch} binary (${binary})`);
  await rm(taskDir, { recursive: true, force: true });
  await rename(join(outDir, asset), taskDir);
  await rm(outDir, { recursive: true, force: true });
}
