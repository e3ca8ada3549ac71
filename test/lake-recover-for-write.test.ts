import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { COMMIT_JOURNAL, recoverForWrite, recoverLake } from "../etl/lake/lake-commit.ts";

const dir = await mkdtemp(join(tmpdir(), "recover-for-write-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A temporary file named as a dead writer's (a process id no process has). */
const debris = (lake: string, name: string) => join(lake, "emerging", "month=2024-01", `${name}.parquet.999999999.1.tmp`);

describe("recoverForWrite", () => {
  it("removes debris at the process's first write of a lake, then only completes journals; recoverLake still sweeps", async () => {
    const lake = join(dir, "lake");
    await mkdir(join(lake, "emerging", "month=2024-01"), { recursive: true });
    await writeFile(debris(lake, "a"), "a dead writer's");
    expect(await recoverForWrite(lake)).toEqual({ rolledForward: false, removedTemporary: 1 });
    expect(existsSync(debris(lake, "a"))).toBe(false);

    // Later debris is invisible to readers and left to the next process (or recoverLake)…
    await writeFile(debris(lake, "b"), "another dead writer's");
    expect(await recoverForWrite(lake)).toEqual({ rolledForward: false, removedTemporary: 0 });
    expect(existsSync(debris(lake, "b"))).toBe(true);

    // …but an interrupted commit is always completed before a write.
    await writeFile(debris(lake, "c"), "committed");
    await writeFile(
      join(lake, COMMIT_JOURNAL),
      JSON.stringify({ renames: [{ from: "emerging/month=2024-01/c.parquet.999999999.1.tmp", to: "emerging/month=2024-01/c.parquet" }], deletes: [] }),
    );
    expect(await recoverForWrite(lake)).toEqual({ rolledForward: true, removedTemporary: 0 });
    expect(await readFile(join(lake, "emerging", "month=2024-01", "c.parquet"), "utf8")).toBe("committed");
    expect(existsSync(join(lake, COMMIT_JOURNAL))).toBe(false);

    // recoverLake (a command holding the lock, check --repair) sweeps every time.
    expect(await recoverLake(lake)).toEqual({ rolledForward: false, removedTemporary: 1 });
    expect(existsSync(debris(lake, "b"))).toBe(false);

    // Another lake is swept at its own first write.
    const other = join(dir, "other");
    await mkdir(join(other, "emerging", "month=2024-01"), { recursive: true });
    await writeFile(debris(other, "d"), "x");
    expect(await recoverForWrite(other)).toEqual({ rolledForward: false, removedTemporary: 1 });
  });
});
