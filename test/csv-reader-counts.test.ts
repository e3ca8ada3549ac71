/**
 * The CSV reader threads from TypeScript sources (each thread registers tsx, then loads
 * csv-reader-worker.ts): whatever their number — one, more than this machine's cores, more than
 * there are chunks — the lake is byte for byte the one read in the main thread. The bundled reader
 * (csv-reader-worker.mjs) is tested in test/e2e/lambda-bundle.test.ts.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvReaders } from "../etl/ingest/csv-readers.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import type { SourceDescription } from "../etl/ingest/source-description.ts";
import { canonicalSource, projectRoot } from "./helpers/shared.ts";

let dir: string;
let source: SourceDescription;
let history: Buffer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "reader-counts-"));
  source = await canonicalSource();
  history = gunzipSync(await readFile(join(projectRoot, "data", "incidents", "siauliai-2015-2021.csv.gz")));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Ingests the bundled history with `readers` threads (1 MiB chunks: six of them) into a new lake; its files and the threads started. */
async function ingest(readers: number): Promise<{ lake: Record<string, string>; threads: number }> {
  const folder = join(dir, `readers-${readers}`);
  await mkdir(folder, { recursive: true });
  const file = join(folder, "siauliai-2015-2021.csv");
  await writeFile(file, history);
  const before = CsvReaders.threadsStarted;
  await ingestFile(file, {
    lakeDir: join(folder, "lake"),
    resolution: 8,
    timeZone: "Europe/Vilnius",
    now: Date.UTC(2026, 0, 1),
    source,
    readers,
    chunkBytes: 1 << 20,
  });
  const threads = CsvReaders.threadsStarted - before;
  const lake: Record<string, string> = {};
  for (const e of await readdir(join(folder, "lake"), { recursive: true, withFileTypes: true })) {
    if (e.isFile()) lake[join(e.parentPath, e.name).slice(folder.length)] = (await readFile(join(e.parentPath, e.name))).toString("base64");
  }
  return { lake, threads };
}

describe("CSV reader threads", () => {
  it("read the same lake as the main thread, with one thread or with more threads than chunks", async () => {
    const main = await ingest(0);
    expect(main.threads).toBe(0);
    for (const readers of [1, 7]) {
      const threaded = await ingest(readers);
      expect(threaded.threads).toBe(readers);
      expect(threaded.lake).toEqual(main.lake);
    }
  }, 120_000);
});
