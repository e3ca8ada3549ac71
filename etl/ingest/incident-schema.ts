/**
 * The canonical incident record every source is mapped to, and the vocabulary it uses. Sources with
 * other shapes are mapped onto these columns before validation.
 */

/** Offence categories of the canonical schema (snake_case, stable: they are partition-independent keys). */
export const OFFENCE_CATEGORIES = [
  "theft",
  "burglary",
  "robbery",
  "homicide",
  "assault",
  "domestic_violence",
  "sexual_offence",
  "drug_possession",
  "public_order",
  "vehicle_crime",
  "fraud",
  "criminal_damage",
  "other",
] as const;
export type OffenceCategory = (typeof OFFENCE_CATEGORIES)[number];

/**
 * What a source description's `categories:` maps a label to when its records are no offences (a
 * medical call, lost property, Mexico City's "HECHO NO DELICTIVO"): such rows are not incidents, and
 * the ingest quarantines them as `excluded_offence` so that they are accounted for, never counted.
 */
export const EXCLUDE = "exclude";
/** The quarantine code of such a row. */
export const EXCLUDED_OFFENCE = "excluded_offence";
/** The values `categories:` may map a label to. */
export const CATEGORY_TARGETS = [...OFFENCE_CATEGORIES, EXCLUDE] as const;
export type CategoryTarget = (typeof CATEGORY_TARGETS)[number];

/** Lithuanian case types: a pre-trial investigation (criminal code) or an administrative offence; "unspecified" for sources that do not say. */
export const CASE_TYPES = ["pre_trial_investigation", "administrative_offence", "unspecified"] as const;
export type CaseType = (typeof CASE_TYPES)[number];

/** Columns a canonical incident file must have, in the order the bundled data uses. */
export const INCIDENT_COLUMNS = [
  "id",
  "occurred_at",
  "offence_code",
  "offence_category",
  "case_type",
  "lat",
  "lon",
  "municipality",
  "locality",
  "source",
] as const;
export type IncidentColumn = (typeof INCIDENT_COLUMNS)[number];

/** A validated incident, before indexing. `occurredAt` is an instant (epoch milliseconds, UTC). */
export interface Incident {
  id: string;
  occurredAt: number;
  offenceCode: string;
  offenceCategory: OffenceCategory;
  caseType: CaseType;
  lat: number;
  lon: number;
  municipality: string;
  locality: string;
  source: string;
}

/** An incident placed in time and space: its calendar month and its H3 cell. */
export interface IndexedIncident extends Incident {
  month: string;
  h3Cell: string;
  sourceFile: string;
  sourceLine: number;
}
