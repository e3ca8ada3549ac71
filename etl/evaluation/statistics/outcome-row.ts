/** The outcome table's row types, apart from the functions that fill them, so that the verdict and the summaries can read rows without importing the evaluation. */
import type { DesiredDirection } from "./desired-direction.ts";
import type { Split } from "./detectable-change.ts";
import type { ExposureOutcome } from "./exposure-rates.ts";
import type { WdqReading } from "./weighted-displacement-quotient.ts";

/** Counts of an area and their change, the before count scaled to the after period's length. */
export interface AreaChange {
  before: number;
  after: number;
  /** before × after-days / before-days: what the before rate gives over the after period (= before for equal periods). */
  before_scaled: number;
  change: number;
  percent_change: number | null;
}

/** Every outcome measure of one offence category × case type (JSON-safe: undefined values are null). */
export interface OutcomeRow extends AreaChange {
  category: string;
  case_type: string;
  /** Lengths of the before and after periods in days (the exposure time of the rate tests). */
  days: { before: number; after: number };
  desired_direction: DesiredDirection;
  desired_direction_reason: string;
  /** Rate after / rate before, per day of each period; null when before = 0. */
  rate_ratio: number | null;
  exact_test: { p_value: number; ci_low: number; ci_high: number | null; confidence_level: number };
  e_test: { statistic: number | null; p_value: number };
  /** Least lopsided significant splits of before + after, each way (see detectable-change.ts). */
  detectable: { total: number; increase: Split | null; decrease: Split | null };
  significant: boolean;
  /** What the comparisons could have detected with 80 % power, and the months a change would need (see outcome-power.ts). */
  power: OutcomePower;
  direction_met: boolean | null;
  exposure: ExposureOutcome | null;
  control:
    | (AreaChange & {
        wdd: { estimate: number; se: number; z: number | null; p_value: number; ci_low: number; ci_high: number; local: number; displacement: number | null };
      })
    | null;
  buffer:
    | (AreaChange & {
        wdq: number | null;
        tne: number | null;
        reading: WdqReading;
        reading_text: string;
        /** Delta-method intervals (displacement-uncertainty.ts); null bounds: unbounded or undefined. */
        tne_ci: [number | null, number | null] | null;
        wdq_ci: [number | null, number | null] | null;
        /** One reading of the WDD and the TNE together (null without a control). */
        wdd_tne_reading: string | null;
        /** The same reading in Lithuanian. */
        wdd_tne_reading_lt: string | null;
      })
    | null;
  verdict: string;
}

/** Power of one outcome row's comparisons: what they could have detected, and what data a change would need. */
export interface OutcomePower {
  /** Conventional power the minimum detectable effects are stated at. */
  power: number;
  alpha: number;
  /** Smallest rise and fall of the rate (as after/before ratios) the exact test detects with `power`; null when none. */
  rise_ratio: number | null;
  fall_ratio: number | null;
  /** Smallest |WDD| in cases detected with `power` (null without a control). */
  wdd_cases: number | null;
  /** Months each of two equal periods would need, at the before period's monthly rate, to detect a change of `ratio` with `power` (null months: more than 50 years). */
  months_needed: Array<{ ratio: number; months: number | null; basis: "observed" | "moderate" }>;
}
