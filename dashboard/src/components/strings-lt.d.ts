// Types of strings-lt.js (the dictionary's own shape), for the TypeScript tests.
declare const dictionary: Record<string, unknown> & { lang: string; locale: string };
export const lt: typeof dictionary;
