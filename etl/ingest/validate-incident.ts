import { CASE_TYPES, OFFENCE_CATEGORIES, type CaseType, type Incident, type IncidentColumn, type OffenceCategory } from "./incident-schema.ts";
import { parseInstant } from "./parse-instant.ts";

/** Why a row was quarantined: a stable code for grouping, and a sentence a data owner can act on. */
export interface Rejection {
  code: RejectionCode;
  reason: string;
}
export type RejectionCode =
  | "missing_value"
  | "invalid_timestamp"
  | "invalid_coordinates"
  | "unknown_category"
  | "unknown_case_type"
  | "wrong_field_count"
  | "duplicate_id";

export type Validation = { ok: true; incident: Incident } | { ok: false; rejection: Rejection };

const REQUIRED: readonly IncidentColumn[] = ["id", "occurred_at", "offence_category", "case_type", "lat", "lon", "source"];
const CATEGORY_SET: ReadonlySet<string> = new Set(OFFENCE_CATEGORIES);
const CASE_TYPE_SET: ReadonlySet<string> = new Set(CASE_TYPES);

const reject = (code: RejectionCode, reason: string): Validation => ({ ok: false, rejection: { code, reason } });

/**
 * Validates one canonical record (all fields as text, trimmed by the reader) and converts it to an
 * Incident. The first problem found is reported; `now` bounds timestamps so that a clock can be
 * injected in tests.
 */
export function validateIncident(record: Readonly<Record<IncidentColumn, string>>, now: number): Validation {
  for (const column of REQUIRED) {
    if (record[column] === "") return reject("missing_value", `${column} is empty`);
  }
  const instant = parseInstant(record.occurred_at, now);
  if (!instant.ok) return reject("invalid_timestamp", `occurred_at ${instant.reason}`);

  const lat = parseCoordinate(record.lat);
  const lon = parseCoordinate(record.lon);
  if (lat === undefined) return reject("invalid_coordinates", `lat '${record.lat}' is not a number`);
  if (lon === undefined) return reject("invalid_coordinates", `lon '${record.lon}' is not a number`);
  if (lat < -90 || lat > 90) return reject("invalid_coordinates", `lat ${lat} is outside −90..90 (are lat and lon swapped?)`);
  if (lon < -180 || lon > 180) return reject("invalid_coordinates", `lon ${lon} is outside −180..180`);
  if (lat === 0 && lon === 0) return reject("invalid_coordinates", "the point (0, 0) is a missing-location placeholder");

  if (!CATEGORY_SET.has(record.offence_category)) {
    return reject("unknown_category", `offence_category '${record.offence_category}' is not one of ${OFFENCE_CATEGORIES.join(", ")}`);
  }
  if (!CASE_TYPE_SET.has(record.case_type)) {
    return reject("unknown_case_type", `case_type '${record.case_type}' is not one of ${CASE_TYPES.join(", ")}`);
  }
  return {
    ok: true,
    incident: {
      id: record.id,
      occurredAt: instant.epochMs,
      offenceCode: record.offence_code,
      offenceCategory: record.offence_category as OffenceCategory,
      caseType: record.case_type as CaseType,
      lat,
      lon,
      municipality: record.municipality,
      locality: record.locality,
      source: record.source,
    },
  };
}

/** Strict decimal number: no empty strings, hex, "Infinity" or trailing text that Number() would accept or mangle. */
function parseCoordinate(text: string): number | undefined {
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
