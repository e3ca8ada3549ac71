import { categoryLabel, formatNumber, formatRatio } from "../format.ts";
import type { CategorySpacePlacebos } from "../lake/locality-placebos.ts";
import type { SyntheticControl, SyntheticPlaceboTest } from "../statistics/synthetic-control.ts";

/** A category's in-space placebo test for people: the rank among the other localities, or why there is none. */
export function spacePlaceboText(p: CategorySpacePlacebos): string {
  const head = `In-space placebos of ${categoryLabel(p.category)}`;
  if (!p.test) return `${head}: none — ${p.refused}.`;
  const t = p.test;
  const refused = t.placebos.length - t.compared;
  if (t.rank === null) return `${head}: none of the ${t.placebos.length} other localities had a case in either period, so there is nothing to rank against.`;
  const reached = t.placebos.filter((a) => a.rate_ratio !== null && a.reached === true).length;
  const untreated = t.placebos.filter((a) => a.rate_ratio !== null && a.reached === false).length;
  const status =
    reached === t.compared
      ? `${t.compared === 1 ? "it lies" : "all of them"} in the comparison area the project also reached, so ${t.compared === 1 ? "it is" : "they are"} not untreated`
      : untreated === t.compared
        ? `${t.compared === 1 ? "it lies" : "all of them"} in an area the project did not reach`
        : `${reached} in the comparison area the project also reached, ${untreated} stated untreated, ${t.compared - reached - untreated} not stated`;
  return (
    `${head}: the same before/after rate ratio in ${t.compared} other ${t.compared === 1 ? "locality" : "localities"} of the lake (${status})${refused > 0 ? `; ${refused} without a case in either period left out` : ""}. ` +
    `The evaluation area's ×${formatRatio(t.treated_ratio)} ranks ${t.rank} of ${t.compared + 1} by size of change (permutation p = ${formatNumber(t.p_value!, 3)}; the smallest possible with ${t.compared} placebo${t.compared === 1 ? "" : "s"} is ${formatNumber(1 / (t.compared + 1), 3)}).`
  );
}

/** A category's synthetic control for people: weights, fit before, comparison after, or why it was refused. */
export function syntheticControlText(category: string, sc: SyntheticControl, placebos: SyntheticPlaceboTest | null = null): string {
  const head = `Synthetic control of ${categoryLabel(category)}`;
  if (sc.refused) return `${head}: refused — ${sc.reason}.`;
  // No weights where the release withholds them (release.ts): a donor's weight with the synthetic count gives its count.
  const weights =
    sc.weights.length === 0
      ? ""
      : ` (${sc.weights
          .slice(0, 4)
          .map((w) => `${w.label} ${formatNumber(w.weight * 100, 0)} %`)
          .join(", ")}${sc.weights.length > 4 ? ", …" : ""})`;
  return (
    `${head}: ${sc.donors} other localities weighted to reproduce the ${sc.pre_months} months before the intervention${weights}; ` +
    `monthly error before ${formatNumber(sc.pre_rmspe, 2)} cases (RMSPE). From the intervention on the area counted ${formatNumber(sc.treated_post, 0)} against ${formatNumber(sc.synthetic_post, 1)} for the synthetic control` +
    `${sc.ratio === null ? "" : ` (×${formatRatio(sc.ratio)})`}, error ${formatNumber(sc.post_rmspe, 2)} a month. The weighted donors stand for the area without the project only if they were not reached by it and resemble it before; a monthly error before as large as the area's monthly count says they do not.` +
    (placebos?.rank != null
      ? ` Placebos: each donor's own synthetic control from the others; the area's error after / before (${formatNumber(placebos.rmspe_ratio!, 2)}) ranks ${placebos.rank} of ${placebos.compared + 1} (permutation p = ${formatNumber(placebos.p_value!, 3)}; the smallest possible with ${placebos.compared} placebo${placebos.compared === 1 ? "" : "s"} is ${formatNumber(1 / (placebos.compared + 1), 3)}).`
      : "")
  );
}
