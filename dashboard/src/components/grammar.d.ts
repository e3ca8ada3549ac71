// Types of grammar.js, for the TypeScript callers (the pages use the JavaScript as is).
export type GrammaticalCase = "nominative" | "genitive" | "dative" | "accusative" | "locative";
export type NounKey = "incident" | "case" | "cell" | "month" | "year" | "row" | "person" | "area" | "municipality";
export const CASES: readonly GrammaticalCase[];
export const NOUNS: Record<NounKey, { lt: readonly [string, string, string, string]; en: readonly [string, string] }>;
export function monthPhrase(lang: string, month: string, grammaticalCase?: GrammaticalCase): string;
export function monthRangePhrase(lang: string, first: string, last: string): string;
export function nounFor(lang: string, n: number, noun: NounKey | readonly string[]): string;
export function countPhrase(lang: string, n: number, noun: NounKey | readonly string[], format?: (n: number) => string): string;
