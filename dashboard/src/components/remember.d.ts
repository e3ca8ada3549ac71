// Types of remember.js, for the TypeScript tests (the pages use the JavaScript as is).
export type Selection = string | number | boolean | null;
export function remember<T extends { value: unknown } & EventTarget>(key: string, make: (previous: unknown) => T): T;
export function oneOf<T>(options: readonly T[], value: unknown, fallback: T): T;
export function selectionsIn(search: string): [string, Selection][];
export function encodeSelection(value: Selection | undefined): string;
export function decodeSelection(text: string): Selection;
