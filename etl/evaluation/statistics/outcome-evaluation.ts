import type { ExposureSeries } from "../../context/immigration.ts";
import { countsOf, type CountTable } from "./count-table.ts";
import { desiredDirection, directionMet, type DesiredDirection } from "./desired-direction.ts";
import { detectableChange } from "./detectable-change.ts";
import { displacementUncertainty, reconcileDisplacement } from "./displacement-uncertainty.ts";
import { eTest } from "./e-test.ts";
import type { Period } from "./evaluation-period.ts";
import { exposureRates } from "./exposure-rates.ts";
import { outcomePower } from "./outcome-power.ts";
import { exactTestShowsChange, rateRatioTest } from "./rate-ratio-test.ts";
import type { AreaChange, OutcomeRow } from "./outcome-row.ts";
import { outcomeVerdict } from "./verdict.ts";
import { weightedDisplacementDifference } from "./weighted-displacement-difference.ts";
import { WDQ_READING_TEXT, weightedDisplacementQuotient, type WdqReading } from "./weighted-displacement-quotient.ts";

/** The areas' count tables and the settings of one evaluation. */
export interface OutcomeInputs {
  before: Period;
  after: Period;
  treated: CountTable;
  control: CountTable | null;
  buffer: CountTable | null;
  bufferControl: CountTable | null;
  exposure: ExposureSeries | null;
  confidenceLevel: number;
  desired?: DesiredDirection;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * Counts, change and % change, comparing like with like: with periods of different lengths the
 * before count is first scaled to the after period (`scale` = after-days / before-days), so 117 in
 * 276 days against 34 in 92 days is 39 → 34, not 117 → 34. % change is null when before is 0.
 */
export function areaChange(before: number, after: number, scale = 1): AreaChange {
  const scaled = before * scale;
  return { before, after, before_scaled: scaled, change: after - scaled, percent_change: before > 0 ? (after / scaled - 1) * 100 : null };
}

/**
 * All outcome measures of one category × case type: change, the exact rate-ratio test and the E-test
 * with each period's length in days as exposure time, the rate per exposure, and — when the areas
 * exist — the weighted displacement difference against the control and the WDQ/TNE of the buffer.
 */
export function evaluateOutcome(category: string, caseType: string, inputs: OutcomeInputs): OutcomeRow {
  const { before: b, after: a } = countsOf(inputs.treated, category, caseType);
  const [tb, ta] = [inputs.before.days, inputs.after.days];
  const alpha = 1 - inputs.confidenceLevel;
  const choice = desiredDirection(category, inputs.desired);
  const exact = rateRatioTest(b, a, tb, ta, inputs.confidenceLevel);
  const e = eTest(a, ta, b, tb);
  const detectable = detectableChange(a + b, tb, ta, alpha);
  const timeWeights = { before: tb, after: ta };
  const scale = ta / tb;

  let control: OutcomeRow["control"] = null;
  if (inputs.control) {
    const c = countsOf(inputs.control, category, caseType);
    const disp = inputs.buffer && inputs.bufferControl ? countsOf(inputs.buffer, category, caseType) : undefined;
    const dispControl = disp ? countsOf(inputs.bufferControl, category, caseType) : undefined;
    const wdd = weightedDisplacementDifference(
      { treated: { before: b, after: a }, control: c, displacement: disp, displacementControl: dispControl, timeWeights },
      inputs.confidenceLevel,
    );
    control = {
      ...areaChange(c.before, c.after, scale),
      wdd: {
        estimate: wdd.total.estimate,
        se: wdd.total.se,
        z: finite(wdd.z),
        p_value: wdd.pValue,
        ci_low: wdd.lower,
        ci_high: wdd.upper,
        local: wdd.local.estimate,
        displacement: wdd.displacement?.estimate ?? null,
      },
    };
  }
  let buffer: OutcomeRow["buffer"] = null;
  if (inputs.buffer) {
    const d = countsOf(inputs.buffer, category, caseType);
    const c = inputs.control ? countsOf(inputs.control, category, caseType) : null;
    const q = c ? weightedDisplacementQuotient({ before: b, after: a }, d, c) : null;
    const reading: WdqReading = q?.reading ?? "not_interpretable";
    const u = c ? displacementUncertainty({ before: b, after: a }, d, c, inputs.confidenceLevel) : null;
    const reconciled =
      u && control && Number.isFinite(u.tne.estimate)
        ? reconcileDisplacement({
            treated: { before: b, after: a },
            control: c!,
            wdd: { estimate: control.wdd.estimate, ci_low: control.wdd.ci_low, ci_high: control.wdd.ci_high },
            tne: u.tne,
          })
        : null;
    buffer = {
      ...areaChange(d.before, d.after, scale),
      wdq: q ? finite(q.wdq) : null,
      tne: q ? finite(q.tne) : null,
      reading,
      reading_text: WDQ_READING_TEXT[reading],
      tne_ci: u && Number.isFinite(u.tne.estimate) ? [u.tne.ci_low, u.tne.ci_high] : null,
      wdq_ci: u?.wdq ? [u.wdq.ci_low, u.wdq.ci_high] : null,
      wdd_tne_reading: reconciled?.text ?? null,
      wdd_tne_reading_lt: reconciled?.text_lt ?? null,
    };
  }

  const row: OutcomeRow = {
    category,
    case_type: caseType,
    days: { before: tb, after: ta },
    desired_direction: choice.direction,
    desired_direction_reason: choice.reason,
    ...areaChange(b, a, scale),
    rate_ratio: b > 0 ? exact.rateRatio : null,
    exact_test: { p_value: exact.pValue, ci_low: exact.lower, ci_high: finite(exact.upper), confidence_level: inputs.confidenceLevel },
    e_test: { statistic: finite(e.statistic), p_value: e.pValue },
    detectable: { total: detectable.total, increase: detectable.increase, decrease: detectable.decrease },
    significant: exactTestShowsChange(exact, alpha),
    power: { power: 0, alpha, rise_ratio: null, fall_ratio: null, wdd_cases: null, months_needed: [] },
    direction_met: directionMet(a - b * scale, choice.direction),
    exposure: inputs.exposure
      ? exposureRates(inputs.exposure, { count: b, period: inputs.before }, { count: a, period: inputs.after }, 10_000, inputs.confidenceLevel)
      : null,
    control,
    buffer,
    verdict: "",
  };
  row.power = outcomePower(row, alpha);
  row.verdict = outcomeVerdict(row);
  return row;
}
