import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { sha256Text } from "../lake/atomic-file.ts";
import { CARRIED_FILES } from "../publish/publish-state.ts";
import { deleteObjects, readObject, uploadObject } from "./s3-objects.ts";
import { keyOf, parseS3Url, type S3Location } from "./s3-url.ts";

/** The user-metadata field holding the SHA-256 of an object's bytes as they were written. */
const CHECKSUM = "sha256";

/** What the monthly run restored of the previous publish's state, and what it saved for the next. */
export interface PublishStateSummary {
  /** Carried files restored into the data folder (their bytes matched the recorded checksum). */
  restored: string[];
  /** Objects present but not restored: no checksum, or bytes that do not match it (a cache miss). */
  ignored: string[];
  /** Files uploaded after the run: new, or changed since they were restored. */
  saved: string[];
  /** Objects deleted because the run left no such file (e.g. no hot-spot state to keep). */
  deleted: string[];
}

/** The state as restored: each restored file's SHA-256, and every object found. */
export interface RestoredPublishState {
  location: S3Location;
  restored: ReadonlyMap<string, string>;
  found: readonly string[];
  ignored: readonly string[];
}

/**
 * Keeps a publish's reuse across runs whose data folder is fresh (the monthly Lambda's): the files a
 * publish reads back from the previous one (CARRIED_FILES: the `.state/` caches and hotspots.json)
 * are kept under the private prefix `url`, one object each, and restored into the new data folder
 * before the stages run. Each object carries the SHA-256 of its bytes; one whose bytes do not match
 * (or without it) is not restored, so a damaged object is a cache miss. The caches check their own
 * inputs (partition checksums, the places' key, hotspots.json's SHA-256 in its state), so a state
 * from another lake or an earlier month, or a mix of two runs' objects, is a miss too, never a wrong
 * output. The objects hold sums before suppression (count-rows.json): `url` must be in the private,
 * encrypted lake bucket, never the site bucket (handler-config.ts checks).
 */
export async function restorePublishState(client: S3Client, url: string, dataDir: string): Promise<RestoredPublishState> {
  const location = parseS3Url(url);
  const restored = new Map<string, string>();
  const found: string[] = [];
  const ignored: string[] = [];
  for (const file of CARRIED_FILES) {
    const object = await readObject(client, location.bucket, keyOf(location, file));
    if (object === null) continue;
    found.push(file);
    const sha256 = sha256Text(object.body);
    if (object.metadata[CHECKSUM] !== sha256) {
      ignored.push(file);
      continue;
    }
    const path = join(dataDir, ...file.split("/"));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, object.body);
    restored.set(file, sha256);
  }
  return { location, restored, found, ignored };
}

/**
 * After a successful run only: uploads each carried file the run wrote or changed (each object
 * written whole, with its checksum) and deletes the objects of carried files the run left absent.
 * Unchanged files are not uploaded again.
 */
export async function savePublishState(client: S3Client, state: RestoredPublishState, dataDir: string): Promise<PublishStateSummary> {
  const { location } = state;
  const saved: string[] = [];
  const deleted: string[] = [];
  for (const file of CARRIED_FILES) {
    const body = await readFile(join(dataDir, ...file.split("/"))).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return null;
      throw error;
    });
    if (body === null) {
      if (state.found.includes(file)) deleted.push(file);
      continue;
    }
    const sha256 = sha256Text(body);
    if (state.restored.get(file) === sha256) continue;
    await uploadObject(client, location.bucket, keyOf(location, file), body, { metadata: { [CHECKSUM]: sha256 } });
    saved.push(file);
  }
  await deleteObjects(
    client,
    location.bucket,
    deleted.map((file) => keyOf(location, file)),
  );
  return { restored: [...state.restored.keys()], ignored: [...state.ignored], saved, deleted };
}
