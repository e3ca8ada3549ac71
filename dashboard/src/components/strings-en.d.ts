// Types of strings-en.js (the dictionary's own shape), for the TypeScript tests.
declare const dictionary: Record<string, unknown> & { lang: string; locale: string };
export const en: typeof dictionary;
