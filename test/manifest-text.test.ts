import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MANIFEST_FILE, parseManifest, readManifest, readManifestText } from "../etl/lake/manifest.ts";
import { tableFiles } from "../etl/lake/table-reader.ts";
import { TABLES } from "../etl/lake/tables.ts";

const dir = await mkdtemp(join(tmpdir(), "manifest-text-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A manifest listing these incident partitions (no aggregates: tableFiles of incidents needs none). */
const manifest = (keys: string[], place = "Šiaulių m. sav.") =>
  `${JSON.stringify({
    format: 1,
    timezone: "Europe/Vilnius",
    h3_resolution: 8,
    tables: { incidents: Object.fromEntries(keys.map((key) => [key, { month: key.slice(16, 23), rows: 1, sha256: "x", source: place }])) },
    sources: {},
  })}\n`;

async function lakeWith(name: string, text: string): Promise<string> {
  const lake = join(dir, name);
  await mkdir(lake, { recursive: true });
  await writeFile(join(lake, MANIFEST_FILE), text);
  return lake;
}

describe("readManifestText (issue 19: the text decoded only when the bytes change)", () => {
  it("gives the file's text, every change of it, and null for a lake with no manifest", async () => {
    const first = manifest(["incidents/month=2024-01/a.parquet"]);
    const lake = await lakeWith("a", first);
    expect(await readManifestText(lake)).toBe(first);
    expect(await readManifestText(lake)).toBe(first);
    // Same length, one character different: not taken for the text read before.
    const second = manifest(["incidents/month=2024-02/a.parquet"]);
    expect(second.length).toBe(first.length);
    await writeFile(join(lake, MANIFEST_FILE), second);
    expect(await readManifestText(lake)).toBe(second);
    // Another lake with the bytes read last is read as its own.
    const other = await lakeWith("b", manifest(["incidents/month=2024-02/a.parquet"], "Kelmės r. sav."));
    expect(await readManifestText(other)).toContain("Kelmės");
    expect(await readManifestText(join(dir, "none"))).toBeNull();
  });

  it("tableFiles and readManifest follow the manifest as it changes, and a damaged one is still refused", async () => {
    const lake = await lakeWith("c", manifest(["incidents/month=2024-01/a.parquet"]));
    expect(await tableFiles(lake, TABLES.incidents)).toEqual(["incidents/month=2024-01/a.parquet"]);
    const listed = await tableFiles(lake, TABLES.incidents);
    listed.push("changed by a caller");
    expect(await tableFiles(lake, TABLES.incidents)).toEqual(["incidents/month=2024-01/a.parquet"]);
    await writeFile(join(lake, MANIFEST_FILE), manifest(["incidents/month=2024-01/a.parquet", "incidents/month=2024-03/b.parquet"]));
    expect(await tableFiles(lake, TABLES.incidents)).toEqual(["incidents/month=2024-01/a.parquet", "incidents/month=2024-03/b.parquet"]);
    // Each reader gets its own object: a change to one is not seen by the next.
    const read = await readManifest(lake, "Europe/Vilnius", 8);
    read.tables.incidents = {};
    expect(Object.keys((await readManifest(lake, "Europe/Vilnius", 8)).tables.incidents!)).toHaveLength(2);
    await writeFile(join(lake, MANIFEST_FILE), "{}");
    await expect(readManifest(lake, "Europe/Vilnius", 8)).rejects.toThrow(/is damaged/);
    expect(() => parseManifest("{}", "m")).toThrow(/is damaged/);
  });
});
