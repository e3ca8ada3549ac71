// Types of csv.js, for the TypeScript tests (the pages use the JavaScript as is).
export const CSV_DIALECTS: Record<"en" | "lt", { delimiter: string; decimal: string }>;
export function csvText<R>(rows: R[], columns: Array<{ label: string; value: (row: R) => unknown }>, options?: { lang?: string }): string;
export function fileName(title: string, extension: string): string;
