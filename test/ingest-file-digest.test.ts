import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withConnection } from "../etl/duckdb/connection.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { FileDigest, openByteInput } from "../etl/ingest/open-input.ts";
import { configureStaging, stageFile } from "../etl/ingest/stage-file.ts";
import { canonicalSource } from "./helpers/shared.ts";

// The ingest takes a file's SHA-256 from the bytes it reads (FileDigest) instead of reading the file
// again: the checksum recorded must be the file's, on every path, and follow the file when it changes.
const NOW = Date.UTC(2026, 0, 1);
const source = await canonicalSource();
const HEADER = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";
const row = (i: number, locality = "Šiauliai") =>
  `D-${i},2019-05-${String(1 + (i % 28)).padStart(2, "0")}T12:00:00Z,BK 178,theft,pre_trial_investigation,55.93${i % 10},23.31${i % 7},Šiaulių m. sav.,${locality},test`;
const csv = (rows: string[]) => `${[HEADER, ...rows].join("\n")}\n`;
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ingest-digest-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function stagedDigest(file: string): Promise<string | undefined> {
  return withConnection(async (connection) => {
    await configureStaging(connection);
    const staged = await stageFile(connection, file, { lakeDir: join(dir, "lake"), resolution: 8, timeZone: "Europe/Vilnius", now: NOW, source });
    staged.stage.close();
    return staged.sha256;
  });
}

describe("the input file's SHA-256, taken as the ingest reads it", () => {
  it("is the file's on the fast CSV path, plain and gzip, and follows a changed byte", async () => {
    const file = join(dir, "export.csv");
    const rows = Array.from({ length: 3000 }, (_, i) => row(i));
    await writeFile(file, csv(rows));
    expect(await stagedDigest(file)).toBe(sha256(await readFile(file)));
    const lake = join(dir, "lake");
    const first = await ingestFile(file, { lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", now: NOW, source });
    expect(first.sha256).toBe(sha256(await readFile(file)));

    // One character of one row changed: a corrected export, recorded with its own checksum.
    rows[2000] = row(2000, "Kuršėnai");
    await writeFile(file, csv(rows));
    const second = await ingestFile(file, { lakeDir: lake, resolution: 8, timeZone: "Europe/Vilnius", now: NOW, source });
    expect(second.sha256).toBe(sha256(await readFile(file)));
    expect(second.sha256).not.toBe(first.sha256);

    // A gzip file's checksum is that of its bytes as stored, not of the text in it.
    const gz = join(dir, "export.csv.gz");
    await writeFile(gz, gzipSync(await readFile(file)));
    expect(await stagedDigest(gz)).toBe(sha256(await readFile(gz)));
  });

  it("is left to a second read where the fast path gave way (a quoted field)", async () => {
    const file = join(dir, "quoted.csv");
    await writeFile(file, csv([row(1), row(2).replace("Šiauliai", '"Šiauliai"')]));
    expect(await stagedDigest(file)).toBeUndefined();
    const report = await ingestFile(file, { lakeDir: join(dir, "lake"), resolution: 8, timeZone: "Europe/Vilnius", now: NOW, source });
    expect(report.rows_ingested).toBe(2);
    expect(report.sha256).toBe(sha256(await readFile(file)));
  });

  it("has no value until the file was read to its end", async () => {
    const file = join(dir, "big.csv");
    const bytes = Buffer.from(csv(Array.from({ length: 20_000 }, (_, i) => row(i))));
    await writeFile(file, bytes);
    const partial = new FileDigest();
    const stream = await openByteInput(file, 1 << 16, partial);
    for await (const piece of stream) {
      expect(piece.length).toBeGreaterThan(0);
      break; // stops reading (and closes the file) after the first piece
    }
    expect(partial.sha256).toBeUndefined();
    const whole = new FileDigest();
    const read: Buffer[] = [];
    for await (const piece of await openByteInput(file, 1 << 16, whole)) read.push(piece as Buffer);
    expect(Buffer.concat(read).equals(bytes)).toBe(true);
    expect(whole.sha256).toBe(sha256(bytes));
  });
});
