import type { GeneratedCategory } from "./config.ts";

/** When in the year, week and day a category's incidents happen (relative weights, local time). */
export interface TemporalProfile {
  /** January..December. */
  readonly month: readonly number[];
  /** Monday..Sunday (ISO weekday order). */
  readonly weekday: readonly number[];
  /** Hour 0..23. */
  readonly hour: readonly number[];
}

/**
 * A smooth daily curve: a floor plus Gaussian bumps `[peakHour, widthHours, height]`, measured on
 * the 24-hour circle so that a bump at 23:00 spills over midnight as night-time activity does.
 */
function dayCurve(floor: number, bumps: ReadonlyArray<readonly [number, number, number]>): number[] {
  return Array.from({ length: 24 }, (_, hour) => {
    let value = floor;
    for (const [peak, width, height] of bumps) {
      const distance = Math.min(Math.abs(hour - peak), 24 - Math.abs(hour - peak));
      value += height * Math.exp(-(distance * distance) / (2 * width * width));
    }
    return value;
  });
}

const FLAT_WEEK = [1, 1, 1, 1, 1.05, 1, 0.95];
const NIGHTLIFE_WEEK = [0.8, 0.8, 0.85, 0.95, 1.25, 1.5, 1.2];

/**
 * Seasonal, weekly and daily shapes per category. Burglary peaks in the dark winter months and on
 * weekdays in daytime (homes empty), public order and assault peak on summer weekend nights, fraud
 * follows office hours, domestic violence rises in the evening, at weekends and over the holidays.
 */
export const TEMPORAL_PROFILES: Readonly<Record<GeneratedCategory, TemporalProfile>> = {
  theft: {
    month: [0.95, 0.9, 0.95, 1, 1.05, 1.05, 1.05, 1.05, 1, 1, 1.05, 1.15],
    weekday: [0.95, 0.95, 1, 1, 1.1, 1.2, 0.9],
    hour: dayCurve(0.08, [[15, 3.5, 1]]),
  },
  burglary: {
    month: [1.25, 1.15, 1.05, 0.95, 0.85, 0.8, 0.85, 0.85, 0.9, 1.05, 1.15, 1.2],
    weekday: [1.05, 1.05, 1.05, 1.05, 1.05, 0.9, 0.85],
    hour: dayCurve(0.2, [
      [12, 3, 1],
      [2, 2, 0.5],
    ]),
  },
  robbery: {
    month: [1.05, 1, 0.95, 0.95, 1, 1, 1, 1, 0.95, 1, 1.05, 1.1],
    weekday: [0.9, 0.9, 0.95, 1, 1.15, 1.2, 0.9],
    hour: dayCurve(0.1, [[22, 3, 1]]),
  },
  assault: {
    month: [0.85, 0.85, 0.9, 0.95, 1.05, 1.15, 1.2, 1.15, 1, 0.95, 0.9, 1.05],
    weekday: NIGHTLIFE_WEEK,
    hour: dayCurve(0.1, [
      [23, 2.5, 1],
      [17, 3, 0.35],
    ]),
  },
  domestic_violence: {
    month: [1.1, 0.95, 0.95, 0.95, 1, 1, 1.05, 1, 0.9, 0.95, 0.95, 1.2],
    weekday: [0.9, 0.85, 0.85, 0.9, 1.05, 1.3, 1.25],
    hour: dayCurve(0.1, [[21, 3, 1]]),
  },
  sexual_offence: {
    month: [0.8, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.2, 1, 0.9, 0.8, 0.9],
    weekday: NIGHTLIFE_WEEK,
    hour: dayCurve(0.15, [[1, 3, 1]]),
  },
  drug_possession: {
    month: [0.85, 0.85, 0.95, 1, 1.1, 1.15, 1.15, 1.1, 1, 0.95, 0.9, 0.95],
    weekday: [0.9, 0.9, 0.95, 1, 1.15, 1.2, 0.9],
    hour: dayCurve(0.1, [[20, 3.5, 1]]),
  },
  public_order: {
    month: [0.75, 0.75, 0.85, 0.95, 1.15, 1.3, 1.35, 1.3, 1.05, 0.9, 0.8, 0.95],
    weekday: NIGHTLIFE_WEEK,
    hour: dayCurve(0.08, [
      [23, 2.5, 1],
      [18, 2, 0.3],
    ]),
  },
  vehicle_crime: {
    month: [1.05, 1, 0.95, 0.95, 1, 1, 1, 1, 1, 1, 1.05, 1.05],
    weekday: FLAT_WEEK,
    hour: dayCurve(0.25, [
      [2, 2.5, 1],
      [14, 3, 0.4],
    ]),
  },
  fraud: {
    month: [1, 1, 1, 1, 1, 0.95, 0.95, 0.95, 1, 1.05, 1.05, 1.1],
    weekday: [1.15, 1.1, 1.1, 1.1, 1.05, 0.75, 0.7],
    hour: dayCurve(0.05, [[13, 3, 1]]),
  },
  criminal_damage: {
    month: [0.9, 0.85, 0.9, 1, 1.05, 1.1, 1.15, 1.1, 1, 1, 1, 1.05],
    weekday: [0.9, 0.9, 0.9, 0.95, 1.15, 1.3, 1.05],
    hour: dayCurve(0.12, [[0, 2.5, 1]]),
  },
};

/** A stretch of months when some categories were unusually high or low, with their multipliers. */
export interface PeriodModifier {
  readonly year: number;
  /** 1-based months. */
  readonly months: readonly number[];
  readonly factors: Partial<Readonly<Record<GeneratedCategory, number>>>;
}

// The two Lithuanian COVID-19 quarantines (16 Mar–16 Jun 2020, 7 Nov 2020–30 Jun 2021), reduced to
// their strictest whole months: fewer people out means less street crime, more time at home means
// more domestic violence and online fraud.
const LOCKDOWN_FACTORS = { theft: 0.7, robbery: 0.7, public_order: 0.6, assault: 0.8, domestic_violence: 1.25, fraud: 1.3 };

/** Month-level shifts within a year; yearly totals stay those of the config. */
export const PERIOD_MODIFIERS: readonly PeriodModifier[] = [
  { year: 2020, months: [4, 5], factors: LOCKDOWN_FACTORS },
  { year: 2020, months: [11, 12], factors: LOCKDOWN_FACTORS },
  { year: 2021, months: [1, 2, 3, 4, 5], factors: LOCKDOWN_FACTORS },
];
