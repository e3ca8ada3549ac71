import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sha256File } from "../etl/lake/atomic-file.ts";
import type { PartitionEntry } from "../etl/lake/manifest.ts";
import { sqlLiteral, withConnection } from "../etl/duckdb/connection.ts";
import { storedPartitions } from "../etl/analytics/hot-spot-freshness.ts";
import { storedPartitionsKept } from "../etl/analytics/hot-spot-summary-store.ts";

/** A hot-spot-like partition: rows of (category, gi_bin, gi_bin_fdr, incidents). */
async function partition(lake: string, month: string, rows: Array<[string, number, number, number]>): Promise<[string, PartitionEntry]> {
  const key = `hotspots/month=${month}/hotspots.parquet`;
  await mkdir(join(lake, `hotspots/month=${month}`), { recursive: true });
  const values = rows.map(([c, b, f, n]) => `(${sqlLiteral(c)}, ${b}, ${f}, ${n})`).join(", ");
  await withConnection((c) =>
    c.run(`COPY (SELECT * FROM (VALUES ${values}) t(category, gi_bin, gi_bin_fdr, incidents)) TO ${sqlLiteral(join(lake, key))} (FORMAT parquet)`),
  );
  return [key, { month, rows: rows.length, sha256: await sha256File(join(lake, key)) }];
}

const plain = (m: Map<string, { month: string; inside: number; bin: Map<number, number>; binFdr: Map<number, number> }>) =>
  [...m].map(([k, p]) => [k, p.month, p.inside, [...p.bin], [...p.binFdr]]);

describe("the hot-spot summary store", () => {
  it("gives what the partitions store, read again only for bytes it has not seen", async () => {
    const lake = await mkdtemp(join(tmpdir(), "hot-spot-summaries-"));
    const a = await partition(lake, "2024-01", [
      ["all", 2, 1, 5],
      ["all", 0, 0, 1],
      ["all", 0, 0, 0],
      ["theft", 2, 2, 3],
    ]);
    const b = await partition(lake, "2024-02", [
      ["all", -1, 0, 0],
      ["all", 3, 3, 9],
    ]);
    const parts = new Map([a, b]);
    const direct = await withConnection((c) => storedPartitions(c, lake, parts, "all"));
    expect(plain(await withConnection((c) => storedPartitionsKept(c, lake, parts, "all")))).toEqual(plain(direct));
    expect(existsSync(join(lake, "_hot-spot-summaries.json"))).toBe(true);
    // Kept: the same again (now from the file).
    expect(plain(await withConnection((c) => storedPartitionsKept(c, lake, parts, "all")))).toEqual(plain(direct));

    // February recomputed to other bytes: its new summary, January's kept.
    const b2 = await partition(lake, "2024-02", [
      ["all", 1, 0, 4],
      ["all", 3, 2, 9],
    ]);
    expect(b2[1].sha256).not.toBe(b[1].sha256);
    const now = new Map([a, b2]);
    const kept = await withConnection((c) => storedPartitionsKept(c, lake, now, "all"));
    expect(plain(kept)).toEqual(plain(await withConnection((c) => storedPartitions(c, lake, now, "all"))));
    expect(kept.get(b2[0])!.inside).toBe(13);

    // The file is what is read for a checksum it holds: a summary planted under January's checksum is given back.
    const file = JSON.parse(await readFile(join(lake, "_hot-spot-summaries.json"), "utf8")) as { body: string };
    const body = JSON.parse(file.body) as { partitions: Record<string, { inside: number }> };
    body.partitions[a[1].sha256]!.inside = 777;
    const planted = JSON.stringify(body);
    const { createHash } = await import("node:crypto");
    await writeFile(join(lake, "_hot-spot-summaries.json"), JSON.stringify({ sha256: createHash("sha256").update(planted).digest("hex"), body: planted }));
    expect((await withConnection((c) => storedPartitionsKept(c, lake, now, "all"))).get(a[0])!.inside).toBe(777);

    // Damaged (checksum no longer matches) or for another category: a miss, the partitions read.
    await writeFile(join(lake, "_hot-spot-summaries.json"), JSON.stringify({ sha256: "0".repeat(64), body: planted }));
    expect(plain(await withConnection((c) => storedPartitionsKept(c, lake, now, "all")))).toEqual(plain(kept));
    expect(plain(await withConnection((c) => storedPartitionsKept(c, lake, now, "theft")))).toEqual(
      plain(await withConnection((c) => storedPartitions(c, lake, now, "theft"))),
    );
  });
});
