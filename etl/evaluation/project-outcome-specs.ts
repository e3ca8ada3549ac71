/**
 * The incident-based outcome evaluations of the seed projects: which lake counts answer which of a
 * project's outcome indicators. The projects file (data/projects/projects.json) holds what the seeds
 * state; this holds how the product re-measures it from the lake. Projects without an entry have no
 * incident data in the lake (their areas lie outside Šiauliai city and district).
 */
export interface ProjectOutcomeSpec {
  /** Evaluation id: the lake partition evaluations/outcomes/evaluation=<id>. */
  id: string;
  project_id: string;
  title: string;
  /** Area and periods in the syntax of `hotspots evaluate`. */
  area: string;
  control?: string;
  before: string;
  after: string;
  categories: string[];
  /** Indicator id of the projects file for each case type it covers, to cross-check lake against seed. */
  indicators: Record<string, string>;
  /** What the control is and is not, shown as a caveat. */
  control_note?: string;
  /** Exposure indicator of data/context/immigration.csv, or null. */
  exposure: string | null;
  /** Years of the history chart. */
  history: { first: number; last: number };
}

/** "We Are": drug possession registered in Kuršėnai, 2018 (before the project) against 2019. */
export const PROJECT_OUTCOME_SPECS: readonly ProjectOutcomeSpec[] = [
  {
    id: "we-are-kursenai-drug-possession",
    project_id: "we-are",
    title: "Drug possession registered in Kuršėnai, 2018 → 2019",
    area: "locality:Kuršėnai",
    control: "municipality:Šiaulių r. sav.",
    before: "2018",
    after: "2019",
    categories: ["drug_possession"],
    indicators: {
      pre_trial_investigation: "we-are-kursenai-drug-pretrial",
      administrative_offence: "we-are-kursenai-drug-administrative",
    },
    control_note:
      "The comparison area is the rest of Šiaulių district (Kuršėnai excluded). It is not an untreated control: the project ran in the whole city and district, so the difference in differences understates any effect that reached both. Its counts are synthetic demo data.",
    exposure: "immigrants_registered",
    history: { first: 2015, last: 2021 },
  },
];

/** The outcome specs of one project (empty when the lake holds nothing it could measure). */
export function outcomeSpecsOf(projectId: string): ProjectOutcomeSpec[] {
  return PROJECT_OUTCOME_SPECS.filter((s) => s.project_id === projectId);
}
