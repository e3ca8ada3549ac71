import { ltExposure } from "./exposure-label-lt.ts";
import type { ExposureSeries } from "../../context/immigration.ts";
import { daysInYear, type Period } from "./evaluation-period.ts";
import { rateRatioTest } from "./rate-ratio-test.ts";

/** Rates per exposure before and after, with the exact test of their ratio. */
export interface ExposureOutcome {
  indicator: string;
  area_code: string;
  area_name: string;
  unit: string;
  /** Rates are per this many units of exposure per year (e.g. per 10,000 persons). */
  per: number;
  before_exposure: number;
  after_exposure: number;
  before_rate: number;
  after_rate: number;
  rate_ratio: number;
  p_value: number;
  ci_low: number;
  ci_high: number;
}

/**
 * Exposure of a period in exposure-years: Σ over its days of value(year)/days(year), i.e. a whole
 * year counts its yearly figure once and half a year half of it. Null, with the missing years, when
 * the series lacks a year the period touches — a rate is never computed from a guessed denominator.
 */
export function periodExposure(series: ExposureSeries, period: Period): { value: number | null; missingYears: number[] } {
  let value = 0;
  const missing = new Set<number>();
  for (const window of period.windows) {
    const firstYear = Number(window.first.slice(0, 4));
    const lastYear = Number(window.last.slice(0, 4));
    for (let year = firstYear; year <= lastYear; year++) {
      const yearly = series.values.get(year);
      if (yearly === undefined) {
        missing.add(year);
        continue;
      }
      value += (yearly * daysInYear(window, year)) / daysInYear({ first: `${year}-01-01`, last: `${year}-12-31` }, year);
    }
  }
  return missing.size > 0 ? { value: null, missingYears: [...missing].sort() } : { value, missingYears: [] };
}

/**
 * Counts per exposure before and after — rate = count / exposure × `per` — and the exact conditional
 * test of the rate ratio with the exposures as the Poisson denominators [@r-poisson-test]: the count
 * after is Binomial(n, E_a/(E_a + E_b)) given the total. A count that rises no faster than its
 * exposure gives a ratio near 1. Null when the series does not cover both periods.
 */
export function exposureRates(
  series: ExposureSeries,
  before: { count: number; period: Period },
  after: { count: number; period: Period },
  per = 10_000,
  confidenceLevel = 0.95,
): ExposureOutcome | null {
  const eb = periodExposure(series, before.period).value;
  const ea = periodExposure(series, after.period).value;
  if (eb === null || ea === null || eb <= 0 || ea <= 0) return null;
  const test = rateRatioTest(before.count, after.count, eb, ea, confidenceLevel);
  return {
    indicator: series.indicator,
    area_code: series.area_code,
    area_name: series.area_name,
    unit: series.unit,
    per,
    before_exposure: eb,
    after_exposure: ea,
    before_rate: (before.count / eb) * per,
    after_rate: (after.count / ea) * per,
    rate_ratio: test.rateRatio,
    p_value: test.pValue,
    ci_low: test.lower,
    ci_high: test.upper,
  };
}

/** The evaluated area as the exposure check needs it: how it was given, and where its incidents lie (readAreaPlaces). */
export interface ExposedArea {
  kind: "municipality" | "locality" | "polygon" | "cells";
  name: string;
  label: string;
  places: ReadonlyArray<{ municipality: string | null; locality: string | null }>;
}

/**
 * Whether the exposure's area holds the evaluated area: the area is a municipality or locality the
 * exposure names, or every incident counted in it lies in a municipality or locality the exposure
 * names (its `area_name` or `covers` list). An area without incidents is held only by name.
 */
export function exposureHoldsArea(series: ExposureSeries, area: ExposedArea): boolean {
  const named = new Set(series.places);
  if ((area.kind === "municipality" || area.kind === "locality") && named.has(area.name)) return true;
  return (
    area.places.length > 0 && area.places.every((p) => (p.municipality !== null && named.has(p.municipality)) || (p.locality !== null && named.has(p.locality)))
  );
}

/**
 * The exposure series when its area holds the evaluated area and it covers both periods; otherwise
 * null and a note saying why: a rate never divides one place's counts by another place's figure
 * (the bundled table is Šiauliai County's, and `evaluate` offers it on any lake), nor by a guessed one.
 */
export function exposureCoverage(
  series: ExposureSeries | null,
  before: Period,
  after: Period,
  area: ExposedArea,
): { series: ExposureSeries | null; note: string | null; note_lt: string | null } {
  if (!series) return { series: null, note: null, note_lt: null };
  if (!exposureHoldsArea(series, area)) {
    // Where the incidents outside lie (at most 5 places; "" for rows naming no place), unless that is only the area's own name.
    const outside = [
      ...new Set(area.places.filter((p) => !exposureHoldsArea(series, { ...area, places: [p] })).map((p) => p.municipality ?? p.locality ?? "")),
    ];
    const told = outside.length > 0 && !(outside.length === 1 && outside[0] === area.name);
    const list = (unnamed: string) => [...outside.slice(0, 5).map((name) => name || unnamed), ...(outside.length > 5 ? ["…"] : [])].join(", ");
    const where = told ? ` (its incidents lie in ${list("no named municipality or locality")})` : "";
    const where_lt = told ? ` (jos įvykių vietos: ${list("be nurodytos savivaldybės ar gyvenvietės")})` : "";
    return {
      series: null,
      note:
        `No rates per exposure: the ${series.indicator.replaceAll("_", " ")} figures are for ${series.area_name} (${series.area_code}), which does not hold ${area.label}${where}; ` +
        "a rate would divide one place's counts by another place's figure. For rates, give an exposure table for this place (`hotspots evaluate --exposure-file FILE`, `hotspots context --exposure FILE`) " +
        "whose area_name or covers column names the municipalities or localities its incidents lie in; `--no-exposure` leaves rates out.",
      note_lt:
        `Dažnių ekspozicijai nėra: rodiklio „${ltExposure(series.indicator)}“ skaičiai yra teritorijos „${series.area_name}“ (${series.area_code}), kuri neapima vertinamos teritorijos (${area.label})${where_lt}; ` +
        "dažnis padalytų vienos vietos įvykius iš kitos vietos skaičiaus. Norėdami gauti dažnius, pateikite šios vietos ekspozicijos lentelę (`hotspots evaluate --exposure-file FAILAS`, `hotspots context --exposure FAILAS`), " +
        "kurios stulpelis area_name arba covers įvardija savivaldybes ar gyvenvietes, kuriose yra jos įvykiai; su `--no-exposure` dažniai neskaičiuojami.",
    };
  }
  const missing = [...new Set([...periodExposure(series, before).missingYears, ...periodExposure(series, after).missingYears])].sort();
  if (missing.length === 0) return { series, note: null, note_lt: null };
  const held = [...series.values.keys()].sort();
  return {
    series: null,
    note: `No rates per exposure: the ${series.indicator.replaceAll("_", " ")} table has no figure for ${missing.join(", ")} (it covers ${held[0]}–${held.at(-1)}), and a rate is never computed from a guessed denominator.`,
    note_lt: `Dažnių ekspozicijai nėra: rodiklio „${ltExposure(series.indicator)}“ lentelėje nėra ${missing.join(", ")} m. duomenų (ji apima ${held[0]}–${held.at(-1)} m.). Dažnis niekada neskaičiuojamas iš spėjamo vardiklio.`,
  };
}
