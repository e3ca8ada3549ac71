import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { filesBelow } from "../etl/lake/lake-files.ts";

describe("filesBelow", () => {
  it("lists every file at any depth relative to the folder with forward slashes, folders left out; null for no folder", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lake-files-"));
    await mkdir(join(dir, "hotspots", "month=2024-01"), { recursive: true });
    await mkdir(join(dir, "empty"), { recursive: true });
    await writeFile(join(dir, "manifest.json"), "{}");
    await writeFile(join(dir, "hotspots", "month=2024-01", "all.parquet"), "x");
    await writeFile(join(dir, "hotspots", "month=2024-01", "all.parquet.123.456.tmp"), "x");
    expect(filesBelow(dir)?.sort()).toEqual(["hotspots/month=2024-01/all.parquet", "hotspots/month=2024-01/all.parquet.123.456.tmp", "manifest.json"]);
    expect(filesBelow(join(dir, "hotspots"))?.sort()).toEqual(["month=2024-01/all.parquet", "month=2024-01/all.parquet.123.456.tmp"]);
    // A file added since is listed by the next call: nothing is remembered between calls.
    await writeFile(join(dir, "empty", "later.parquet"), "x");
    expect(filesBelow(join(dir, "empty"))).toEqual(["later.parquet"]);
    expect(filesBelow(join(dir, "absent"))).toBeNull();
  });
});
