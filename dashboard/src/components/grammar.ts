// Grammar for generated text: month names in the case a sentence needs, and nouns that agree with
// the number before them. Shared by the dashboard, the briefing and the reports, so each phrase is
// built one way. No imports, so Node and the browser run it as is (Framework and tsx strip the types).
//
// Lithuanian declines month names ("2022 m. sausis", "nuo 2022 m. sausio", "2022 m. sausį") and
// chooses a noun's form by the number: 1 atvejis, 2 atvejai, 10 atvejų, 1,5 atvejo. Which form a
// number takes is CLDR's plural category, from Intl.PluralRules: "one" (1, 21, 101 but not 11),
// "few" (2–9, 22–29 but not 12–19), "many" (fractions) and "other" (0, 10–20, 30…).

/** A case a month name takes in a Lithuanian sentence. */
export type GrammaticalCase = "nominative" | "genitive" | "dative" | "accusative" | "locative";

/** Month names by grammatical case, January first. */
const LT_MONTHS: Record<GrammaticalCase, readonly string[]> = {
  nominative: ["sausis", "vasaris", "kovas", "balandis", "gegužė", "birželis", "liepa", "rugpjūtis", "rugsėjis", "spalis", "lapkritis", "gruodis"],
  genitive: ["sausio", "vasario", "kovo", "balandžio", "gegužės", "birželio", "liepos", "rugpjūčio", "rugsėjo", "spalio", "lapkričio", "gruodžio"],
  dative: ["sausiui", "vasariui", "kovui", "balandžiui", "gegužei", "birželiui", "liepai", "rugpjūčiui", "rugsėjui", "spaliui", "lapkričiui", "gruodžiui"],
  accusative: ["sausį", "vasarį", "kovą", "balandį", "gegužę", "birželį", "liepą", "rugpjūtį", "rugsėjį", "spalį", "lapkritį", "gruodį"],
  locative: ["sausyje", "vasaryje", "kove", "balandyje", "gegužėje", "birželyje", "liepoje", "rugpjūtyje", "rugsėjyje", "spalyje", "lapkrityje", "gruodyje"],
};

const EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** The cases a month can take in a Lithuanian sentence; English ignores the case. */
export const CASES = Object.keys(LT_MONTHS) as readonly GrammaticalCase[];

/**
 * Nouns the generated text counts, by language. Lithuanian gives the forms for the plural
 * categories one, few, many and other; English singular and plural.
 */
export type NounKey = "incident" | "case" | "cell" | "month" | "year" | "row" | "person" | "area" | "municipality";
export interface NounForms {
  lt: readonly [one: string, few: string, many: string, other: string];
  en: readonly [singular: string, plural: string];
}
export const NOUNS: Record<NounKey, NounForms> = {
  incident: { lt: ["įvykis", "įvykiai", "įvykio", "įvykių"], en: ["incident", "incidents"] },
  case: { lt: ["atvejis", "atvejai", "atvejo", "atvejų"], en: ["case", "cases"] },
  cell: { lt: ["langelis", "langeliai", "langelio", "langelių"], en: ["cell", "cells"] },
  month: { lt: ["mėnuo", "mėnesiai", "mėnesio", "mėnesių"], en: ["month", "months"] },
  // "metai" has no singular: 1 metai, 2 metai, 10 metų.
  year: { lt: ["metai", "metai", "metų", "metų"], en: ["year", "years"] },
  row: { lt: ["eilutė", "eilutės", "eilutės", "eilučių"], en: ["row", "rows"] },
  person: { lt: ["asmuo", "asmenys", "asmens", "asmenų"], en: ["person", "people"] },
  area: { lt: ["zona", "zonos", "zonos", "zonų"], en: ["area", "areas"] },
  municipality: { lt: ["savivaldybė", "savivaldybės", "savivaldybės", "savivaldybių"], en: ["municipality", "municipalities"] },
};

/** Lithuanian has no "zero" or "two" category: CLDR gives it one, few, many and other only. */
const LT_CATEGORY_INDEX: Record<Intl.LDMLPluralRule, 0 | 1 | 2 | 3> = { zero: 3, one: 0, few: 1, many: 2, two: 3, other: 3 };
const pluralRules = { lt: new Intl.PluralRules("lt"), en: new Intl.PluralRules("en") };

/** "YYYY-MM" → [year, month 1–12], or throws: a month key is always four digits, a dash, two digits. */
function parseMonth(month: string): [year: number, month: number] {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new RangeError(`not a calendar month "YYYY-MM": ${JSON.stringify(month)}`);
  return [Number(match[1]), Number(match[2])];
}

/**
 * A calendar month as words: "2022-01" → "January 2022"; in Lithuanian in the case the sentence
 * needs — nominative "2022 m. sausis" (a heading), genitive "2022 m. sausio" (nuo/iki, "sausio
 * įvykiai"), dative "2022 m. sausiui" (a forecast for it), accusative "2022 m. sausį" (when),
 * locative "2022 m. sausyje" (in it).
 */
export function monthPhrase(lang: string, month: string, grammaticalCase: GrammaticalCase = "nominative"): string {
  const [year, m] = parseMonth(month);
  if (lang !== "lt") return `${EN_MONTHS[m - 1]} ${year}`;
  // A caller in plain JavaScript may pass any text as the case.
  const names = LT_MONTHS[grammaticalCase] as readonly string[] | undefined;
  if (!names) throw new RangeError(`unknown case "${grammaticalCase}": one of ${CASES.join(", ")}`);
  return `${year} m. ${names[m - 1]}`;
}

/** A range of months: "nuo 2015 m. sausio iki 2021 m. gruodžio" / "from January 2015 to December 2021". */
export function monthRangePhrase(lang: string, first: string, last: string): string {
  return lang === "lt"
    ? `nuo ${monthPhrase("lt", first, "genitive")} iki ${monthPhrase("lt", last, "genitive")}`
    : `from ${monthPhrase("en", first)} to ${monthPhrase("en", last)}`;
}

/** The form of `noun` (a key of NOUNS, or its forms) that agrees with the number n. */
export function nounFor(lang: string, n: number, noun: NounKey | readonly string[]): string {
  const forms: readonly string[] | undefined = typeof noun === "string" ? (NOUNS[noun] as NounForms | undefined)?.[lang === "lt" ? "lt" : "en"] : noun;
  if (!forms) throw new RangeError(`unknown noun "${String(noun)}"`);
  const form = lang === "lt" ? forms[LT_CATEGORY_INDEX[pluralRules.lt.select(n)]] : forms[pluralRules.en.select(n) === "one" ? 0 : 1];
  if (form === undefined) throw new RangeError(`noun forms ${JSON.stringify(forms)} lack the form for ${n} in "${lang}"`);
  return form;
}

/**
 * A number with its agreeing noun: "1 atvejis", "2 atvejai", "10 atvejų", "1,5 atvejo" /
 * "1 case", "2 cases". `format` writes the number (the locale's digit grouping by default).
 */
export function countPhrase(
  lang: string,
  n: number,
  noun: NounKey | readonly string[],
  format = (x: number) => x.toLocaleString(lang === "lt" ? "lt-LT" : "en-GB"),
): string {
  return `${format(n)} ${nounFor(lang, n, noun)}`;
}
