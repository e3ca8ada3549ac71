import { rmSync } from "node:fs";
import type { Command } from "commander";
import { createS3Client } from "./s3-client.ts";
import { ALL_STAGES, MONTHLY_STAGES, stagesScope, type LakeScope } from "../stages.ts";
import { LAKE_SCOPES, S3LakeSession } from "./s3-lake.ts";
import { isS3Url } from "./s3-url.ts";

/** The part of the lake each command needs, from the stages it runs; commands not listed get the whole lake. */
const COMMAND_SCOPES: Record<string, LakeScope> = {
  ingest: LAKE_SCOPES.ingest,
  context: stagesScope(["context"]),
  analyse: stagesScope(["analyse"]),
  emerging: stagesScope(["analytics"]),
  forecast: stagesScope(["analytics"]),
  backtest: stagesScope(["analytics"]),
  publish: stagesScope(["publish"]),
  run: stagesScope(ALL_STAGES),
  serve: [],
};

/**
 * The scope of `command` as invoked: `run --no-ingest` runs the stages after ingest, which read the
 * aggregates, not incident rows; where one does read them (stagesReadIncidents), the command fetches
 * them once its settings are known (etl/cli/incident-mirror.ts), as publish and the analytics commands do.
 */
function commandScope(command: Command): LakeScope {
  if (command.name() === "run" && command.opts().ingest === false) return stagesScope(MONTHLY_STAGES);
  return COMMAND_SCOPES[command.name()] ?? LAKE_SCOPES.everything;
}

/**
 * Lets every command of `program` take `--lake s3://bucket/prefix`: before the action, the part of
 * the lake the command needs is mirrored into a temporary folder and `--lake` is pointed at it;
 * after the action, what changed is uploaded (data files, then manifest.json, then deletions; see
 * S3LakeSession). A failed command uploads nothing. Adds `--s3-endpoint <url>` for S3-compatible
 * servers (also `HOTSPOTS_S3_ENDPOINT`). Wired in etl/cli/program.ts before parsing: `attachS3Lake(program)`.
 */
export function attachS3Lake(program: Command): void {
  program.option("--s3-endpoint <url>", "endpoint of an S3-compatible server for an s3:// lake (default: AWS S3, or HOTSPOTS_S3_ENDPOINT)");
  let session: S3LakeSession | undefined;
  program.hook("preAction", async (_root, action) => {
    const lake = String(program.opts().lake);
    if (!isS3Url(lake)) return;
    const endpoint = program.opts().s3Endpoint as string | undefined;
    const client = createS3Client(endpoint ? { endpoint } : {});
    // The root caches travel too: a command after one more month then reads that month, not the whole lake.
    // `check` reports the bucket as it is (a pending commit, unlisted files), and completes a commit only with --repair.
    const asFound = action.name() === "check" ? { asFound: { repair: action.opts().repair === true } } : {};
    session = await S3LakeSession.open(client, lake, commandScope(action), undefined, { rootCaches: true, ...asFound });
    const dir = session.dir;
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    program.setOptionValue("lake", dir);
    // A local file's export path (its identity in the lake) is taken relative to the working folder,
    // not to the mirror, which is a new temporary folder each run (see IngestOptions.exportBase).
    program.setOptionValue("exportBase", process.cwd());
    // Ingest's mirror holds only the manifest: its repeated-id check brings the other exports' files;
    // the stages after ingest bring the incident rows where one reads them (etl/cli/incident-mirror.ts).
    const opened = session;
    program.setOptionValue("fetchLakeFiles", (files: readonly string[]) => opened.fetch(files));
  });
  program.hook("postAction", async () => {
    if (!session) return;
    try {
      const pushed = await session.push();
      process.stderr.write(`${session.url}: ${pushed.uploaded.length} files uploaded, ${pushed.deleted.length} deleted, ${pushed.unchanged} unchanged\n`);
      if (pushed.pending.length > 0)
        process.stderr.write(`${session.url}: ${pushed.pending.length} deletions failed; they stay in the commit journal and the next run completes them\n`);
    } finally {
      await session.close();
      session = undefined;
    }
  });
}
