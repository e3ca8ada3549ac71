import { readdir } from "node:fs/promises";
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";

/**
 * True when a lake table folder holds at least one Parquet file. DuckDB's read_parquet fails on a
 * glob that matches nothing, and a lake need not hold every table (a run without analytics has no
 * forecasts), so the publish step asks first and publishes an empty section instead.
 */
export async function hasParquet(dir: string): Promise<boolean> {
  try {
    const entries = await readdir(dir, { recursive: true });
    return entries.some((name) => name.endsWith(".parquet"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** Runs a query with bound parameters and returns its rows as plain JavaScript objects. */
export async function queryRows<T>(connection: DuckDBConnection, sql: string, params: Record<string, DuckDBValue> = {}): Promise<T[]> {
  const reader = await connection.runAndReadAll(sql, params);
  return reader.getRowObjectsJS() as unknown as T[];
}

/** A count as published: `null` when below the suppression threshold. */
export function suppressed(count: number, threshold: number): number | null {
  return count < threshold ? null : count;
}

/** `value` rounded to `digits` decimals (JSON stays short; the pages show at most this many). */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** "2019-06-30" or "2019-06" → "2019-06"; "2019" stays a year; null stays null. Never finer than a month. */
export function toMonth(date: string | null | undefined): string | null {
  if (!date) return null;
  return /^\d{4}-\d{2}/.test(date) ? date.slice(0, 7) : date.slice(0, 4);
}
