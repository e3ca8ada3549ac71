// Types of strings.js, for the TypeScript tests (the pages use the JavaScript as is).
import type { GrammaticalCase } from "./grammar.js";
import type { en } from "./strings-en.js";

export type Dictionary = typeof en;
/** Names of indicator units by language: Lithuanian [one, few, many, other], English [one, other]. */
export type UnitNames = Record<string, { en?: readonly string[]; lt?: readonly string[] }>;
export interface Strings extends Dictionary {
  formatCount(n: number | null | undefined): string;
  formatNumber(n: number | null | undefined, digits?: number): string;
  formatSigned(n: number | null, digits?: number): string;
  formatShare(share: number | null, digits?: number): string;
  formatPercent(pct: number | null, digits?: number): string;
  formatP(p: number | null): string;
  formatMoney(amount: number, currency: string): string;
  formatSuppressed(n: number | null, k: number): string;
  formatMonth(month: string | null): string;
  formatMonthIn(month: string | null, grammaticalCase: GrammaticalCase): string;
  formatMonthRange(first: string | null, last: string | null): string;
  formatMonthShort(month: string): string;
  formatAxisMonth(date: Date): string;
  formatDateTime(iso: string, timeZone: string): string;
  monthDate(month: string): Date;
  categoryLabel(category: string): string;
  binLabel(bin: number): string;
  patternLabel(pattern: string): string;
  patternMeaning(pattern: string): string;
  methodLabel(method: string): string;
  caseTypeLabel(caseType: string): string;
  dataText(record: object | null | undefined, key: string): string;
  unitLabel(unit: string, units?: UnitNames): string;
  formatUnitCount(n: number, unit: string, units?: UnitNames): string;
  reasonLabel(code: string): string;
  warningLabel(code: string): string;
  formatQualified(value: number | null | undefined, qualifier: string | null): string;
  formatList(items: string[]): string;
  categoryList(categories: string[]): string;
}
export const LANGUAGES: readonly ["lt", "en"];
export function parseMethod(method: string): { family: string; parameters: Record<string, string>; partner: string | null };
export const BINS: readonly number[];
export const H3_MEAN_AREA_KM2: readonly number[];
export function strings(lang: string): Strings;
