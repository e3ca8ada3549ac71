/**
 * A file of one month leaves a staging connection with no month to write; it counts the month's
 * day_counts from the staged rows while the other writes the partition (see IncidentStage.writeMonths).
 * The aggregate must be the one counted from the partition file: ensureAggregates rebuilds it from
 * the file, and the bytes must not change. Needs two cores (one connection per core).
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { ensureAggregates } from "../etl/lake/aggregates.ts";
import { MANIFEST_FILE, type Manifest } from "../etl/lake/manifest.ts";
import { canonicalSource, projectRoot } from "./helpers/shared.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "one-month-aggregates-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the aggregates of a one-month file", () => {
  it.skipIf(availableParallelism() < 2)("are byte for byte those counted from its partition file", async () => {
    // June 2019 of the small fixture, in Vilnius: T-1 (23:30 UTC on 31 May) is 02:30 on 1 June there.
    const fixture = await readFile(join(projectRoot, "test", "fixtures", "incidents-small.csv"), "utf8");
    const file = join(dir, "june.csv");
    await writeFile(
      file,
      fixture
        .split("\n")
        .filter((line) => !line.startsWith("T-2,"))
        .join("\n"),
    );
    const lake = join(dir, "lake");
    await ingestFile(file, { lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", now: Date.UTC(2026, 0, 1), source: await canonicalSource() });
    const manifestOf = async () => JSON.parse(await readFile(join(lake, MANIFEST_FILE), "utf8")) as Manifest;
    const written = await manifestOf();
    expect(Object.values(written.tables.incidents!).map((e) => e.month)).toEqual(["2019-06"]);
    const [dayKey, dayEntry] = Object.entries(written.tables.day_counts!)[0]!;
    expect(dayEntry.rows).toBeGreaterThan(1);
    const dayBytes = await readFile(join(lake, ...dayKey.split("/")));

    // The aggregates counted again, from the partition file.
    const stale: Manifest = { ...written, tables: { ...written.tables, day_counts: {}, cell_counts: {} } };
    await writeFile(join(lake, MANIFEST_FILE), JSON.stringify(stale));
    expect(await ensureAggregates(lake)).toEqual({ counted: 1, removed: 0 });
    const rebuilt = await manifestOf();
    expect(rebuilt.tables.day_counts).toEqual(written.tables.day_counts);
    expect(rebuilt.tables.cell_counts).toEqual(written.tables.cell_counts);
    expect(await readFile(join(lake, ...dayKey.split("/")))).toEqual(dayBytes);
  });
});
