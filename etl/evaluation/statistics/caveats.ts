import { DETECTION_DRIVEN_CATEGORIES } from "./desired-direction.ts";
import { caseTypeLabel, categoryLabel, formatLevel } from "../format.ts";
import type { OutcomeRow } from "./outcome-row.ts";
import { tooSmallToShowChange } from "./verdict.ts";

/** What the caveats depend on beyond the outcome rows. */
export interface CaveatContext {
  rows: readonly OutcomeRow[];
  hasControl: boolean;
  hasBuffer: boolean;
  hasBufferControl: boolean;
  sameSeason: boolean;
  beforeDays: number;
  afterDays: number;
  /** Distinct `source` values of the lake's incidents. */
  sources: readonly string[];
  exposure: { area_name: string; area_code: string; indicator: string } | null;
}

/** Sources known to be synthetic demo data, with what in them is real. */
const SYNTHETIC_SOURCES: Record<string, string> = {
  "siauliai-demo":
    "The bundled incidents (source siauliai-demo) are synthetic; only the Kuršėnai drug-possession counts of 2018 and 2019 are real (the We Are ECPA entry). Other counts illustrate the method and are no evidence about Šiauliai.",
};

/**
 * The caveats an evaluator must read with the figures, in the order of the ECPA template's concern:
 * design (no control, trends, regression to the mean), chance (small counts, many tests), what a
 * count measures (detection), denominators and data provenance. Only caveats that apply are listed.
 */
export function evaluationCaveats(context: CaveatContext): string[] {
  const { rows } = context;
  const caveats: string[] = [];
  const level = rows[0] ? formatLevel(1 - rows[0].exact_test.confidence_level) : "5 %";
  if (!context.hasControl) {
    caveats.push(
      "No control area: a before/after change cannot be separated from the general trend, from changes in recording or police activity, or from chance events; add a comparable area that the project did not reach (--control).",
    );
  } else {
    caveats.push(
      "The weighted displacement difference uses the normal approximation to Poisson counts: with small or over-dispersed counts its p-value and interval are rough. It assumes the control would have followed the same trend as the evaluation area, so the control should be comparable and have similar counts (Wheeler & Ratcliffe 2018).",
    );
  }
  if (context.hasBuffer && !context.hasControl)
    caveats.push("The WDQ and the total net effect need a control area; without one only the buffer's own change is shown.");
  if (context.hasBuffer && context.hasControl && !context.hasBufferControl)
    caveats.push(
      "No control for the buffer (--buffer-control): the WDD covers the evaluation area only; displacement is judged by the WDQ alone, which has no significance test.",
    );
  caveats.push(
    "Regression to the mean: an area or year picked because its count was unusually high or low tends to move back towards its usual level with no intervention at all.",
  );
  const small = rows.filter((r) => tooSmallToShowChange(r) && r.before + r.after > 0);
  if (small.length > 0) {
    const which = small.map((r) => `${categoryLabel(r.category)} (${caseTypeLabel(r.case_type)}, ${r.before} → ${r.after})`).join("; ");
    caveats.push(
      `Counts this small cannot show a significant change — ${which}: the tests cannot tell a real change from chance unless the rate changes several-fold, so a non-significant result there is absence of evidence, not evidence that nothing changed.`,
    );
  }
  // Case-type rows break a category's total down; the independent comparisons are the categories.
  const tested = rows.filter((r) => r.case_type === "all" && r.category !== "all" && r.before + r.after > 0).length;
  if (tested > 1)
    caveats.push(
      `${tested} offence categories are compared: at the ${level} level about one in ${Math.round(1 / (1 - (rows[0]?.exact_test.confidence_level ?? 0.95)))} looks significant by chance alone, so a single significant category among many is weak evidence.`,
    );
  const detection = [...new Set(rows.map((r) => r.category))].filter((c) => DETECTION_DRIVEN_CATEGORIES.has(c));
  for (const category of detection) {
    caveats.push(
      `Registered ${categoryLabel(category)} cases measure detection — police activity and information from the population — not how common the offence is. A rise is the desired outcome when the project aims at more information, but the count alone cannot tell more detection from more offending.`,
    );
  }
  if (context.beforeDays !== context.afterDays)
    caveats.push(
      `The periods differ in length (${context.beforeDays} and ${context.afterDays} days): the rate tests compare counts per day, and the WDD is expressed per after period.`,
    );
  if (context.sameSeason)
    caveats.push(
      "Same-season comparison: the before period covers only the same months of the year as the after period, which removes seasonality but also uses fewer data.",
    );
  if (context.exposure) {
    caveats.push(
      `The exposure (${context.exposure.indicator.replaceAll("_", " ")}) is a figure for ${context.exposure.area_name} (${context.exposure.area_code}), not for the evaluation area: the rate per exposure shows whether the count grew faster than that figure, not a risk per person. The source table does not say whether it counts arrivals in the year or residents.`,
    );
  }
  for (const source of context.sources) if (SYNTHETIC_SOURCES[source]) caveats.push(SYNTHETIC_SOURCES[source]!);
  return caveats;
}
