import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sqlLiteral, withConnection } from "../etl/duckdb/connection.ts";
import { TABLES } from "../etl/lake/tables.ts";
import { writeTableRows } from "../etl/lake/write-table.ts";

const row = (cell: string, z: number, extra: Record<string, unknown> = {}) => ({
  offence_category: "theft",
  h3_cell: cell,
  emerging_category: "new_hot_spot",
  hot_months: 2,
  cold_months: 0,
  trend_z: z,
  trend_p: 0.5,
  final_gi_z: 1.5,
  final_gi_bin: -2,
  first_month: "2020-01",
  months: 12,
  h3_resolution: 8,
  k: 1,
  time_window: 1,
  fdr: true,
  min_bin: 2,
  trend_alpha: 0.05,
  study_area: "A",
  ...extra,
});

describe("writeTableRows", () => {
  it("writes every column with its type, ordered, a missing or non-finite value as NULL; refuses a key that is no column", async () => {
    const dir = await mkdtemp(join(tmpdir(), "write-table-"));
    const path = join(dir, "emerging.parquet");
    await withConnection(async (c) => {
      const rows = [row("88b", Number.NaN, { fdr: false }), row("88a", -1.25, { first_month: undefined })];
      expect(await writeTableRows(c, path, TABLES.emerging, rows as never, ["h3_cell"])).toBe(2);
      const back = (
        await c.runAndReadAll(`SELECT h3_cell, trend_z, fdr, first_month, final_gi_bin, months FROM read_parquet(${sqlLiteral(path)})`)
      ).getRowsJS();
      expect(back).toEqual([
        ["88a", -1.25, true, null, -2, 12],
        ["88b", null, false, "2020-01", -2, 12],
      ]);
      await expect(writeTableRows(c, join(dir, "bad.parquet"), TABLES.emerging, [row("88c", 0, { trend_zz: 1 })] as never)).rejects.toThrow(
        /no column 'trend_zz'/,
      );
    });
  });
});
