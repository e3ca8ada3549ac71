/**
 * The study-area label recorded with every result made over it (the forecasts' `study_area`
 * column): its one wording, in English, and its reading back into parts, so that a page in another
 * language says it in its own words (the briefing; the dashboard says it from meta.json's `hull_ring`).
 */

/** A label read back: a hull (with the month its incidents end before, where it has one), or named polygons. */
export type StudyAreaLabel = { kind: "hull"; ring: number; before: string | null } | { kind: "named"; label: string };

/** The hull of the incidents' cells plus `ring` rings of cells. */
export function hullLabel(ring: number): string {
  return `hull of the incident cells + ${ring} ring(s)`;
}

/** The polygons of a boundary file, by name. */
export function namedAreaLabel(names: readonly string[]): string {
  return names.join(" + ");
}

/** A hull drawn from the incidents before `month` only (no leakage into a forecast of that month). */
export function incidentsBeforeLabel(label: string, month: string): string {
  return `${label}, incidents before ${month}`;
}

const HULL = /^hull of the incident cells \+ (\d+) ring\(s\)(?:, incidents before (\d{4}-\d{2}))?$/;

/** The parts of a label the functions above wrote; any other label is a name, shown as it is. */
export function readStudyAreaLabel(label: string): StudyAreaLabel {
  const hull = HULL.exec(label);
  return hull ? { kind: "hull", ring: Number(hull[1]), before: hull[2] ?? null } : { kind: "named", label };
}
