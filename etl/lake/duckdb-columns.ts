import type { DuckDBVector } from "@duckdb/node-api";

/** The numeric arrays that move whole columns between JavaScript and DuckDB vectors. */
export type NumericColumn = Float64Array | Int32Array | Uint32Array | Int8Array | BigUint64Array;

/**
 * Sets the first `n` values of a numeric vector of a data chunk, then flushes it. The vectors of
 * @duckdb/node-api keep their values in a typed array (`items`) that `flush` copies into DuckDB;
 * filling it with one `set` instead of a call per value makes appending several times faster. Where
 * that array is missing or of another kind (another version of the package), values go one by one.
 */
export function fillVector(vector: DuckDBVector, values: NumericColumn, n: number): void {
  const items = itemsOf(vector, n, values instanceof BigUint64Array);
  const part = values.length === n ? values : values.subarray(0, n);
  if (items) (items as unknown as { set(v: NumericColumn): void }).set(part);
  else for (let i = 0; i < n; i++) vector.setItem(i, part[i]!);
  vector.flush();
}

/** Copies the `n` values of a numeric result vector into `into` at `at` (see fillVector). */
export function readVector(vector: DuckDBVector, into: Float64Array | Uint32Array, at: number, n: number): void {
  const items = itemsOf(vector, n, false);
  if (items) into.set(items as Uint32Array, at);
  else for (let i = 0; i < n; i++) into[at + i] = Number(vector.getItem(i));
}

function itemsOf(vector: DuckDBVector, n: number, big: boolean): ArrayBufferView | undefined {
  const items = (vector as unknown as { items?: unknown }).items;
  if (!ArrayBuffer.isView(items) || items instanceof DataView || (items as Uint8Array).length !== n) return undefined;
  const isBig = items instanceof BigInt64Array || items instanceof BigUint64Array;
  return isBig === big ? items : undefined;
}
