import { placePoint } from "./coordinates.ts";
import type { CaseType, Incident } from "./incident-schema.ts";
import { parseTime, type TimePrecision } from "./parse-time.ts";
import type { FieldSource, SourceDescription } from "./source-description.ts";

/** Why a row was quarantined: a stable code for grouping, and a sentence a data owner can act on. */
export interface Rejection {
  code: string;
  reason: string;
}

/** A mapped incident with what the source could say about its time. */
export interface MappedIncident extends Incident {
  timePrecision: TimePrecision;
  /** The local time occurred twice (autumn DST overlap); the first occurrence was taken. */
  ambiguousTime: boolean;
}

export type Mapping = { ok: true; incident: MappedIncident } | { ok: false; rejection: Rejection };

const reject = (code: string, reason: string): Mapping => ({ ok: false, rejection: { code, reason } });

// Text that a spreadsheet would run as a formula when the data is opened or re-exported.
const FORMULA = /^[=+@\t\r]|^-[^\d.]/;

/**
 * Maps one record of a source onto the canonical incident, checking every field on the way: id,
 * time (see parseTime), coordinates (see placePoint), offence → category through the source's
 * mapping, case type, and text fields that would be spreadsheet formulas. `line` makes ids for
 * sources that have none (`<source>-<line>`). The first problem found is reported.
 */
export function mapRecord(fields: Readonly<Record<string, string>>, line: number, source: SourceDescription, now: number): Mapping {
  const { columns } = source;
  const get = (column: string) => fields[column] ?? "";
  const take = (field: FieldSource | undefined) => (field === undefined ? "" : "column" in field ? get(field.column) : field.constant);

  const id = columns.id ? get(columns.id) : `${source.id}-${line}`;
  if (id === "") return reject("missing_value", `${columns.id} (the id) is empty`);

  const texts: Array<[string, string]> = [
    ["id", id],
    ["offence", take(columns.offence)],
    ["offence_code", take(columns.offence_code)],
    ["municipality", take(columns.municipality)],
    ["locality", take(columns.locality)],
  ];
  for (const [name, value] of texts) {
    if (FORMULA.test(value)) return reject("formula_text", `${name} '${clip(value)}' starts like a spreadsheet formula; such text is refused so that no export can run it`);
  }

  const time = parseTime(columns.time, get, source.timezone, now);
  if (!time.ok) return reject(time.code, `time ${time.reason}`);

  const point =
    source.format === "geojson" ? placePoint(get("geometry.x"), get("geometry.y"), source) : placePoint(get(columns.x!), get(columns.y!), source);
  if (!point.ok) return reject(point.code, point.reason);

  const offence = take(columns.offence);
  const category = source.categories[offence];
  if (category === undefined) {
    return reject("unmapped_offence", `offence '${clip(offence)}' has no category in the source description (add it under categories:)`);
  }

  let caseType: CaseType = "unspecified";
  if (columns.case_type) {
    const raw = take(columns.case_type);
    const mapped = source.case_types?.[raw] ?? (raw === "pre_trial_investigation" || raw === "administrative_offence" ? raw : undefined);
    if (mapped === undefined) return reject("unknown_case_type", `case type '${clip(raw)}' is neither mapped under case_types: nor a canonical case type`);
    caseType = mapped;
  }

  return {
    ok: true,
    incident: {
      id,
      occurredAt: time.epochMs,
      timePrecision: time.precision,
      ambiguousTime: time.ambiguous,
      offenceCode: take(columns.offence_code) || offence,
      offenceCategory: category,
      caseType,
      lat: point.lat,
      lon: point.lon,
      municipality: take(columns.municipality),
      locality: take(columns.locality),
      source: source.id,
    },
  };
}

const clip = (text: string) => (text.length > 80 ? `${text.slice(0, 80)}…` : text);
