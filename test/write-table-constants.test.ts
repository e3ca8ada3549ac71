/**
 * writeTableRows' constant columns (written as SQL literals in the COPY instead of appended per row)
 * give the same file, byte for byte, as appending every column — for strings with quotes, integers,
 * doubles that no short decimal spells, NULL, booleans, and the value it appends anyway (−0) —
 * and a row whose "constant" differs is refused.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withConnection } from "../etl/duckdb/connection.ts";
import { TABLES } from "../etl/lake/tables.ts";
import { writeTableRows } from "../etl/lake/write-table.ts";

const CONSTANT = ["offence_category", "first_month", "months", "h3_resolution", "k", "time_window", "fdr", "min_bin", "trend_alpha", "study_area"] as const;

const rows = (shared: Record<string, unknown>) =>
  Array.from({ length: 50 }, (_, i) => ({
    offence_category: "theft",
    h3_cell: `88${String(1000 - i)}`,
    emerging_category: i % 3 === 0 ? "new_hot_spot" : "no_pattern",
    hot_months: i % 4,
    cold_months: 0,
    trend_z: i / 7,
    trend_p: 1 / (i + 3),
    final_gi_z: -i / 3,
    final_gi_bin: (i % 7) - 3,
    first_month: "2020-01",
    months: 61,
    h3_resolution: 8,
    k: 1,
    time_window: 1,
    fdr: true,
    min_bin: 2,
    trend_alpha: 0.05,
    study_area: "Šiaulių m. + Šiaulių r.",
    ...shared,
  }));

async function sha(c: Parameters<typeof writeTableRows>[0], path: string, list: ReturnType<typeof rows>, constant: readonly string[]) {
  await writeTableRows(c, path, TABLES.emerging, list as never, ["h3_cell"], constant as never);
  return createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
}

describe("writeTableRows with constant columns", () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ["the emerging stage's values", {}],
    ["a quote, NULLs, an awkward double, false", { study_area: 'O\'Brien "x"', first_month: null, time_window: undefined, trend_alpha: 0.1 + 0.2, fdr: false }],
    ["a value it appends instead (−0), and a non-finite double (NULL)", { trend_alpha: -0, trend_p: 0.5, final_gi_z: Number.POSITIVE_INFINITY }],
    ["a tiny and a huge double", { trend_alpha: 5e-324 }],
  ];
  it.each(cases)("give the file that appending every column gives: %s", async (_name, shared) => {
    const dir = await mkdtemp(join(tmpdir(), "write-constants-"));
    await withConnection(async (c) => {
      const list = rows(shared);
      const plain = await sha(c, join(dir, "plain.parquet"), list, []);
      expect(await sha(c, join(dir, "constant.parquet"), list, CONSTANT)).toBe(plain);
      // A generator of the rows too (read once).
      await writeTableRows(
        c,
        join(dir, "generated.parquet"),
        TABLES.emerging,
        (function* () {
          yield* list;
        })() as never,
        ["h3_cell"],
        CONSTANT as never,
      );
      expect(
        createHash("sha256")
          .update(await readFile(join(dir, "generated.parquet")))
          .digest("hex"),
      ).toBe(plain);
    });
  });

  it("refuses rows whose constant column differs", async () => {
    const dir = await mkdtemp(join(tmpdir(), "write-constants-"));
    await withConnection(async (c) => {
      const list = rows({});
      list[30] = { ...list[30]!, k: 2 };
      await expect(writeTableRows(c, join(dir, "x.parquet"), TABLES.emerging, list as never, ["h3_cell"], CONSTANT as never)).rejects.toThrow(
        "column 'k' of table emerging is not the same in every row",
      );
    });
  });
});
