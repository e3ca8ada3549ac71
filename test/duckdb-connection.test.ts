import { describe, expect, it } from "vitest";
import { closeSharedInstance, withConnection, withConnections } from "../etl/duckdb/connection.ts";

const setting = async (c: Parameters<Parameters<typeof withConnection>[0]>[0], name: string) =>
  String((await c.runAndReadAll(`SELECT current_setting('${name}') AS v`)).getRowObjectsJS()[0]!.v);

describe("withConnection's shared instance", () => {
  it("gives each call a connection of its own: a TEMP table of one call is gone in the next and invisible to one open at the same time", async () => {
    await withConnection(async (c) => {
      await c.run("CREATE TEMP TABLE t AS SELECT 1 AS x");
      // Another connection open meanwhile does not see it, and makes its own of the same name.
      await withConnection(async (d) => {
        await expect(d.run("SELECT * FROM t")).rejects.toThrow(/Table with name t does not exist/);
        await d.run("CREATE TEMP TABLE t AS SELECT 2 AS x");
        expect((await d.runAndReadAll("SELECT x FROM t")).getRowObjectsJS()).toEqual([{ x: 2 }]);
      });
      expect((await c.runAndReadAll("SELECT x FROM t")).getRowObjectsJS()).toEqual([{ x: 1 }]);
    });
    await withConnection(async (c) => {
      await expect(c.run("SELECT * FROM t")).rejects.toThrow(/Table with name t does not exist/);
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
      await expect(c.run("SELECT * FROM staged")).rejects.toThrow(/Table with name staged does not exist/);
    });
  });

  it("closes the connection when fn throws, and the next call still works", async () => {
    await expect(withConnection(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await withConnection(async (c) => (await c.runAndReadAll("SELECT 42 AS x")).getRowObjectsJS())).toEqual([{ x: 42 }]);
  });

  it("is replaced by a new, empty one after closeSharedInstance (a warm container's next invocation)", async () => {
    // A table in the shared database itself (only a test does this) shows which instance a call gets.
    await withConnection((c) => c.run("CREATE TABLE shared_marker AS SELECT 7 AS x"));
    expect(await withConnection(async (c) => (await c.runAndReadAll("SELECT x FROM shared_marker")).getRowObjectsJS())).toEqual([{ x: 7 }]);
    await closeSharedInstance();
    await withConnection(async (c) => {
      await expect(c.run("SELECT * FROM shared_marker")).rejects.toThrow(/Table with name shared_marker does not exist/);
    });
    await closeSharedInstance();
    await closeSharedInstance(); // closing when none is open is harmless
  });
});
