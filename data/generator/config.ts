import type { CaseType, OffenceCategory } from "../../etl/ingest/incident-schema.ts";

/**
 * The categories the demo generator emits: every canonical category except the catch-all "other" and
 * homicide (the brief's ten categories and sexual offences; the bundled data are left as they were).
 */
export type GeneratedCategory = Exclude<OffenceCategory, "other" | "homicide">;

/** Calendar years covered by the bundled incident file (Europe/Vilnius). */
export const YEARS = [2015, 2016, 2017, 2018, 2019, 2020, 2021] as const;
export type Year = (typeof YEARS)[number];

/** One count per year, in the order of YEARS. */
export type YearlyCounts = readonly [number, number, number, number, number, number, number];

/** Incidents of one case type, by year. */
export type CaseTypeCounts = Readonly<Record<Exclude<CaseType, "unspecified">, number>>;

/**
 * Everything that shapes the bundled sample, in one place so that a reviewer can see what was aimed
 * for without reading the sampling code. `yearlyCounts` are the exact totals per category and year
 * for the whole study area (city + district), including the Kuršėnai drug cases below, which are
 * placed separately because they are the seed's real figures.
 */
export const GENERATOR_CONFIG = {
  /** Changing the seed changes every row; bump the suffix deliberately, never implicitly. */
  seed: "siauliai-demo-2015-2021/v1",
  source: "siauliai-demo",
  idPrefix: "SIA",
  timeZone: "Europe/Vilnius",
  /** Relative to the project root. */
  outputFile: "data/incidents/siauliai-2015-2021.csv.gz",
  /** The product's municipality boundaries (© OpenStreetMap contributors, ODbL; data/geo/). */
  municipalityBoundaries: "data/geo/lt-municipalities.topojson",
  /**
   * Trends are deliberate and gentle: burglary, vehicle crime and robbery fall (as they did across
   * Lithuania in the period), fraud climbs steeply (online fraud), public order dips in 2020 (COVID-19
   * restrictions) while domestic violence rises that year.
   */
  yearlyCounts: {
    theft: [1480, 1430, 1390, 1340, 1300, 1150, 1180],
    burglary: [560, 510, 470, 430, 390, 340, 320],
    robbery: [120, 108, 98, 90, 82, 70, 66],
    assault: [610, 600, 585, 570, 560, 520, 530],
    domestic_violence: [690, 710, 735, 720, 715, 780, 750],
    sexual_offence: [22, 20, 24, 21, 23, 19, 22],
    drug_possession: [290, 310, 335, 350, 372, 360, 345],
    public_order: [820, 800, 770, 750, 730, 600, 640],
    vehicle_crime: [340, 320, 300, 285, 270, 250, 235],
    fraud: [150, 175, 215, 260, 320, 430, 510],
    criminal_damage: [410, 400, 385, 375, 360, 340, 330],
  } satisfies Record<GeneratedCategory, YearlyCounts>,
  /**
   * drug_possession with locality Kuršėnai, by case type. 2018 and 2019 are the real figures of the
   * "We Are" ECPA entry (seeds/003): 2 pre-trial investigations + 1 administrative offence in 2018,
   * 5 + 3 in 2019. The other years are small plausible values chosen for the demo (2020 stays
   * raised because the project's activities continued that year).
   */
  kursenaiDrugPossession: {
    2015: { pre_trial_investigation: 1, administrative_offence: 2 },
    2016: { pre_trial_investigation: 2, administrative_offence: 1 },
    2017: { pre_trial_investigation: 1, administrative_offence: 2 },
    2018: { pre_trial_investigation: 2, administrative_offence: 1 },
    2019: { pre_trial_investigation: 5, administrative_offence: 3 },
    2020: { pre_trial_investigation: 4, administrative_offence: 2 },
    2021: { pre_trial_investigation: 3, administrative_offence: 3 },
  } satisfies Record<Year, CaseTypeCounts>,
  /** Share of each category's incidents scattered uniformly over the city instead of near a place. */
  backgroundShare: 0.07,
  /** Points outside their polygon are redrawn; this many failures means a place is mis-placed. */
  maxPointAttempts: 200,
} as const;
