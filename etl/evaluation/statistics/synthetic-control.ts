import { monthPhrase } from "../../../dashboard/src/components/grammar.js";
import { solveQP } from "quadprog";
import { MIN_SERIES_CASES, type MonthCount } from "./interrupted-time-series.ts";

/** A donor area's monthly counts over the same months as the evaluation area's. */
export interface DonorSeries {
  label: string;
  series: readonly MonthCount[];
}

/** A synthetic control series, or why it was refused. */
export type SyntheticControl =
  | {
      refused: false;
      /** Donor weights (non-negative, summing to 1), largest first; donors with weight below 1e-6 left out. */
      weights: Array<{ label: string; weight: number }>;
      donors: number;
      pre_months: number;
      post_months: number;
      /** The weighted donors' count each month. */
      synthetic: MonthCount[];
      /** Root mean squared prediction error before and from the intervention month on. */
      pre_rmspe: number;
      post_rmspe: number;
      /** Counts from the intervention on: the evaluation area's and the synthetic control's. */
      treated_post: number;
      synthetic_post: number;
      /** treated_post / synthetic_post (null when the synthetic control has no case after). */
      ratio: number | null;
    }
  | { refused: true; reason: string; reason_lt: string; donors: number; pre_months: number; post_months: number };

// Fewer pre-intervention months cannot pin a weight per donor against monthly noise [@abadie2010; @abadie2021].
export const SYNTHETIC_MIN_PRE_MONTHS = 12;
// A minute ridge makes the donors' Gram matrix positive definite (the dual method needs it) without moving a well-posed fit.
const RIDGE = 1e-9;

/**
 * A synthetic control [@abadie2010]: the convex combination of donor areas (weights w ≥ 0, Σ w = 1)
 * whose monthly counts best reproduce the evaluation area's before the intervention,
 *
 *     minimise Σₜ<t0 (yₜ − Σⱼ wⱼ xⱼₜ)²  subject to  w ≥ 0, Σ w = 1,
 *
 * solved as a quadratic programme (quadprog's Goldfarb–Idnani dual method, as R `quadprog::solve.QP`,
 * with a ridge of 1e-9 × the mean diagonal so that the problem is strictly convex). After the
 * intervention the weighted donors are what the area would have counted without the project, if
 * the assumptions hold: the donors were not reached by the project nor by its displacement, and the
 * relation between the area and its donors before holds after. The fit is only as good as the
 * pre-period RMSPE shows: an area larger or smaller than every donor lies outside their convex hull,
 * and no weights reproduce it (compare the RMSPE with the area's monthly mean). Refused with the
 * reason with fewer than 2 donors, fewer than 12 pre-intervention months, no month after, or fewer
 * cases in the evaluation area before than the interrupted time series needs over its whole series
 * (MIN_SERIES_CASES): months of a sparser series are mostly 0 or 1, the weights would fit that noise,
 * and "N cases against M expected" would read as a comparison it is not.
 */
export function syntheticControl(treated: readonly MonthCount[], donors: readonly DonorSeries[], interventionMonth: string): SyntheticControl {
  const months = treated.map((m) => m.month);
  for (const d of donors) {
    if (d.series.length !== months.length || d.series.some((m, i) => m.month !== months[i]))
      throw new RangeError(`donor ${d.label} must have the evaluation area's months (${months[0]} … ${months.at(-1)}), one count each`);
  }
  const t0 = months.findIndex((m) => m >= interventionMonth);
  const pre = t0 < 0 ? months.length : t0;
  const post = months.length - pre;
  // The reason in English (as published) and in Lithuanian.
  const refuse = (reason: string, reasonLt: string): SyntheticControl => ({
    refused: true,
    reason,
    reason_lt: reasonLt,
    donors: donors.length,
    pre_months: pre,
    post_months: post,
  });
  if (donors.length < 2)
    return refuse(
      `${donors.length} donor area${donors.length === 1 ? "" : "s"}: a synthetic control weighs at least 2`,
      `Donorių teritorijų: ${donors.length}. Sintetinei kontrolei reikia bent 2.`,
    );
  if (pre < SYNTHETIC_MIN_PRE_MONTHS)
    return refuse(
      `only ${pre} months precede ${interventionMonth}; the weights need at least ${SYNTHETIC_MIN_PRE_MONTHS}: add earlier months to the lake`,
      `Iki ${monthPhrase("lt", interventionMonth, "genitive")} yra tik ${pre} mėn. duomenų, o svoriams nustatyti reikia bent ${SYNTHETIC_MIN_PRE_MONTHS} mėn. Įkelkite į duomenų ežerą ankstesnius mėnesius.`,
    );
  if (post === 0)
    return refuse(
      `no month from ${interventionMonth} on to compare`,
      `Nuo ${monthPhrase("lt", interventionMonth, "genitive")} nėra nė vieno mėnesio, kurį būtų galima palyginti.`,
    );
  if (treated.slice(0, pre).every((m) => m.count === 0))
    return refuse(
      "the evaluation area has no case before the intervention, so there is nothing to reproduce",
      "Vertinamoje teritorijoje iki intervencijos nebuvo nė vieno atvejo, todėl nėra ką atkurti.",
    );
  const preCases = treated.slice(0, pre).reduce((s, m) => s + m.count, 0);
  if (preCases < MIN_SERIES_CASES)
    return refuse(
      `too sparse: the evaluation area has ${preCases} case${preCases === 1 ? "" : "s"} in the ${pre} months before the intervention, fewer than the ${MIN_SERIES_CASES} the interrupted time series needs; the weights would fit monthly noise. Compare the periods as totals (the exact test), or use a larger area or a broader category`,
      `Per mažai atvejų: vertinamoje teritorijoje per ${pre} mėn. iki intervencijos jų buvo ${preCases}, o pertraukiamų laiko eilučių modeliui reikia bent ${MIN_SERIES_CASES}. Svoriai atkartotų atsitiktinius mėnesių svyravimus. Palyginkite laikotarpių sumas (tikslusis testas) arba imkite didesnę teritoriją ar platesnę kategoriją.`,
    );

  const y = treated.slice(0, pre).map((m) => m.count);
  const x = donors.map((d) => d.series.slice(0, pre).map((m) => m.count));
  const J = donors.length;
  const gram = x.map((a) => x.map((b) => a.reduce((s, v, t) => s + v * b[t]!, 0)));
  const ridge = RIDGE * Math.max(1, gram.reduce((s, row, j) => s + row[j]!, 0) / J);
  // 1-based arrays for quadprog: D = XᵀX (+ ridge), d = Xᵀy, constraints Σw = 1 (equality) and w ≥ 0.
  const Dmat = [[], ...gram.map((row, j) => [0, ...row.map((v, k) => v + (j === k ? ridge : 0))])];
  const dvec = [0, ...x.map((a) => a.reduce((s, v, t) => s + v * y[t]!, 0))];
  const Amat = [[], ...Array.from({ length: J }, (_, j) => [0, 1, ...Array.from({ length: J }, (_, k) => (j === k ? 1 : 0))])];
  const bvec = [0, 1, ...Array.from({ length: J }, () => 0)];
  const qp = solveQP(Dmat, dvec, Amat, bvec, 1);
  if (qp.message)
    return refuse(`the weights cannot be fitted: ${qp.message}`, "Svorių apskaičiuoti nepavyko (skaičiavimo klaidos tekstas – angliškoje ataskaitoje).");
  // Clip the solver's rounding (−1e-17) and renormalise.
  const raw = qp.solution.slice(1).map((w) => Math.max(0, w));
  const total = raw.reduce((s, w) => s + w, 0);
  const w = raw.map((v) => v / total);
  const synthetic = months.map((month, t) => ({ month, count: donors.reduce((s, d, j) => s + w[j]! * d.series[t]!.count, 0) }));
  const rmspe = (from: number, to: number) =>
    Math.sqrt(treated.slice(from, to).reduce((s, m, i) => s + (m.count - synthetic[from + i]!.count) ** 2, 0) / (to - from));
  const treatedPost = treated.slice(pre).reduce((s, m) => s + m.count, 0);
  const syntheticPost = synthetic.slice(pre).reduce((s, m) => s + m.count, 0);
  return {
    refused: false,
    weights: donors
      .map((d, j) => ({ label: d.label, weight: w[j]! }))
      .filter((d) => d.weight >= 1e-6)
      .sort((a, b) => b.weight - a.weight || a.label.localeCompare(b.label)),
    donors: J,
    pre_months: pre,
    post_months: post,
    synthetic,
    pre_rmspe: rmspe(0, pre),
    post_rmspe: rmspe(pre, months.length),
    treated_post: treatedPost,
    synthetic_post: syntheticPost,
    ratio: syntheticPost > 0 ? treatedPost / syntheticPost : null,
  };
}

/** Where the evaluation area's post/pre RMSPE ratio ranks among its donors' own synthetic controls. */
export interface SyntheticPlaceboTest {
  /** The evaluation area's RMSPE after / RMSPE before (null when its control was refused or fits the pre-period exactly). */
  rmspe_ratio: number | null;
  placebos: Array<{ label: string; rmspe_ratio: number | null; refused: string | null }>;
  compared: number;
  /** 1 + placebos whose ratio is at least the evaluation area's (null without a ratio or without placebos). */
  rank: number | null;
  /** rank / (compared + 1), the permutation p-value. */
  p_value: number | null;
}

/**
 * In-space placebo inference for a synthetic control [@abadie2010, §2.4; @abadie2021, §7]: each donor
 * in turn is treated as if it had had the intervention, with a synthetic control from the other
 * donors (the evaluation area left out), and the ratio of its RMSPE after the intervention to its
 * RMSPE before is compared with the evaluation area's. A project that changed the area's counts gives
 * a gap after that its fit before does not explain, so a ratio among the largest; the rank gives the
 * permutation p-value rank / (n + 1), ties counted against the area. Donors whose own control is
 * refused, or whose fit before is exact (ratio undefined), are left out.
 */
export function syntheticControlPlacebos(treated: readonly MonthCount[], donors: readonly DonorSeries[], interventionMonth: string): SyntheticPlaceboTest {
  const ratioOf = (sc: SyntheticControl): { ratio: number | null; refused: string | null } =>
    sc.refused
      ? { ratio: null, refused: sc.reason }
      : sc.pre_rmspe > 1e-12
        ? { ratio: sc.post_rmspe / sc.pre_rmspe, refused: null }
        : { ratio: null, refused: "its synthetic control fits the months before exactly, so the ratio is undefined" };
  const own = ratioOf(syntheticControl(treated, donors, interventionMonth));
  const placebos = donors.map((d, j) => {
    const r = ratioOf(
      syntheticControl(
        d.series,
        donors.filter((_, k) => k !== j),
        interventionMonth,
      ),
    );
    return { label: d.label, rmspe_ratio: r.ratio, refused: r.refused };
  });
  const compared = placebos.filter((p) => p.rmspe_ratio !== null);
  if (own.ratio === null || compared.length === 0) return { rmspe_ratio: own.ratio, placebos, compared: compared.length, rank: null, p_value: null };
  const asLarge = compared.filter((p) => p.rmspe_ratio! >= own.ratio! * (1 - 1e-12)).length;
  return { rmspe_ratio: own.ratio, placebos, compared: compared.length, rank: asLarge + 1, p_value: (asLarge + 1) / (compared.length + 1) };
}
