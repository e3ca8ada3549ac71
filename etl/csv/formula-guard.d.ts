// Types of formula-guard.js (plain JavaScript so that the dashboard runs the same module).
export function startsLikeFormula(text: string): boolean;
export function guardCell(text: string): string;
