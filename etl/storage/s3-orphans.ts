import type { S3Client } from "@aws-sdk/client-s3";
import { MANIFEST_FILE, manifestFiles, type Manifest } from "../lake/manifest.ts";
import { MANIFEST_FOLDERS } from "../lake/table-paths.ts";
import { rollForward, withLeaseIfFree, type CommitOptions, type RollForward } from "./s3-commit.ts";
import { deleteObjects, listObjects, readObject } from "./s3-objects.ts";
import { keyOf, relativeKey, type S3Location } from "./s3-url.ts";

/** The folders whose every file the manifest accounts for: every table's (see ../lake/table-paths.ts). */
export { MANIFEST_FOLDERS } from "../lake/table-paths.ts";

/** What a lake repair did; `skipped` when another writer held the lease (it repairs as it commits). */
export type LakeRepair = { status: "skipped"; reason: string } | { status: "done"; journal: RollForward["status"]; removed: string[]; pending: string[] };

/**
 * Brings an S3 lake back to exactly what its manifest lists: under the lease, rolls forward a commit
 * left half-done (its deletes included), then deletes every file in a manifest folder that the
 * manifest does not list and that is older than `graceHours` (the uploads of a writer killed before
 * its manifest). The grace period covers writers that commit without the lease (older versions) or
 * whose lease expired mid-upload; the lease itself already keeps a live writer's uploads safe.
 */
export async function repairS3Lake(client: S3Client, location: S3Location, graceHours: number, options: CommitOptions = {}): Promise<LakeRepair> {
  const repaired = await withLeaseIfFree(client, location, options, async (): Promise<LakeRepair> => {
    const journal = await rollForward(client, location);
    const found = await readObject(client, location.bucket, keyOf(location, MANIFEST_FILE));
    const listed = found === null ? new Set<string>() : manifestFiles(JSON.parse(found.body.toString("utf8")) as Manifest);
    const cutoff = (options.now?.() ?? Date.now()) - graceHours * 3_600_000;
    const orphans: string[] = [];
    for (const object of await listObjects(client, location.bucket, location.prefix === "" ? "" : `${location.prefix}/`)) {
      const file = relativeKey(location, object.key);
      if (file === null || listed.has(file) || !MANIFEST_FOLDERS.some((folder) => file.startsWith(folder))) continue;
      if (object.lastModified.getTime() <= cutoff) orphans.push(file);
    }
    await deleteObjects(
      client,
      location.bucket,
      orphans.map((file) => keyOf(location, file)),
    );
    return { status: "done", journal: journal.status, removed: orphans.sort(), pending: journal.status === "completed" ? journal.pending : [] };
  });
  return repaired ?? { status: "skipped", reason: "another writer holds the lake's lease" };
}
