// Types of csv.js, for the TypeScript tests (the pages use the JavaScript as is).
export function csvText<R>(rows: R[], columns: Array<{ label: string; value: (row: R) => unknown }>): string;
export function fileName(title: string, extension: string): string;
