/**
 * DuckDB's staging memory limit follows the memory the process may use (r2 review, D3): inside a
 * Lambda function it is a share of the function's memory, never more than the function has.
 */
import { afterEach, describe, expect, it } from "vitest";
import { withConnection } from "../etl/duckdb/connection.ts";
import { configureStaging, stagingMemoryLimit } from "../etl/ingest/stage-file.ts";

const saved = { lambda: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, override: process.env.HOTSPOTS_DUCKDB_MEMORY };
afterEach(() => {
  for (const [name, value] of [
    ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE", saved.lambda],
    ["HOTSPOTS_DUCKDB_MEMORY", saved.override],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const UNITS: Record<string, number> = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };

/** The memory limit configureStaging sets, in MiB, as DuckDB reports it ("921.5 MiB"). */
async function stagingLimitMiB(env: Record<string, string | undefined>): Promise<number> {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  return withConnection(async (connection) => {
    await configureStaging(connection);
    const [row] = (await connection.runAndReadAll("SELECT current_setting('memory_limit') AS limit")).getRowObjectsJS();
    const match = /^([\d.]+)\s*([A-Za-z]+)$/.exec(String(row!.limit));
    expect(match, String(row!.limit)).not.toBeNull();
    return (Number(match![1]) * UNITS[match![2]!]!) / 2 ** 20;
  });
}

describe("the staging database's memory limit", () => {
  it("inside a Lambda function is a share of its memory that leaves room for Node, and grows with it", async () => {
    const small = await stagingLimitMiB({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "2048", HOTSPOTS_DUCKDB_MEMORY: undefined });
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThan(2048 * 0.6);
    const large = await stagingLimitMiB({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "8192", HOTSPOTS_DUCKDB_MEMORY: undefined });
    expect(large / small).toBeCloseTo(4, 0); // DuckDB prints one decimal: 3.5 GiB
  });

  it("elsewhere is a share of the machine's memory up to a bound, and HOTSPOTS_DUCKDB_MEMORY overrides it", async () => {
    const { totalmem } = await import("node:os");
    const machine = await stagingLimitMiB({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: undefined, HOTSPOTS_DUCKDB_MEMORY: undefined });
    expect(machine).toBeLessThan(totalmem() / 2 ** 20);
    // A large machine does not let the staged rows fill half of it: they spill (the 40 M bench peaked at 6.5 GB so).
    expect(stagingMemoryLimit({}, 24 * 1024)).toBe("2048MiB");
    expect(stagingMemoryLimit({}, 2048)).toBe("921MiB");
    expect(stagingMemoryLimit({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "10240" }, 24 * 1024)).toBe("4608MiB");
    expect(await stagingLimitMiB({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "2048", HOTSPOTS_DUCKDB_MEMORY: "700MiB" })).toBeCloseTo(700, 0);
  });
});
