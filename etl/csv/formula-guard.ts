// The one CSV formula-injection guard of the product, with no imports so that the dashboard's browser
// code runs the same module (dashboard/src/components/formula-guard.ts is a link to this file;
// Observable Framework imports only from inside its source root, and strips the types).

/**
 * True when a spreadsheet would run `text` as a formula (OWASP "CSV Injection"): it starts with `=`,
 * `+`, `-`, `@`, a tab or a carriage return, and the whole text is not a number (`-2.5`, `+3`,
 * `1e-3` are numbers; `-2+3+cmd|' /C calc'!A0` is not). Ingest refuses such text (`formula_text`);
 * every CSV the product writes defuses it with `guardCell`.
 */
export function startsLikeFormula(text: string): boolean {
  const c = text.charCodeAt(0);
  // Most texts start with none of the six characters and never reach the regular expression.
  if (c !== 61 && c !== 43 && c !== 45 && c !== 64 && c !== 9 && c !== 13) return false;
  return !NUMBER.test(text);
}

/** A cell's text as written to CSV: with a leading apostrophe where it starts like a formula. */
export function guardCell(text: string): string {
  return startsLikeFormula(text) ? `'${text}` : text;
}

// A decimal number as CSV readers take one: optional sign, digits with an optional fraction, optional exponent.
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
