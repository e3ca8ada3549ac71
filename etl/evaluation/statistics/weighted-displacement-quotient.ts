import type { BeforeAfter } from "./weighted-displacement-difference.ts";

/** What the WDQ says about the buffer, in the words of Bowers & Johnson (2003). */
export type WdqReading =
  | "diffusion_greater_than_direct_effect"
  | "diffusion_of_benefits"
  | "no_displacement_or_diffusion"
  | "displacement_less_than_direct_effect"
  | "displacement_greater_than_direct_effect"
  | "not_interpretable";

export interface WdqResult {
  /** Success measure Ra/Ca − Rb/Cb: negative when the treated area fell relative to the control. */
  successMeasure: number;
  /** Buffer displacement measure Da/Ca − Db/Cb. */
  bufferMeasure: number;
  /** bufferMeasure / successMeasure; NaN when undefined (no relative change, or a control count of 0). */
  wdq: number;
  /** Total net effect in crimes: positive = crimes prevented over treated area and buffer together. */
  tne: number;
  reading: WdqReading;
}

/**
 * Weighted displacement quotient and total net effect [@bowers2003], in the notation of
 * [@guerette2009] (treated area R, buffer D, control C; b before, a after):
 *
 *     WDQ = (Da/Ca − Db/Cb) / (Ra/Ca − Rb/Cb)
 *     TNE = (Rb·Ca/Cb − Ra) + (Db·Ca/Cb − Da)
 *
 * The denominator (success measure) must be negative — the treated area fell relative to the
 * control — for the WDQ to be read; otherwise `reading` is "not_interpretable". Then WDQ > 1 means
 * the buffer improved more than the treated area (diffusion greater than the direct effect),
 * 0 < WDQ ≤ 1 diffusion of benefits, 0 no change in the buffer, −1 ≤ WDQ < 0 displacement smaller
 * than the direct effect, and WDQ < −1 displacement exceeding it. TNE counts the crimes prevented
 * (negative: added) if both areas had followed the control's trend Ca/Cb. Example: R 8→3,
 * C 100→95, D 20→18 gives WDQ = 5/23 = 0.217391 and TNE = 5.6.
 */
export function weightedDisplacementQuotient(treated: BeforeAfter, buffer: BeforeAfter, control: BeforeAfter): WdqResult {
  for (const value of [treated.before, treated.after, buffer.before, buffer.after, control.before, control.after]) {
    if (!(value >= 0 && Number.isFinite(value))) throw new RangeError(`counts must be non-negative, got ${value}`);
  }
  const { before: rb, after: ra } = treated;
  const { before: db, after: da } = buffer;
  const { before: cb, after: ca } = control;
  if (cb === 0 || ca === 0) {
    return { successMeasure: Number.NaN, bufferMeasure: Number.NaN, wdq: Number.NaN, tne: Number.NaN, reading: "not_interpretable" };
  }
  const successMeasure = ra / ca - rb / cb;
  const bufferMeasure = da / ca - db / cb;
  const wdq = successMeasure === 0 ? Number.NaN : bufferMeasure / successMeasure;
  const trend = ca / cb;
  const tne = rb * trend - ra + (db * trend - da);
  return { successMeasure, bufferMeasure, wdq, tne, reading: readWdq(successMeasure, wdq) };
}

function readWdq(successMeasure: number, wdq: number): WdqReading {
  if (!(successMeasure < 0) || Number.isNaN(wdq)) return "not_interpretable";
  if (wdq > 1) return "diffusion_greater_than_direct_effect";
  if (wdq > 0) return "diffusion_of_benefits";
  if (wdq === 0) return "no_displacement_or_diffusion";
  if (wdq >= -1) return "displacement_less_than_direct_effect";
  return "displacement_greater_than_direct_effect";
}

/** A sentence for each WDQ reading, for reports. */
export const WDQ_READING_TEXT: Record<WdqReading, string> = {
  diffusion_greater_than_direct_effect: "the buffer improved even more than the treated area (diffusion of benefits greater than the direct effect)",
  diffusion_of_benefits: "the buffer also improved (diffusion of benefits)",
  no_displacement_or_diffusion: "no displacement to and no diffusion into the buffer",
  displacement_less_than_direct_effect: "some crime moved into the buffer, but less than the treated area gained (net benefit)",
  displacement_greater_than_direct_effect: "more crime moved into the buffer than the treated area gained (net harm)",
  not_interpretable: "not interpretable: the treated area did not fall relative to the control, or a control count is 0",
};
