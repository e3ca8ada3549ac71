/**
 * The evidence file that `bench/forecast-datasets.ts --evidence <file>` writes: one JSON line per data
 * set, resolution and candidate, with its PAI per decision share and backtest month (and, for
 * "selected", the method chosen each month). Read by the selection replay and the figure-noise bench.
 */
import { readFileSync } from "node:fs";

export interface EvidenceRow {
  data: string;
  resolution: number;
  method: string;
  months: string[];
  pai: number[][];
  chosen?: Array<string | null>;
}

/** Every row of an evidence file, in file order. */
export function readEvidence(file: string): EvidenceRow[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as EvidenceRow);
}
