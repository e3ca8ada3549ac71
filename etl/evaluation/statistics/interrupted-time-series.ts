import { countPhrase, monthPhrase } from "../../../dashboard/src/components/grammar.js";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { negativeBinomialRegression, poissonRegression, type CountFit } from "./count-regression.ts";
import { ITS_MIN_PRE_MONTHS } from "./design-rating.ts";

/** One calendar month's count ("YYYY-MM" in the configured time zone). */
export interface MonthCount {
  month: string;
  count: number;
}

/** A rate ratio with its Wald interval and p-value. */
export interface RatioEstimate {
  ratio: number;
  ci_low: number;
  ci_high: number;
  p_value: number;
}

/** One family's segmented regression. */
export interface ItsModel {
  family: CountFit["family"];
  /** exp(β) of the step at the intervention: the rate just after against the pre-trend's projection. */
  level_change: RatioEstimate;
  /** exp(β) of the change of the monthly trend after the intervention. */
  slope_change: RatioEstimate;
  /** exp(β) of the monthly pre-trend. */
  pre_trend: RatioEstimate;
  dispersion: number;
  theta: number | null;
  log_likelihood: number;
  converged: boolean;
}

/** An interrupted time series, or the reason it was refused. */
export type ItsResult =
  | {
      refused: false;
      pre_months: number;
      post_months: number;
      total: number;
      seasonality: boolean;
      poisson: ItsModel;
      /** Null when the counts are not over-dispersed (θ → ∞: the Poisson model). */
      negative_binomial: ItsModel | null;
      /** The model read: negative binomial when the likelihood-ratio test prefers it at 5 %. */
      preferred: CountFit["family"];
      assumptions: string[];
      /** The assumptions in Lithuanian, index by index. */
      assumptions_lt: string[];
    }
  | { refused: true; reason: string; reason_lt: string; pre_months: number; post_months: number; total: number };

// Events per parameter below which a count regression's estimates and Wald intervals are unreliable
// [@peduzzi1996; @vittinghoff2007 relax 10 to 5 for Poisson-type models].
const EVENTS_PER_PARAMETER = 5;
/** The fewest cases any model of a monthly series here is fitted on: the segmented regression's smallest (4 parameters). */
export const MIN_SERIES_CASES = EVENTS_PER_PARAMETER * 4;
const MIN_POST_MONTHS = 3;

/** The assumptions every interrupted time series here rests on, stated in reports. */
export const ITS_ASSUMPTIONS: readonly string[] = [
  "Without the intervention the pre-intervention trend (log-linear in months) and seasonal pattern would have continued.",
  "Nothing else that changes the count (recording rules, police activity, another programme) began at the same time.",
  "Months are independent given trend and season (no autocorrelation beyond what they explain); the negative-binomial model allows extra variance, not correlation.",
  "The intervention began at one known month; a gradual start is read as a slope change.",
];

/** ITS_ASSUMPTIONS in Lithuanian, index by index. */
export const ITS_ASSUMPTIONS_LT: readonly string[] = [
  "Be intervencijos tendencija (log-tiesinė pagal mėnesius) ir sezoniškumas būtų išlikę tokie patys kaip iki jos.",
  "Tuo pat metu neprasidėjo nieko kito, kas keistų atvejų skaičių (registravimo taisyklės, policijos veikla, kita programa).",
  "Atsižvelgus į tendenciją ir sezoną, mėnesiai vienas nuo kito nepriklauso (autokoreliacijos nėra). Neigiamas binominis modelis leidžia didesnę sklaidą, bet ne koreliaciją.",
  "Intervencija prasidėjo vieną žinomą mėnesį. Laipsniška pradžia matoma kaip tendencijos pokytis.",
];

const NO_SEASONALITY = {
  en: "Too few cases for twelve seasonal effects: seasonality is not modelled, so a seasonal pattern can bias the trend.",
  lt: "Atvejų per mažai dvylikai sezoninių poveikių įvertinti: sezoniškumas nemodeliuojamas, todėl sezoniniai svyravimai gali iškreipti tendenciją.",
};

/**
 * Segmented regression of monthly counts around an intervention month [@bernal2017; @wagner2002]:
 *
 *     log μₜ = β0 + β1·t + β2·postₜ + β3·(t − t0)·postₜ + Σ γₘ·[month of t = m]   (m = Feb … Dec)
 *
 * fitted as Poisson and as negative-binomial regression (count-regression.ts, R `glm` and
 * `MASS::glm.nb`). exp(β2) is the level change, exp(β3) the change of the monthly trend, with Wald
 * intervals. Refused with the reason when fewer than 24 months precede the intervention (a trend and
 * twelve seasonal effects cannot be told apart), when fewer than 3 follow it, or when there are
 * fewer than 5 events per parameter — then without the seasonal terms if that is enough, else not at
 * all: sparse series give unstable estimates and, with many zero months, no finite seasonal effects.
 */
export function interruptedTimeSeries(series: readonly MonthCount[], interventionMonth: string, confidenceLevel = 0.95): ItsResult {
  checkConsecutive(series);
  const t0 = series.findIndex((m) => m.month === interventionMonth);
  const preMonths = t0 < 0 ? (series.at(-1) && series.at(-1)!.month < interventionMonth ? series.length : 0) : t0;
  const postMonths = t0 < 0 ? 0 : series.length - t0;
  const total = series.reduce((s, m) => s + m.count, 0);
  // The reason in English (as published) and in Lithuanian, for a reader in either language.
  const refuse = (reason: string, reasonLt: string): ItsResult => ({
    refused: true,
    reason,
    reason_lt: reasonLt,
    pre_months: preMonths,
    post_months: postMonths,
    total,
  });
  if (preMonths < ITS_MIN_PRE_MONTHS)
    return refuse(
      `only ${preMonths} months precede ${interventionMonth}; a trend and the seasonal pattern need at least ${ITS_MIN_PRE_MONTHS}: add earlier months to the lake`,
      `Iki ${monthPhrase("lt", interventionMonth, "genitive")} yra tik ${preMonths} mėn. duomenų, o tendencijai ir sezoniškumui atskirti reikia bent ${ITS_MIN_PRE_MONTHS} mėn. Įkelkite į duomenų ežerą ankstesnius mėnesius.`,
    );
  if (postMonths < MIN_POST_MONTHS)
    return refuse(
      `only ${postMonths} months from ${interventionMonth} on; a level and a slope change need at least ${MIN_POST_MONTHS}`,
      `Nuo ${monthPhrase("lt", interventionMonth, "genitive")} yra tik ${postMonths} mėn. duomenų, o lygio ir tendencijos pokyčiui įvertinti reikia bent ${MIN_POST_MONTHS} mėn.`,
    );
  const seasonal = total >= EVENTS_PER_PARAMETER * 15;
  if (total < MIN_SERIES_CASES) {
    const zeros = series.filter((m) => m.count === 0).length;
    return refuse(
      `too sparse: ${total} cases in ${series.length} months (${zeros} months with none); a segmented regression needs at least ${EVENTS_PER_PARAMETER} cases per parameter — ${MIN_SERIES_CASES} without seasonal terms, ${EVENTS_PER_PARAMETER * 15} with them — so its estimates would be unstable. Compare the periods as totals (the exact test above), or use a larger area or a broader category`,
      `Per mažai atvejų: ${countPhrase("lt", total, "case")} per ${series.length} mėn. (${zeros} mėn. be atvejų). Segmentinei regresijai reikia bent ${EVENTS_PER_PARAMETER} atvejų vienam parametrui – ${MIN_SERIES_CASES} be sezoninių narių, ${EVENTS_PER_PARAMETER * 15} su jais, – kitaip įverčiai nestabilūs. Palyginkite laikotarpių sumas (tikslusis testas aukščiau) arba imkite didesnę teritoriją ar platesnę kategoriją.`,
    );
  }
  const x = series.map((m, t) => {
    const post = t >= t0 ? 1 : 0;
    const row = [1, t, post, post * (t - t0)];
    if (seasonal) for (let month = 2; month <= 12; month++) row.push(Number(m.month.slice(5, 7)) === month ? 1 : 0);
    return row;
  });
  const y = series.map((m) => m.count);
  let poisson: CountFit;
  try {
    poisson = poissonRegression(y, x);
  } catch (error) {
    return refuse(
      `the model cannot be fitted: ${(error as Error).message}`,
      "Modelio pritaikyti nepavyko dėl skaičiavimo klaidos (jos tekstas – angliškoje ataskaitoje).",
    );
  }
  if (!poisson.converged || poisson.coefficients.some((b) => !Number.isFinite(b)))
    return refuse(
      "the Poisson fit did not converge (a month with no cases in any year makes its seasonal effect infinite)",
      "Puasono modelis nekonvergavo: jei kurį nors kalendorinį mėnesį atvejų nebuvo nė vienais metais, to mėnesio sezoninis poveikis tampa begalinis.",
    );
  const nb = negativeBinomialRegression(y, x);
  const z = normalQuantile(1 - (1 - confidenceLevel) / 2, 0, 1);
  const model = (fit: CountFit): ItsModel => {
    const ratio = (j: number): RatioEstimate => {
      const [b, se] = [fit.coefficients[j]!, fit.se[j]!];
      return { ratio: Math.exp(b), ci_low: Math.exp(b - z * se), ci_high: Math.exp(b + z * se), p_value: 2 * normalCdf(-Math.abs(b / se), 0, 1) };
    };
    return {
      family: fit.family,
      pre_trend: ratio(1),
      level_change: ratio(2),
      slope_change: ratio(3),
      dispersion: fit.dispersion,
      theta: fit.theta,
      log_likelihood: fit.log_likelihood,
      converged: fit.converged,
    };
  };
  // θ = ∞ lies on the boundary: the LR statistic is a 50:50 mixture of 0 and χ²₁, so 2.706 is its 5 % point.
  const preferNb = nb !== null && nb.converged && 2 * (nb.log_likelihood - poisson.log_likelihood) > 2.705543;
  return {
    refused: false,
    pre_months: preMonths,
    post_months: postMonths,
    total,
    seasonality: seasonal,
    poisson: model(poisson),
    negative_binomial: nb ? model(nb) : null,
    preferred: preferNb ? "negative_binomial" : "poisson",
    assumptions: [...ITS_ASSUMPTIONS, ...(seasonal ? [] : [NO_SEASONALITY.en])],
    assumptions_lt: [...ITS_ASSUMPTIONS_LT, ...(seasonal ? [] : [NO_SEASONALITY.lt])],
  };
}

function checkConsecutive(series: readonly MonthCount[]): void {
  for (let i = 1; i < series.length; i++) {
    const [py, pm] = series[i - 1]!.month.split("-").map(Number) as [number, number];
    const expected = pm === 12 ? `${py + 1}-01` : `${py}-${String(pm + 1).padStart(2, "0")}`;
    if (series[i]!.month !== expected)
      throw new RangeError(
        `months must be consecutive: ${series[i - 1]!.month} is followed by ${series[i]!.month}, expected ${expected} (a missing month must be given with its count, 0 if none)`,
      );
  }
}

/** The level change of a placebo: the same model with a false intervention month. */
export interface PlaceboResult {
  label: string;
  level_change: number | null;
  refused: string | null;
}

/**
 * In-time placebo tests [@bernal2018]: the same segmented regression on the pre-intervention months
 * alone, with false intervention months every `step` months from month 24 to 6 months before the
 * end, so each placebo has at least two years before it and half a year after. A real effect should
 * be larger than nearly all placebo "effects"; `share_as_large` is the share of placebos whose
 * |log level change| is at least the real one's (a permutation-style p-value, coarse with few placebos).
 */
export function inTimePlacebos(
  series: readonly MonthCount[],
  interventionMonth: string,
  actual: number,
  step = 3,
): { placebos: PlaceboResult[]; share_as_large: number | null } {
  const pre = series.filter((m) => m.month < interventionMonth);
  const placebos: PlaceboResult[] = [];
  for (let t = ITS_MIN_PRE_MONTHS; t <= pre.length - 6; t += step) placebos.push(placeboOf(pre, pre[t]!.month, pre[t]!.month));
  return { placebos, share_as_large: shareAsLarge(placebos, actual) };
}

/**
 * In-space placebo tests [@abadie2010]: the same model, same intervention month, on areas the project
 * did not reach. If untreated areas show level changes as large as the evaluation area's, the change
 * is not the project's.
 */
export function inSpacePlacebos(
  areas: ReadonlyArray<{ label: string; series: readonly MonthCount[] }>,
  interventionMonth: string,
  actual: number,
): { placebos: PlaceboResult[]; share_as_large: number | null } {
  const placebos = areas.map((a) => placeboOf(a.series, interventionMonth, a.label));
  return { placebos, share_as_large: shareAsLarge(placebos, actual) };
}

function placeboOf(series: readonly MonthCount[], month: string, label: string): PlaceboResult {
  const r = interruptedTimeSeries(series, month);
  if (r.refused) return { label, level_change: null, refused: r.reason };
  const m = r.preferred === "negative_binomial" && r.negative_binomial ? r.negative_binomial : r.poisson;
  return { label, level_change: m.level_change.ratio, refused: null };
}

function shareAsLarge(placebos: readonly PlaceboResult[], actual: number): number | null {
  const fitted = placebos.filter((p) => p.level_change !== null);
  if (fitted.length === 0) return null;
  return fitted.filter((p) => Math.abs(Math.log(p.level_change!)) >= Math.abs(Math.log(actual))).length / fitted.length;
}
