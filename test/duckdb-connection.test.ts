import { describe, expect, it } from "vitest";
import { withConnection, withConnections } from "../etl/duckdb/connection.ts";

const setting = async (c: Parameters<Parameters<typeof withConnection>[0]>[0], name: string) =>
  String((await c.runAndReadAll(`SELECT current_setting('${name}') AS v`)).getRowObjectsJS()[0]!.v);

describe("withConnection's shared instance", () => {
  it("gives each call a connection of its own: a TEMP table of one call is gone in the next and invisible to one open at the same time", async () => {
    await withConnection(async (c) => {
      await c.run("CREATE TEMP TABLE t AS SELECT 1 AS x");
      // Another connection open meanwhile does not see it, and makes its own of the same name.
      await withConnection(async (d) => {
        await expect(d.run("SELECT * FROM t")).rejects.toThrow(/t/);
        await d.run("CREATE TEMP TABLE t AS SELECT 2 AS x");
        expect((await d.runAndReadAll("SELECT x FROM t")).getRowObjectsJS()).toEqual([{ x: 2 }]);
      });
      expect((await c.runAndReadAll("SELECT x FROM t")).getRowObjectsJS()).toEqual([{ x: 1 }]);
    });
    await withConnection(async (c) => {
      await expect(c.run("SELECT * FROM t")).rejects.toThrow(/t/);
    });
  });

  it("is not the instance withConnections gives, whose settings and tables stay its own", async () => {
    const before = await withConnection((c) => setting(c, "threads"));
    await withConnections(2, async ([a, b]) => {
      await a!.run("SET threads = 1");
      await a!.run("CREATE TABLE staged AS SELECT 3 AS x");
      expect((await b!.runAndReadAll("SELECT x FROM staged")).getRowObjectsJS()).toEqual([{ x: 3 }]);
    });
    await withConnection(async (c) => {
      expect(await setting(c, "threads")).toBe(before);
      await expect(c.run("SELECT * FROM staged")).rejects.toThrow(/staged/);
    });
  });

  it("closes the connection when fn throws, and the next call still works", async () => {
    await expect(withConnection(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await withConnection(async (c) => (await c.runAndReadAll("SELECT 42 AS x")).getRowObjectsJS())).toEqual([{ x: 42 }]);
  });
});
