/**
 * queryRows: DuckDB's rows come back checked against the columns the caller declares, so a query
 * that returns another type (an uncast BIGINT count, a NULL, a column too many) is refused with the
 * row and column named instead of being cast into the published figures.
 */
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { withConnection } from "../etl/duckdb/connection.js";
import { queryColumns, queryRows } from "../etl/publish/lake-query.js";

const SQL = "SELECT * FROM (VALUES ('2019-06', 3::INTEGER, NULL::VARCHAR), ('2019-07', 12::INTEGER, 'theft')) t(month, n, category) ORDER BY month";

describe("queryRows", () => {
  it("returns the rows with the declared JavaScript types, bound parameters applied", async () => {
    const rows = await withConnection((c) =>
      queryRows(
        c,
        `${SQL.replace(" ORDER BY month", "")} WHERE n >= $min ORDER BY month`,
        { month: z.string(), n: z.number(), category: z.string().nullable() },
        { min: 3 },
      ),
    );
    expect(rows).toEqual([
      { month: "2019-06", n: 3, category: null },
      { month: "2019-07", n: 12, category: "theft" },
    ]);
  });

  it("refuses a NULL in a column declared without one, naming the row and column", async () => {
    const run = withConnection((c) => queryRows(c, SQL, { month: z.string(), n: z.number(), category: z.string() }));
    await expect(run).rejects.toThrow(/query result row 1, column category: .*expected string, received null/);
  });

  it("refuses a BIGINT count where the code reads a number, and says to cast it", async () => {
    const run = withConnection((c) => queryRows(c, "SELECT count(*) AS n FROM range(5)", { n: z.number() }));
    await expect(run).rejects.toThrow(/row 1, column n: .*expected number, received bigint.*count\(\*\)::INTEGER/);
  });

  it("refuses a column the caller did not declare", async () => {
    const run = withConnection((c) => queryRows(c, SQL, { month: z.string(), n: z.number() }));
    await expect(run).rejects.toThrow(/row 1: .*category/);
  });

  // Plain string, number and boolean columns are checked without zod's per-row objects: what zod refuses must still be refused.
  it("refuses a number that is not finite, and one a declared check refuses", async () => {
    const infinite = withConnection((c) => queryRows(c, "SELECT 'inf'::DOUBLE AS x", { x: z.number() }));
    await expect(infinite).rejects.toThrow(/row 1, column x: /);
    const notWhole = withConnection((c) => queryRows(c, "SELECT 1.5::DOUBLE AS x", { x: z.number().int() }));
    await expect(notWhole).rejects.toThrow(/row 1, column x: /);
    const text = withConnection((c) => queryColumns(c, "SELECT 'true' AS x", { x: z.boolean() }));
    await expect(text).rejects.toThrow(/row 1, column x: .*expected boolean/);
  });

  it("checks list columns element by element: a list of numbers passes, a NULL or a text element is refused", async () => {
    const rows = await withConnection((c) => queryRows(c, "SELECT [1, 2, 3]::INTEGER[] AS cells", { cells: z.array(z.number()) }));
    expect(rows).toEqual([{ cells: [1, 2, 3] }]);
    const withNull = withConnection((c) => queryRows(c, "SELECT [1, NULL]::INTEGER[] AS cells", { cells: z.array(z.number()) }));
    await expect(withNull).rejects.toThrow(/row 1, column cells\.1: /);
    const text = withConnection((c) => queryRows(c, "SELECT ['a'] AS cells", { cells: z.array(z.number()) }));
    await expect(text).rejects.toThrow(/row 1, column cells\.0: .*expected number/);
  });

  it("gives each row's columns in the declared order, whatever the query's", async () => {
    const rows = await withConnection((c) => queryRows(c, "SELECT 1::INTEGER AS b, 'x' AS a, true AS c", { a: z.string(), b: z.number(), c: z.boolean() }));
    expect(rows).toEqual([{ a: "x", b: 1, c: true }]);
    expect(Object.keys(rows[0]!)).toEqual(["a", "b", "c"]);
  });
});

describe("queryColumns", () => {
  it("returns one checked array per column", async () => {
    const columns = await withConnection((c) => queryColumns(c, SQL, { month: z.string(), n: z.number(), category: z.string().nullable() }));
    expect(columns).toEqual({ month: ["2019-06", "2019-07"], n: [3, 12], category: [null, "theft"] });
  });

  it("refuses a value of another type, naming the column and row", async () => {
    const run = withConnection((c) => queryColumns(c, "SELECT i AS n FROM range(3) t(i)", { n: z.number() }));
    await expect(run).rejects.toThrow(/query result row 1, column n: .*expected number, received bigint/);
  });
});
