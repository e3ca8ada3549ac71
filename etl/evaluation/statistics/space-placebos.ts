/** One comparison locality of an in-space placebo test: its counts in the evaluation's periods. */
export interface PlaceboArea {
  label: string;
  before: number;
  after: number;
  /** Whether the project reached this area: true, false, or null when not stated. */
  reached: boolean | null;
}

/** One placebo's before/after change, or why it has none. */
export interface AreaPlacebo extends PlaceboArea {
  /** Rate ratio after/before per day, with 0.5 added to each count (always finite); null when refused. */
  rate_ratio: number | null;
  refused: string | null;
}

/** Where the evaluation area's change ranks among the placebo areas' changes. */
export interface SpacePlaceboTest {
  /** The evaluation area's rate ratio, with 0.5 added to each count like the placebos'. */
  treated_ratio: number;
  placebos: AreaPlacebo[];
  /** Placebos with a rate ratio. */
  compared: number;
  /** 1 + placebos whose |log rate ratio| is at least the evaluation area's: 1 = the most extreme change (null without placebos). */
  rank: number | null;
  /** rank / (compared + 1): the permutation p-value, no smaller than 1 / (compared + 1) (null without placebos). */
  p_value: number | null;
  /** Share of the compared placebos with a change at least as large (null without placebos). */
  share_as_large: number | null;
}

/**
 * In-space placebo test of a before/after comparison [@abadie2010, §2.4 "placebo studies"; @bernal2018]:
 * the same before/after rate ratio computed for each comparison area over the same periods, and the
 * evaluation area's change ranked among them by |log rate ratio|. If the project changed the
 * evaluation area's count, its change should be among the most extreme; the rank gives the
 * permutation p-value rank / (n + 1), where n is the number of placebos, counting ties against the
 * evaluation area.
 *
 * Assumptions: the areas are exchangeable without the project (comparable size, trend and recording),
 * and the placebo areas are untreated — an area the project also reached can show the project's effect
 * too, so its placebo makes the test conservative. The smallest attainable p-value is 1 / (n + 1): with
 * fewer than 19 placebos no result reaches 5 %, whatever the change. The ratio adds 0.5 to both counts
 * (the Haldane–Anscombe correction), so areas with no case in one period still have a finite change;
 * an area with no case in either period shows nothing and is refused.
 */
export function rateRatioPlacebos(
  treated: { before: number; after: number },
  areas: readonly PlaceboArea[],
  days: { before: number; after: number },
): SpacePlaceboTest {
  for (const [name, value] of [
    ["before days", days.before],
    ["after days", days.after],
  ] as const) {
    if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number of days, got ${value}`);
  }
  for (const area of [{ label: "evaluation area", ...treated }, ...areas]) {
    if (!(Number.isInteger(area.before) && area.before >= 0 && Number.isInteger(area.after) && area.after >= 0))
      throw new RangeError(`counts of ${area.label} must be non-negative whole numbers, got ${area.before} before and ${area.after} after`);
  }
  const ratio = (a: { before: number; after: number }) => (a.after + 0.5) / days.after / ((a.before + 0.5) / days.before);
  const treatedRatio = ratio(treated);
  const placebos: AreaPlacebo[] = areas.map((a) =>
    a.before + a.after === 0
      ? { ...a, rate_ratio: null, refused: "no case in either period, so it shows no change to compare" }
      : { ...a, rate_ratio: ratio(a), refused: null },
  );
  const compared = placebos.filter((p) => p.rate_ratio !== null);
  if (compared.length === 0) return { treated_ratio: treatedRatio, placebos, compared: 0, rank: null, p_value: null, share_as_large: null };
  // A relative tolerance so that a placebo with the same counts ties with the evaluation area despite rounding.
  const extreme = Math.abs(Math.log(treatedRatio));
  const asLarge = compared.filter((p) => Math.abs(Math.log(p.rate_ratio!)) >= extreme * (1 - 1e-12)).length;
  return {
    treated_ratio: treatedRatio,
    placebos,
    compared: compared.length,
    rank: asLarge + 1,
    p_value: (asLarge + 1) / (compared.length + 1),
    share_as_large: asLarge / compared.length,
  };
}
