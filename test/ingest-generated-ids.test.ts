/**
 * A source without an id column gets ids `<source>-<line>` from the file's own physical line (issue
 * 18): on a file of several 4 MiB reading chunks read by reader threads the ids are unique and equal
 * those csv-parse gives, and the two readers write the same lake.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { withConnection } from "../etl/duckdb/connection.ts";
import { CsvReaders } from "../etl/ingest/csv-readers.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import type { SourceDescription } from "../etl/ingest/source-description.ts";
import { lakeLayout } from "../etl/lake/lake-layout.ts";
import { HEADER, row } from "./bad-input/corpus.ts";
import { canonicalSource } from "./helpers/shared.ts";
import { lakeSnapshot } from "./helpers/lake-snapshot.ts";

const NOW = Date.UTC(2026, 0, 1);
let dir: string;
let source: SourceDescription;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "generated-ids-"));
  const canonical = await canonicalSource();
  const { id: _id, ...columns } = canonical.columns;
  source = { ...canonical, columns };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it("are the file's own line numbers on a file of several 4 MiB chunks read by reader threads", async () => {
  // 80,000 rows (about 11 MiB: three chunks), a blank line every 1,000 rows and one bad row.
  const lines = [HEADER];
  for (let i = 0; i < 80_000; i++) {
    if (i % 1000 === 999) lines.push("");
    const day = String(1 + (i % 28)).padStart(2, "0");
    lines.push(row("unused", { occurred_at: `2019-${String(1 + (i % 12)).padStart(2, "0")}-${day}T12:00:00+02:00`, locality: `L${i % 97}` }));
  }
  lines[5000] = row("unused", { lat: "95" });
  const file = join(dir, "no-ids.csv");
  await writeFile(file, `${lines.join("\n")}\n`);
  expect(lines.join("\n").length).toBeGreaterThan(2 * (4 << 20));

  const options = { resolution: 8, timeZone: "Europe/Vilnius", now: NOW, source };
  await mkdir(join(dir, "fast"));
  const threads = CsvReaders.threadsStarted;
  const fast = await ingestFile(file, { ...options, lakeDir: join(dir, "fast"), readers: 2 });
  expect(CsvReaders.threadsStarted - threads).toBe(2);
  const slow = await ingestFile(file, { ...options, lakeDir: join(dir, "slow"), fastCsv: false });
  expect(fast).toEqual(slow);
  expect(fast).toMatchObject({ rows_read: 80_000, rows_ingested: 79_999, quarantine_reasons: { invalid_coordinates: 1 } });

  const ids = await withConnection(async (c) => {
    const result = await c.runAndReadAll(
      `SELECT count(*)::INTEGER, count(DISTINCT id)::INTEGER, count(*) FILTER (WHERE id <> 'siauliai-demo-' || source_line)::INTEGER, max(source_line)
       FROM read_parquet($glob)`,
      { glob: lakeLayout.glob(lakeLayout.incidentsDir(join(dir, "fast"))) },
    );
    return result.getRows()[0]!.map(Number);
  });
  expect(ids).toEqual([79_999, 79_999, 0, lines.length]);
  expect(await lakeSnapshot(join(dir, "fast"))).toEqual(await lakeSnapshot(join(dir, "slow")));
}, 120_000);
