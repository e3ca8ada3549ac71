/**
 * restorePublishState / savePublishState on their own, against s3rver: only carried files travel,
 * unchanged ones are not uploaded again, a file the run removed is deleted from the prefix, and an
 * object whose bytes do not match its checksum is not restored. (The monthly run around them:
 * test/handlers-publish-state.test.ts.)
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CARRIED_FILES } from "../etl/publish/publish-state.ts";
import { restorePublishState, savePublishState } from "../etl/storage/s3-publish-state.ts";
import { startLocalS3, type LocalS3 } from "./helpers/local-s3.ts";

const BUCKET = "state-unit";
const URL = `s3://${BUCKET}/publish-state`;
let s3: LocalS3;
let work: string;

/** A data folder holding each carried file with the given text, and a data file that is not carried. */
async function dataFolder(texts: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(work, "data-"));
  await mkdir(join(dir, ".state"), { recursive: true });
  for (const [file, text] of Object.entries(texts)) await writeFile(join(dir, ...file.split("/")), text);
  await writeFile(join(dir, "meta.json"), "{}");
  return dir;
}

beforeAll(async () => {
  s3 = await startLocalS3();
  await s3.createBucket(BUCKET);
  work = await mkdtemp(join(tmpdir(), "s3-publish-state-"));
});
afterAll(async () => {
  await s3?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("the publish state in S3", () => {
  const texts = Object.fromEntries(CARRIED_FILES.map((file, i) => [file, JSON.stringify({ file, i })]));

  it("saves exactly the carried files, then restores them byte for byte into a fresh folder", async () => {
    const first = await dataFolder(texts);
    const empty = await restorePublishState(s3.client, URL, first);
    expect(empty.restored.size).toBe(0);
    expect(await savePublishState(s3.client, empty, first)).toEqual({ restored: [], ignored: [], saved: [...CARRIED_FILES], deleted: [] });
    expect(await s3.keys(BUCKET)).toEqual(CARRIED_FILES.map((f) => `publish-state/${f}`).sort());

    const fresh = await mkdtemp(join(work, "fresh-"));
    const state = await restorePublishState(s3.client, URL, fresh);
    expect([...state.restored.keys()]).toEqual([...CARRIED_FILES]);
    for (const file of CARRIED_FILES) expect(await readFile(join(fresh, ...file.split("/")), "utf8")).toBe(texts[file]);
  });

  it("after a run: a changed file is uploaded, an unchanged one is not, a removed one is deleted", async () => {
    const dir = await mkdtemp(join(work, "run-"));
    const state = await restorePublishState(s3.client, URL, dir);
    const [changed, removed] = [CARRIED_FILES[0]!, CARRIED_FILES[1]!];
    await writeFile(join(dir, ...changed.split("/")), '{"changed":true}');
    await rm(join(dir, ...removed.split("/")));
    const saved = await savePublishState(s3.client, state, dir);
    expect(saved).toMatchObject({ saved: [changed], deleted: [removed] });
    expect((await s3.get(BUCKET, `publish-state/${changed}`))!.toString("utf8")).toBe('{"changed":true}');
    expect(await s3.get(BUCKET, `publish-state/${removed}`)).toBeNull();
  });

  it("an object whose bytes do not match its checksum (or that has none) is not restored, and is replaced by the run's file", async () => {
    const damaged = CARRIED_FILES[0]!;
    await s3.put(BUCKET, `publish-state/${damaged}`, '{"changed":tr'); // s3.put sends no checksum metadata
    const dir = await mkdtemp(join(work, "damaged-"));
    const state = await restorePublishState(s3.client, URL, dir);
    expect(state.ignored).toEqual([damaged]);
    expect(state.restored.has(damaged)).toBe(false);
    await expect(readFile(join(dir, ...damaged.split("/")))).rejects.toThrow(/ENOENT/);
    await mkdir(join(dir, ".state"), { recursive: true });
    await writeFile(join(dir, ...damaged.split("/")), '{"recomputed":1}');
    expect(await savePublishState(s3.client, state, dir)).toMatchObject({ ignored: [damaged], saved: [damaged] });
    const again = await restorePublishState(s3.client, URL, await mkdtemp(join(work, "again-")));
    expect(again.ignored).toEqual([]);
    expect(again.restored.has(damaged)).toBe(true);
  });
});
