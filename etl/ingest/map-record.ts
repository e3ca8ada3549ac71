import { startsLikeFormula } from "../csv/formula-guard.js";
import { placePoint, placePointText } from "./coordinates.ts";
import { EXCLUDE, EXCLUDED_OFFENCE, type CaseType, type CategoryTarget, type Incident } from "./incident-schema.ts";
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

/**
 * Maps one record of a source onto the canonical incident, checking every field on the way: id,
 * time (see parseTime), coordinates (see placePoint), offence → category through the source's
 * mapping, case type, and text fields that would be spreadsheet formulas. `line` makes ids for
 * sources that have none (`<source>-<line>`). The first problem found is reported.
 */
export function mapRecord(fields: Readonly<Record<string, string>>, line: number, source: SourceDescription, now: number): Mapping {
  return mapFields((column) => (Object.hasOwn(fields, column) ? fields[column]! : ""), line, source, now);
}

/**
 * mapRecord over any record shape: `get(column)` gives a column's text ("" when absent). The fast CSV
 * reader uses it with field arrays, so both readers share one set of checks and wordings.
 */
export function mapFields(get: (column: string) => string, line: number, source: SourceDescription, now: number): Mapping {
  const { columns } = source;

  const id = columns.id ? get(columns.id) : `${source.id}-${line}`;
  if (id === "")
    return reject(
      "missing_value",
      `${columns.id} (the id) is empty: a row without its id cannot be checked for repeats; fill it in the export, or leave columns.id out of the source description to number the rows by line (repeats are then not checked)`,
    );

  const offence = take(get, columns.offence);
  const offenceCode = take(get, columns.offence_code);
  const municipality = take(get, columns.municipality);
  const locality = take(get, columns.locality);
  const formula =
    (startsLikeFormula(id) && "id") ||
    (startsLikeFormula(offence) && "offence") ||
    (startsLikeFormula(offenceCode) && "offence_code") ||
    (startsLikeFormula(municipality) && "municipality") ||
    (startsLikeFormula(locality) && "locality");
  if (formula) {
    const value = { id, offence, offence_code: offenceCode, municipality, locality }[formula];
    return reject("formula_text", `${formula} '${clip(value)}' starts like a spreadsheet formula; such text is refused so that no export can run it`);
  }

  const time = parseTime(columns.time, get, source.timezone, now);
  if (!time.ok) return reject(time.code, `time ${time.reason}`);

  const point =
    source.format === "geojson"
      ? placePoint(get("geometry.x"), get("geometry.y"), source)
      : columns.point
        ? placePointText(get(columns.point.column), columns.point, source)
        : placePoint(get(columns.x!), get(columns.y!), source);
  if (!point.ok) return reject(point.code, point.reason);

  const tables = lookupsOf(source);
  const listed = tables.categories.get(offence);
  const variant = listed === undefined ? tables.folded.get(fold(offence)) : undefined;
  const category = listed ?? variant?.category;
  if (category === undefined) {
    // A blank offence is no value to add under categories as the sentence below says (Dallas leaves NIBRS Crime blank on its "FOUND PROPERTY (NO OFFENSE)" rows).
    if (offence.trim() === "" && columns.offence && "column" in columns.offence)
      return reject(
        "unmapped_offence",
        `${columns.offence.column} (the offence) is empty: the row names no offence; write "": exclude under categories: if such rows are no offences, or "": other to count them`,
      );
    return reject("unmapped_offence", `offence '${clip(offence)}' has no category in the source description (add it under categories:)`);
  }
  // Not an incident, but still a row read: quarantined, so that the accounting and the quality page show it.
  if (category === EXCLUDE) {
    const key = listed === undefined ? variant!.key : offence;
    return reject(
      EXCLUDED_OFFENCE,
      `offence '${clip(offence)}' is not counted as an incident: the source description maps it to exclude (categories: ${JSON.stringify(clip(key))}); map it to a category there if these records are offences`,
    );
  }

  let caseType: CaseType = "unspecified";
  if (columns.case_type) {
    const raw = take(get, columns.case_type);
    const mapped = tables.caseTypes.get(raw) ?? (raw === "pre_trial_investigation" || raw === "administrative_offence" ? raw : undefined);
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
      offenceCode: offenceCode || offence,
      offenceCategory: category,
      caseType,
      lat: point.lat,
      lon: point.lon,
      municipality,
      locality,
      source: source.id,
    },
  };
}

/**
 * The source's mapping tables as Maps: a raw value is data, and a plain object would answer
 * `constructor`, `toString` or `__proto__` from its prototype. Built once per description (the last
 * one is kept: a reader maps the rows of one source).
 */
function lookupsOf(source: SourceDescription): Lookups {
  if (lastLookups?.source !== source) {
    lastLookups = {
      source,
      categories: new Map(Object.entries(source.categories)),
      folded: foldedTable(source.categories),
      caseTypes: new Map(Object.entries(source.case_types ?? {})),
    };
  }
  return lastLookups;
}

interface Lookups {
  source: SourceDescription;
  categories: ReadonlyMap<string, CategoryTarget>;
  /** By folded key (see fold), with the first key as written; undefined category where keys that fold alike map to different ones. */
  folded: ReadonlyMap<string, { category: CategoryTarget | undefined; key: string }>;
  caseTypes: ReadonlyMap<string, CaseType>;
}

let lastLookups: Lookups | undefined;

/**
 * An offence value as exports vary it between rows: case and surrounding spaces ("THEFT", "Theft",
 * Boston's "larceny all others" beside "LARCENY ALL OTHERS"). A value listed exactly is looked up
 * as written; one that is not falls back to its folded form, so a variant first seen after the
 * sample describe read is mapped rather than quarantined as unmapped.
 */
const fold = (value: string) => value.trim().toLowerCase();

function foldedTable(categories: Record<string, CategoryTarget>): Map<string, { category: CategoryTarget | undefined; key: string }> {
  const folded = new Map<string, { category: CategoryTarget | undefined; key: string }>();
  for (const [raw, category] of Object.entries(categories)) {
    const key = fold(raw);
    const seen = folded.get(key);
    if (seen === undefined) folded.set(key, { category, key: raw });
    else if (seen.category !== category) seen.category = undefined;
  }
  return folded;
}

function take(get: (column: string) => string, field: FieldSource | undefined): string {
  return field === undefined ? "" : "column" in field ? get(field.column) : field.constant;
}

const clip = (text: string) => (text.length > 80 ? `${text.slice(0, 80)}…` : text);
