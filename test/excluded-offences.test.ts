/**
 * Records that are no offences (Mexico City's "HECHO NO DELICTIVO", Chicago's NON-CRIMINAL, Boston's
 * lost property): a source description maps their label to `exclude`, and the ingest quarantines
 * them as `excluded_offence` — accounted for, never counted in hot spots, forecasts or totals. They
 * were mapped to `other` and counted as incidents.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { latLngToCell } from "h3-js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readLakeCountsOf } from "../etl/analytics/lake-counts.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { exportIdentity, exportName } from "../etl/ingest/export-identity.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { parseSourceDescription } from "../etl/ingest/source-description.ts";
import { lakeLayout } from "../etl/lake/lake-layout.ts";
import { categoriesOutside } from "../etl/settings.ts";

const NOW = Date.UTC(2026, 0, 1);
const describeSource = (categories: Record<string, string>) =>
  parseSourceDescription(
    {
      id: "cdmx",
      title: "Mexico City, carpetas de investigación",
      timezone: "America/Mexico_City",
      bounds: [-99.4, 19.0, -98.9, 19.6],
      columns: { id: "folio", time: { format: "iso", column: "fecha_hecho" }, x: "longitud", y: "latitud", offence: { column: "delito" } },
      categories,
    },
    "cdmx.yaml",
  );
const source = describeSource({ "ROBO A TRANSEUNTE EN VIA PUBLICA": "robbery", LESIONES: "assault", "HECHO NO DELICTIVO": "exclude" });

// Zócalo (three rows, one of them no offence), Coyoacán (a robbery), Polanco (no offence only).
const ZOCALO = ["19.4326", "-99.1332"];
const COYOACAN = ["19.3467", "-99.1617"];
const POLANCO = ["19.4333", "-99.1960"];
const CSV = [
  "folio,fecha_hecho,delito,latitud,longitud",
  ["A1", "2023-06-02T10:00:00", "ROBO A TRANSEUNTE EN VIA PUBLICA", ...ZOCALO].join(","),
  ["A2", "2023-06-03T11:00:00", "HECHO NO DELICTIVO", ...ZOCALO].join(","),
  ["A3", "2023-06-04T12:00:00", "HECHO NO DELICTIVO", ...POLANCO].join(","),
  ["A4", "2023-06-05T13:00:00", "ROBO A TRANSEUNTE EN VIA PUBLICA", ...COYOACAN].join(","),
  ["A5", "2023-06-06T14:00:00", "LESIONES", ...ZOCALO].join(","),
].join("\n");

let dir: string;
let lake: string;
let file: string;
const options = () => ({ lakeDir: lake, resolution: 8, timeZone: "America/Mexico_City", now: NOW, source, boundaries: null });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "excluded-"));
  lake = join(dir, "lake");
  file = join(dir, "cdmx.csv");
  await writeFile(file, `${CSV}\n`);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function quarantine() {
  const path = lakeLayout.quarantineFile(lake, exportName(await exportIdentity(file, lake, source.id)));
  return withConnection(async (c) =>
    (await c.runAndReadAll("SELECT line, code, reason, raw FROM read_parquet($path) ORDER BY line", { path })).getRowObjectsJson(),
  );
}

/** Every file of the lake with its SHA-256. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      out[join(entry.parentPath, entry.name)] = createHash("sha256")
        .update(await readFile(join(entry.parentPath, entry.name)))
        .digest("hex");
  }
  return out;
}

describe("offence labels mapped to exclude", () => {
  it("go to the quarantine with their code, label and key, and the accounting adds up", async () => {
    const report = await ingestFile(file, options());
    expect(report).toMatchObject({ rows_read: 5, rows_ingested: 3, rows_quarantined: 2, quarantine_reasons: { excluded_offence: 2 } });
    const rows = await quarantine();
    expect(rows.map((r) => [Number(r.line), r.code])).toEqual([
      [3, "excluded_offence"],
      [4, "excluded_offence"],
    ]);
    for (const r of rows) {
      expect(r.reason).toBe(
        `offence 'HECHO NO DELICTIVO' is not counted as an incident: the source description maps it to exclude (categories: "HECHO NO DELICTIVO"); map it to a category there if these records are offences`,
      );
    }
    // The row's text is kept, so nothing is lost.
    expect(rows[0]!.raw).toContain("A2,2023-06-03T11:00:00,HECHO NO DELICTIVO");
  });

  it("are not counted in the cells hot spots are computed from", async () => {
    await ingestFile(file, options());
    const counts = await withConnection((c) => readLakeCountsOf(c, lake, 8, ["2023-06"]));
    const byCell = new Map<string, number>();
    counts.cell.forEach((cell, r) => byCell.set(counts.cells[cell]!, (byCell.get(counts.cells[cell]!) ?? 0) + counts.count[r]!));
    const cell = ([lat, lon]: string[]) => latLngToCell(Number(lat), Number(lon), 8);
    expect(Object.fromEntries(byCell)).toEqual({ [cell(ZOCALO)]: 2, [cell(COYOACAN)]: 1 });
    expect([...counts.categories].sort()).toEqual(["assault", "robbery"]);
  });

  it("are quarantined again, byte for byte, when the export is ingested again", async () => {
    await ingestFile(file, options());
    const first = await snapshot(lake);
    const again = await ingestFile(file, options());
    expect(again.quarantine_reasons).toEqual({ excluded_offence: 2 });
    expect(await snapshot(lake)).toEqual(first);
  });
});

describe("exclude in a source description", () => {
  it("is a target of categories beside the canonical categories; a misspelt one is refused with the values allowed", () => {
    expect(source.categories["HECHO NO DELICTIVO"]).toBe("exclude");
    expect(() => describeSource({ "HECHO NO DELICTIVO": "exlude" })).toThrow(/categories\.HECHO NO DELICTIVO: .*theft.*other.*exclude/s);
  });

  it("is no category a project configuration must list", () => {
    expect(categoriesOutside(source.categories, { categories: ["robbery", "assault"] })).toEqual([]);
    expect(categoriesOutside(source.categories, { categories: ["robbery"] })).toEqual(["assault"]);
  });
});
