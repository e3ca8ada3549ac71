// Types of aggregate.js, for the TypeScript tests (the pages use the JavaScript as is).
import type { EvaluationIndicator, HotspotRow, HotspotTable, MonthlyCount, Qualifier, YearlyCount } from "../../data-contract.js";

export interface CountSum {
  count: number;
  suppressed: number;
}
export interface MonthlyTotal extends CountSum {
  month: string;
  date: Date;
  category: string;
}
export interface MunicipalityPoint {
  municipality: string;
  month: string;
  date: Date;
  count: number | null;
  /** The published 12-month average (null where withheld or before the 12th month). */
  average: number | null;
}
export interface YearlyRow {
  year: string;
  cells: Record<string, { count: number | null }>;
  total: { count: number | null };
}
export interface IndicatorStatus {
  key: "exceeded" | "met" | "notReached" | "checkpoints" | "noResult" | "change" | "achievedOnly" | "nothing";
  share?: number | null;
  change?: number | null;
}
export interface TargetProgress {
  id: string;
  name: string;
  share: number;
  value: number;
  qualifier: Qualifier | null;
  target: number;
  fromCheckpoints: boolean;
}
export function monthDate(month: string): Date;
export function monthlyTotals(rows: MonthlyCount[], months: string[], categories: string[], municipality?: string | null): MonthlyTotal[];
export function municipalitySeries(rows: MonthlyCount[], months: string[], category: string): MunicipalityPoint[];
export function yearlyRows(rows: YearlyCount[]): YearlyRow[];
export function suppressionSummary(rows: Array<{ count: number | null }>): { suppressed: number; total: number };
export function hotspotRows(table: HotspotTable, month: string, category: string, fdr?: boolean): HotspotRow[];
export function indicatorStatus(indicator: EvaluationIndicator): IndicatorStatus;
export function targetProgress(indicators: EvaluationIndicator[]): TargetProgress[];
