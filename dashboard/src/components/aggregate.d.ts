// Types of aggregate.js, for the TypeScript tests (the pages use the JavaScript as is).
import type { FeatureCollection, HotspotRow, MonthlyCount, PolygonFeature, YearlyCount } from "../../data-contract.js";

export interface CountSum {
  count: number;
  suppressed: number;
}
export interface MonthlyTotal extends CountSum {
  month: string;
  date: Date;
  category: string;
}
export interface YearlyRow {
  year: string;
  cells: Record<string, { count: number | null }>;
  total: { count: number | null };
}
export function monthDate(month: string): Date;
export function monthlyTotals(rows: MonthlyCount[], months: string[], categories: string[]): MonthlyTotal[];
export function yearlyRows(rows: YearlyCount[]): YearlyRow[];
export function suppressionSummary(rows: MonthlyCount[]): { suppressed: number; total: number };
export function hotspotsFor<R extends HotspotRow>(hotspots: R[], month: string, category: string): R[];
export function hotspotFeatures<R extends HotspotRow>(
  rows: R[],
  hexagons: FeatureCollection<{ cell: string }>,
): Array<PolygonFeature<R>>;
