import type { CaseType } from "../../etl/ingest/incident-schema.ts";
import type { GeneratedCategory } from "./config.ts";

/** One legal article a category's incidents are registered under, and its share of them. */
export interface OffenceCode {
  /** "BK <article>" (Criminal Code) or "ANK <article>" (Code of Administrative Offences). */
  readonly code: string;
  readonly caseType: CaseType;
  readonly share: number;
  /** What the article covers, for data/README.md and reviewers. */
  readonly description: string;
}

/**
 * Lithuanian legal articles per category. Criminal Code (BK) articles open a pre-trial
 * investigation; Code of Administrative Offences (ANK, in force since 1 January 2017) articles are
 * administrative offences. The demo uses ANK numbering for 2015–2016 too (the real records of those
 * years cite its predecessor, the ATPK) so that one mapping covers the whole file.
 */
export const OFFENCE_CODES: Readonly<Record<GeneratedCategory, readonly OffenceCode[]>> = {
  theft: [
    { code: "BK 178", caseType: "pre_trial_investigation", share: 0.62, description: "theft (vagystė)" },
    { code: "ANK 108", caseType: "administrative_offence", share: 0.38, description: "petty theft of low-value property" },
  ],
  burglary: [{ code: "BK 178", caseType: "pre_trial_investigation", share: 1, description: "theft by breaking into premises (178 § 2)" }],
  robbery: [{ code: "BK 180", caseType: "pre_trial_investigation", share: 1, description: "robbery (plėšimas)" }],
  assault: [
    { code: "BK 140", caseType: "pre_trial_investigation", share: 0.72, description: "causing physical pain or minor health impairment" },
    { code: "BK 138", caseType: "pre_trial_investigation", share: 0.22, description: "non-severe health impairment" },
    { code: "BK 135", caseType: "pre_trial_investigation", share: 0.06, description: "severe health impairment" },
  ],
  domestic_violence: [
    { code: "BK 140", caseType: "pre_trial_investigation", share: 0.85, description: "physical pain or minor health impairment, in a close relationship" },
    { code: "BK 145", caseType: "pre_trial_investigation", share: 0.15, description: "threat to kill or to severely harm health; terrorising a person" },
  ],
  sexual_offence: [
    { code: "BK 149", caseType: "pre_trial_investigation", share: 0.45, description: "rape (išžaginimas)" },
    { code: "BK 150", caseType: "pre_trial_investigation", share: 0.55, description: "sexual assault (seksualinis prievartavimas)" },
  ],
  drug_possession: [
    {
      code: "BK 259",
      caseType: "pre_trial_investigation",
      share: 0.55,
      description: "possession of narcotic or psychotropic substances without intent to distribute",
    },
    {
      code: "ANK 71",
      caseType: "administrative_offence",
      share: 0.45,
      description: "possession of small quantities of narcotic or psychotropic substances without intent to distribute",
    },
  ],
  public_order: [
    { code: "BK 284", caseType: "pre_trial_investigation", share: 0.3, description: "violation of public order (criminal)" },
    { code: "ANK 481", caseType: "administrative_offence", share: 0.7, description: "violation of public order (minor hooliganism)" },
  ],
  vehicle_crime: [
    { code: "BK 178", caseType: "pre_trial_investigation", share: 0.85, description: "theft of or from a vehicle" },
    { code: "ANK 108", caseType: "administrative_offence", share: 0.15, description: "petty theft from a vehicle" },
  ],
  fraud: [
    { code: "BK 182", caseType: "pre_trial_investigation", share: 0.82, description: "fraud (sukčiavimas)" },
    { code: "BK 214", caseType: "pre_trial_investigation", share: 0.18, description: "forging or unlawful use of electronic payment instruments" },
  ],
  criminal_damage: [{ code: "BK 187", caseType: "pre_trial_investigation", share: 1, description: "destruction of or damage to property" }],
};

/**
 * The article a case of the given type is registered under in a category: the first code of that
 * type. Used where the case type is fixed in advance (the Kuršėnai drug figures of the seed).
 */
export function codeForCaseType(category: GeneratedCategory, caseType: CaseType): OffenceCode {
  const code = OFFENCE_CODES[category].find((c) => c.caseType === caseType);
  if (!code) throw new Error(`no ${caseType} article is configured for ${category}`);
  return code;
}
