// Every piece of text the dashboard shows comes through here: `strings(lang)` gives the dictionary of
// one language (strings-en.ts, strings-lt.ts) with formatters for its numbers and dates. No imports
// beyond the dictionaries and grammar.ts, so the tests run it in Node.
import { monthPhrase, monthRangePhrase, nounFor, type GrammaticalCase } from "./grammar.js";
import { en } from "./strings-en.js";
import { lt } from "./strings-lt.js";

/** One language's dictionary (strings-en.ts gives the shape; strings-lt.ts is checked against it). */
export type Dictionary = typeof en;

/** Names of indicator units by language: Lithuanian [one, few, many, other], English [one, other]. */
export type UnitNames = Record<string, { en?: readonly string[]; lt?: readonly string[] }>;

/** What `strings(lang)` gives: the dictionary, the map note with the cell area filled in, and the formatters. */
export type Strings = Omit<Dictionary, "map"> & {
  map: Omit<Dictionary["map"], "grid"> & { grid: (resolution: number, outlines?: boolean) => string };
  formatCount(n: number | null | undefined): string;
  formatNumber(n: number | null | undefined, digits?: number): string;
  formatSigned(n: number | null, digits?: number): string;
  formatShare(share: number | null, digits?: number): string;
  formatMargin(share: number | null, digits?: number): string;
  formatPercent(pct: number | null, digits?: number): string;
  /** p to three decimals, with more while the rounded figure would fall on the other side of `alpha` (default 0.05) than p, or on it. */
  formatP(p: number | null, alpha?: number): string;
  formatMoney(amount: number, currency: string): string;
  formatWithheld(n: number | null): string;
  formatBounds(bounds: { south: number; north: number; west: number; east: number }, digits?: number): string;
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
  areaLabel(label: string | null, parts?: AreaParts | null): string;
  countryName(code: string): string;
  formatPeriod(period: string | null): string | null;
  unitLabel(unit: string, units?: UnitNames): string;
  formatUnitCount(n: number, unit: string, units?: UnitNames): string;
  reasonLabel(code: string): string;
  warningLabel(code: string): string;
  formatQualified(value: number | null | undefined, qualifier: string | null): string;
  formatList(items: string[]): string;
  categoryList(categories: string[]): string;
};

/** An evaluation area in parts as evaluation.json gives them (area_parts, control_parts): the included area and those left out. */
export interface AreaParts {
  include: string;
  exclude: readonly string[];
}

/** A forecast method id read into its parts (see parseMethod). */
export interface ParsedMethod {
  family: string;
  parameters: Record<string, string>;
  partner: string | null;
}

/**
 * A forecast method's id as the backtest writes it (etl/analytics/forecast-candidates.ts):
 * "ewma(h=12)" → {family: "ewma", parameters: {h: "12"}, partner: null};
 * "stacked(ewma(h=12),w=0.25)" → {family: "stacked", parameters: {w: "0.25"}, partner: "ewma(h=12)"};
 * a plain id ("last-month") has no parameters.
 */
export function parseMethod(method: string): ParsedMethod {
  const match = /^([A-Za-z0-9_-]+)\((.*)\)$/.exec(method);
  if (!match) return { family: method, parameters: {}, partner: null };
  const family = match[1]!;
  const body = match[2]!;
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "(") depth++;
    else if (body[i] === ")") depth--;
    else if (body[i] === "," && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  const parameters: Record<string, string> = {};
  let partner: string | null = null;
  for (const part of parts) {
    const pair = /^([^=()]+)=([^()]*)$/.exec(part);
    if (pair) parameters[pair[1]!] = pair[2]!;
    else partner = part;
  }
  return { family, parameters, partner };
}

/** The languages the dashboard speaks, in the order of the switch. */
export const LANGUAGES = ["lt", "en"] as const;

/** Confidence bins of the Gi* statistic, hottest first (ArcGIS convention: ±3 = 99 %). */
export const BINS: readonly number[] = [3, 2, 1, -1, -2, -3];

const DICTIONARIES: Record<string, Dictionary> = { en, lt };

/**
 * Mean area of an H3 cell in km² by resolution 0–15 (7 significant digits), as the H3 resolution table gives it
 * (h3geo.org/docs/core-library/restable; test/evaluation-page.test.ts checks it against h3-js's
 * getHexagonAreaAvg). Kept here so the map note states the area of the resolution in use.
 */
export const H3_MEAN_AREA_KM2: readonly number[] = [
  4357449, 609788.4, 86801.78, 12393.43, 1770.348, 252.9039, 36.12906, 5.161293, 0.7373276, 0.1053325, 0.0150475, 0.002149643, 0.0003070919, 0.00004387027,
  0.000006267181, 8.953116e-7,
];

/**
 * One Intl.NumberFormat per locale and options, made once: making one takes about 0.1 ms, and the
 * patrol page formats thousands of backtest figures (it spent a third of a second making formatters).
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}

/**
 * The text and formats of `lang` ("lt" or "en"; anything else gives English). Numbers and dates
 * follow the language's locale: Lithuanian groups digits with a space and uses a decimal comma.
 */
export function strings(lang: string): Strings {
  const d = DICTIONARIES[lang] ?? en;
  const number = (digits: number) => numberFormat(d.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const integer = number(0);
  const monthDate = (month: string) => {
    const [year, m] = month.split("-").map(Number);
    return new Date(Date.UTC(year ?? 1970, (m || 1) - 1, 1));
  };
  // The dictionary's tables by key (their literal keys are the known codes; other codes fall through).
  const table = <T>(entries: object) => entries as Record<string | number, T | undefined>;
  const language = d.lang as "en" | "lt";
  const tr: Strings = {
    ...d,
    // The map note with the mean cell area of the resolution ("about 0.74 km² each" at resolution 8).
    map: {
      ...d.map,
      // Outlines unless told otherwise: a hull study area has none.
      grid: (resolution, outlines = true) =>
        d.map.grid(resolution, numberFormat(d.locale, { maximumSignificantDigits: 2 }).format(H3_MEAN_AREA_KM2[resolution] ?? NaN), outlines),
    },
    /** A whole number with the locale's digit grouping; null → "–". */
    formatCount: (n) => (n === null || n === undefined || Number.isNaN(n) ? d.common.none : integer.format(n)),
    /** A number with exactly `digits` decimals. */
    formatNumber: (n, digits = 1) => (n === null || n === undefined || !Number.isFinite(n) ? d.common.none : number(digits).format(n)),
    /** A signed number: "+5", "−3". */
    formatSigned: (n, digits = 0) =>
      n === null || !Number.isFinite(n) ? d.common.none : `${n > 0 ? "+" : n < 0 ? "−" : "±"}${number(digits).format(Math.abs(n))}`,
    /** A share in [0, 1] as a percentage: "5 %" in Lithuanian, "5%" in English. */
    formatShare: (share, digits = 0) =>
      share === null || !Number.isFinite(share)
        ? d.common.none
        : numberFormat(d.locale, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits }).format(share),
    /**
     * A share by which one thing leads another: a positive share that rounds to zero in `digits`
     * says it is below the smallest shown ("less than 0.1%"), so a lead never reads as a tie.
     */
    formatMargin: (share, digits = 1) =>
      share !== null && share > 0 && share < 0.5 * 10 ** -(digits + 2)
        ? d.common.lessThan(tr.formatShare(10 ** -(digits + 2), digits))
        : tr.formatShare(share, digits),
    /** A percentage value (166.7 → "166.7%"). */
    formatPercent: (pct, digits = 0) => tr.formatShare(pct === null ? null : pct / 100, digits),
    /** An amount of money in whole units: "€3,000" / "3 000 €". */
    formatMoney: (amount, currency) => numberFormat(d.locale, { style: "currency", currency, maximumFractionDigits: 0 }).format(amount),
    /** A p-value: three decimals, "< 0.001" below that. */
    formatP: (p, alpha = 0.05) => {
      if (p === null || !Number.isFinite(p)) return d.common.none;
      if (p < 0.001) return `< ${number(3).format(0.001)}`;
      // "p = 0.050" beside "significant at 0.05" reads as a contradiction: keep the figure on p's side of the level.
      let digits = 3;
      while (digits < 8 && Math.sign(Number(p.toFixed(digits)) - alpha) !== Math.sign(p - alpha)) digits++;
      return number(digits).format(p);
    },
    /** A published count, which may be withheld below the threshold or to protect another: null → "withheld", never "< k". */
    formatWithheld: (n) => (n === null ? d.common.withheld : integer.format(n)),
    /** A bounding box in degrees with hemispheres, never a signed degree: "49.20–49.32 N, 123.23–123.02 W". */
    formatBounds: ({ south, north, west, east }, digits = 2) => {
      const h = d.quality.hemispheres;
      const range = (from: number, to: number, positive: string, negative: string) =>
        d.quality.degreeRange(
          number(digits).format(Math.abs(from)),
          from < 0 ? negative : positive,
          number(digits).format(Math.abs(to)),
          to < 0 ? negative : positive,
        );
      return d.quality.boundsValue(range(south, north, h.north, h.south), range(west, east, h.east, h.west));
    },
    /** "2019-06" → "June 2019" / "2019 m. birželis" (one argument: it is passed as a formatter, e.g. to Inputs.select). */
    formatMonth: (month) => (month ? monthPhrase(d.lang, month) : d.common.none),
    /** The month in a grammatical case for the middle of a sentence: "2019 m. birželio" (genitive). */
    formatMonthIn: (month, grammaticalCase) => (month ? monthPhrase(d.lang, month, grammaticalCase) : d.common.none),
    /**
     * A span of months, either end possibly open (null): "nuo 2019 m. sausio iki 2019 m. gruodžio" /
     * "from January 2019 to December 2019"; "nuo 2019 m. sausio" / "from January 2019"; "iki …" / "to …".
     */
    formatMonthRange: (first, last) => {
      if (first && last) return monthRangePhrase(d.lang, first, last);
      if (first) return d.lang === "lt" ? `nuo ${monthPhrase("lt", first, "genitive")}` : `from ${monthPhrase("en", first)}`;
      if (last) return d.lang === "lt" ? `iki ${monthPhrase("lt", last, "genitive")}` : `to ${monthPhrase("en", last)}`;
      return d.common.notStated;
    },
    /** "2019-06" → "Jun 2019" / "2019 birž.". */
    formatMonthShort: (month) => {
      const [year, m] = month.split("-").map(Number);
      const name = d.monthsShort[(m ?? 1) - 1] ?? "";
      return d.lang === "lt" ? `${year} ${name}` : `${name} ${year}`;
    },
    /** A Date on a monthly axis: the year for January, else the short month name ("Jun" / "birž."). */
    formatAxisMonth: (date) => (date.getUTCMonth() === 0 ? String(date.getUTCFullYear()) : (d.monthsShort[date.getUTCMonth()] ?? "")),
    /** An instant as a date and time in `timeZone`, named: a reader in another zone would take the clock for theirs. */
    formatDateTime: (iso, timeZone) => `${new Date(iso).toLocaleString(d.locale, { timeZone, dateStyle: "long", timeStyle: "short" })} (${timeZone})`,
    monthDate,
    categoryLabel: (category) => table<string>(d.categories)[category] ?? category,
    binLabel: (bin) => table<string>(d.binLabels)[bin] ?? String(bin),
    patternLabel: (pattern) => table<readonly string[]>(d.patterns)[pattern]?.[0] ?? pattern,
    patternMeaning: (pattern) => table<readonly string[]>(d.patterns)[pattern]?.[1] ?? "",
    /**
     * A forecast method's name: the dictionary's label for the named methods, else its family's words
     * with the parameters in the language's number format ("ewma(h=12)" → "Age-weighted history
     * (half-life 12 months)"); an unknown family shows its id.
     */
    methodLabel: (method) => {
      const named = table<{ label: string }>(d.patrol.methods)[method];
      if (named) return named.label;
      const { family, parameters, partner } = parseMethod(method);
      const words = table<(p: Record<string, string>, partner: string | null) => string>(d.patrol.families)[family];
      if (!words) return method;
      const shown = Object.fromEntries(
        Object.entries(parameters).map(([key, value]) => [
          key,
          value === "inf" || value === "Infinity"
            ? "∞"
            : Number.isFinite(Number(value))
              ? number(Math.min(2, (value.split(".")[1] ?? "").length)).format(Number(value))
              : value,
        ]),
      );
      return words(shown, partner === null ? null : tr.methodLabel(partner));
    },
    caseTypeLabel: (caseType) => table<string>(d.caseTypes)[caseType] ?? caseType,
    /**
     * A text of the published data (a project's title, an indicator's name or unit) in the page's
     * language: `record[key + "_lt"]` in Lithuanian where the data give one, else `record[key]`,
     * the source document's own wording.
     */
    dataText: (record, key) => {
      const fields = (record ?? {}) as Record<string, unknown>;
      const translated = d.lang === "en" ? null : fields[`${key}_${d.lang}`];
      return typeof translated === "string" && translated ? translated : String(fields[key] ?? "");
    },
    /**
     * An evaluation area as the evaluation module labels it (etl/evaluation/lake/area-selection.ts and
     * evaluation-area.ts: "A excluding B and C", "polygon f.geojson"), worded in the page's language:
     * "A (neįskaitant: B, C)", "daugiakampis f.geojson". Place names stay as they are. With `parts`
     * (newer evaluation.json) the parts are worded and the label is not read.
     */
    areaLabel: (label, parts) => {
      if (parts) {
        const include = tr.areaLabel(parts.include);
        return parts.exclude.length ? d.evaluation.excludingAreas(include, [...parts.exclude]) : include;
      }
      if (label === null) return d.common.none;
      const excluding = / excluding (.+)$/.exec(label);
      const include = excluding ? label.slice(0, excluding.index) : label;
      const named = /^polygon (.+)$/.exec(include);
      const base = named ? d.evaluation.polygonArea(named[1]!) : include;
      return excluding ? d.evaluation.excludingAreas(base, excluding[1]!.split(" and ")) : base;
    },
    /**
     * A period as the data state it ("2019", "2017-11", "2019/2020"; days are cut to months) in words:
     * "2019 m.", "2017 m. lapkritis", "2019–2020 m." / "2019", "November 2017", "2019 – 2020"; null stays null.
     */
    formatPeriod: (period) => {
      if (!period) return null;
      const word = (part: string) => (/^\d{4}-\d{2}/.test(part) ? monthPhrase(d.lang, part.slice(0, 7)) : part);
      const parts = period.split("/");
      if (parts.every((part) => /^\d{4}$/.test(part))) return d.lang === "lt" ? `${parts.join("–")} m.` : parts.join("–");
      return parts.map((part) => (d.lang === "lt" && /^\d{4}$/.test(part) ? `${part} m.` : word(part))).join(" – ");
    },
    /** A country's name from its ISO 3166-1 alpha-2 code in the page's language ("LT" → "Lietuva" / "Lithuania"). */
    countryName: (code) => {
      try {
        return new Intl.DisplayNames(d.locale, { type: "region" }).of(code) ?? code;
      } catch {
        return code;
      }
    },
    reasonLabel: (code) => table<string>(d.quality.reasons)[code] ?? code,
    warningLabel: (code) => table<string>(d.quality.warnings)[code] ?? code,
    /** A figure with its qualifier: "about 3,000" / "apie 3 000". */
    formatQualified: (value, qualifier) => {
      if (value === null || value === undefined) return d.common.none;
      const text = integer.format(value);
      const words = qualifier ? table<(v: string) => string>(d.evaluation.qualified)[qualifier] : undefined;
      return words ? words(text) : text;
    },
    /**
     * The name of an indicator's unit ("persons") for a column heading: its plural in the language
     * where `units` (evaluation.json's unit names, `{persons: {en: [one, other], lt: [one, few, many, other]}}`)
     * give it, else the data's own word.
     */
    unitLabel: (unit, units) => units?.[unit]?.[language]?.[1] ?? unit,
    /** A count with its unit agreeing: "10 000 asmenų", "1 person"; with no forms in `units`, "10,000 persons". */
    formatUnitCount: (n, unit, units) => {
      const forms = units?.[unit]?.[language];
      return `${integer.format(n)} ${forms ? nounFor(d.lang, n, forms) : unit}`;
    },
    /** "A, B and C" in the language. */
    formatList: (items) => (items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} ${d.common.and} ${items.at(-1)}`),
    /** Category names for the middle of a sentence: "Domestic violence and sexual offences". */
    categoryList: (categories) => {
      const names = categories.map((c, i) => (i === 0 ? tr.categoryLabel(c) : tr.categoryLabel(c).toLocaleLowerCase(d.locale)));
      return tr.formatList(names);
    },
  };
  return tr;
}
