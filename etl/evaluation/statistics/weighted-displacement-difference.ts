import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";

/** Counts of one area before (index 0) and after (index 1) the intervention. */
export interface BeforeAfter {
  before: number;
  after: number;
}

/** Inputs of the WDD: treated area and its control; optionally a displacement area and its control. */
export interface WddInput {
  treated: BeforeAfter;
  control: BeforeAfter;
  displacement?: BeforeAfter;
  displacementControl?: BeforeAfter;
  /** Lengths of the before and after periods (any unit); the estimate is per `after` length. Default 1 and 1. */
  timeWeights?: BeforeAfter;
}

/** One difference-in-differences estimate with its Poisson standard error. */
export interface WddPart {
  estimate: number;
  se: number;
}

export interface WddResult {
  local: WddPart;
  /** Null when no displacement area (or no control for it) is given. */
  displacement: WddPart | null;
  total: WddPart;
  /** total.estimate / total.se, NaN when every count is 0. */
  z: number;
  /** Two-sided normal p-value of z. */
  pValue: number;
  /** Normal confidence bounds of the total estimate. */
  lower: number;
  upper: number;
  confidenceLevel: number;
}

/**
 * Weighted displacement difference [@wheeler2018]: a difference in differences of crime counts,
 * with the Poisson variance of each count, for a treated area T and control Ct, and optionally a
 * displacement (buffer) area D with its own control Cd. Subscript 0 is before, 1 after; w0 and w1
 * are the period lengths expressed in after-period units (so with equal periods w0 = w1 = 1):
 *
 *     WDD_local = (T1/w1 − T0/w0) − (Ct1/w1 − Ct0/w0),  Var = (T1 + Ct1)/w1² + (T0 + Ct0)/w0²
 *     WDD_disp  = (D1/w1 − D0/w0) − (Cd1/w1 − Cd0/w0),  Var = (D1 + Cd1)/w1² + (D0 + Cd0)/w0²
 *     WDD = WDD_local + WDD_disp,  z = WDD / sqrt(Var_local + Var_disp)
 *
 * A negative WDD is a fall in the treated (and displacement) area beyond the control's trend, in
 * crimes per after period. The normal approximation to the Poisson needs counts that are not tiny
 * and not strongly over-dispersed; e.g. T 207→110, Ct 308→318, D 178→157, Cd 150→140 gives
 * WDD = −118, Var = 1568, z = −2.98 (the paper's example). Time weights follow [@wheeler2021-time].
 */
export function weightedDisplacementDifference(input: WddInput, confidenceLevel = 0.95): WddResult {
  const weights = input.timeWeights ?? { before: 1, after: 1 };
  if (!(weights.before > 0 && weights.after > 0)) throw new RangeError("time weights must be positive");
  const w0 = weights.before / weights.after;
  const w1 = 1;
  const part = (treated: BeforeAfter, control: BeforeAfter): WddPart => {
    for (const value of [treated.before, treated.after, control.before, control.after]) {
      if (!(value >= 0 && Number.isFinite(value))) throw new RangeError(`counts must be non-negative, got ${value}`);
    }
    const estimate = treated.after / w1 - treated.before / w0 - (control.after / w1 - control.before / w0);
    const variance = (treated.after + control.after) / w1 ** 2 + (treated.before + control.before) / w0 ** 2;
    return { estimate, se: Math.sqrt(variance) };
  };
  const local = part(input.treated, input.control);
  const displacement = input.displacement && input.displacementControl ? part(input.displacement, input.displacementControl) : null;
  const estimate = local.estimate + (displacement?.estimate ?? 0);
  const se = Math.sqrt(local.se ** 2 + (displacement?.se ?? 0) ** 2);
  const z = se > 0 ? estimate / se : Number.NaN;
  const level = normalQuantile(1 - (1 - confidenceLevel) / 2, 0, 1);
  return {
    local,
    displacement,
    total: { estimate, se },
    z,
    pValue: Number.isNaN(z) ? 1 : 2 * normalCdf(-Math.abs(z), 0, 1),
    lower: estimate - level * se,
    upper: estimate + level * se,
    confidenceLevel,
  };
}
