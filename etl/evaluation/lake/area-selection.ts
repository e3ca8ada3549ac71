import { booleanPointInPolygon } from "@turf/boolean-point-in-polygon";
import { listValue, type DuckDBValue } from "@duckdb/node-api";
import { resolveArea, type AreaContext, type EvaluationArea, type PolygonGeometry } from "./evaluation-area.ts";

/**
 * The incidents of one role (evaluation, control or buffer area): those in `include` and in none of
 * `exclude`. Areas of a before/after design must be disjoint, so a control given as the whole
 * district excludes the evaluated town, and a buffer excludes the area it surrounds.
 */
export interface AreaSelection {
  include: EvaluationArea;
  exclude: EvaluationArea[];
  label: string;
}

/** The SQL part of a selection, with its bound parameters, and the point tests left to JavaScript. */
export interface SelectionFilter {
  /** Boolean SQL over the incident columns; values only as `$name` parameters. */
  sql: string;
  params: Record<string, DuckDBValue>;
  /** True when lat/lon must be read and `insideSelection` applied (a polygon is involved). */
  needsPointTest: boolean;
}

/** Builds a selection: `include` minus every area of `exclude`; an area cannot exclude itself. */
export function areaSelection(include: EvaluationArea, exclude: readonly EvaluationArea[] = []): AreaSelection {
  const same = exclude.find((area) => area.kind === include.kind && area.label === include.label);
  if (same) throw new Error(`${include.label} is given for two roles (evaluation, control, buffer): the areas must differ`);
  const label = exclude.length > 0 ? `${include.label} excluding ${exclude.map((a) => a.label).join(" and ")}` : include.label;
  return { include, exclude: [...exclude], label };
}

/** The selections of an evaluation's roles; null for a role not given. */
export interface RoleSelections {
  treated: AreaSelection;
  control: AreaSelection | null;
  buffer: AreaSelection | null;
  bufferControl: AreaSelection | null;
}

/**
 * Resolves the area of each role and makes the roles disjoint: the buffer excludes the evaluation
 * area; the control excludes both; the buffer's control excludes all three. So "the district" as
 * control means the district outside the evaluated town and its buffer.
 */
export function roleSelections(specs: { area: string; control?: string; buffer?: string; bufferControl?: string }, context: AreaContext): RoleSelections {
  const resolve = (spec: string | undefined) => (spec ? resolveArea(spec, context) : null);
  const [area, control, buffer, bufferControl] = [
    resolveArea(specs.area, context),
    resolve(specs.control),
    resolve(specs.buffer),
    resolve(specs.bufferControl),
  ];
  const own = buffer ? [area, buffer] : [area];
  return {
    treated: areaSelection(area),
    buffer: buffer ? areaSelection(buffer, [area]) : null,
    control: control ? areaSelection(control, own) : null,
    bufferControl: bufferControl ? areaSelection(bufferControl, control ? [...own, control] : own) : null,
  };
}

/**
 * The SQL filter of a selection, parameter names prefixed with `prefix` so that several selections
 * can share one query. A polygon becomes its bounding box in SQL (inclusion) or nothing (exclusion);
 * the exact test runs on the returned coordinates.
 */
export function selectionFilter(selection: AreaSelection, prefix: string): SelectionFilter {
  const params: Record<string, DuckDBValue> = {};
  const clause = (area: EvaluationArea, key: string, negate: boolean): string | null => {
    const name = `${prefix}_${key}`;
    switch (area.kind) {
      case "municipality":
        params[name] = area.name;
        return `${negate ? "NOT " : ""}(municipality = $${name})`;
      case "locality":
        params[name] = area.name;
        return `${negate ? "NOT " : ""}(locality = $${name})`;
      case "cells":
        params[name] = listValue(area.cells);
        return `${negate ? "NOT " : ""}list_contains($${name}, h3_cell)`;
      case "polygon": {
        if (negate) return null;
        const [west, south, east, north] = area.bbox;
        Object.assign(params, { [`${name}_w`]: west, [`${name}_s`]: south, [`${name}_e`]: east, [`${name}_n`]: north });
        return `(lon BETWEEN $${name}_w AND $${name}_e AND lat BETWEEN $${name}_s AND $${name}_n)`;
      }
    }
  };
  const clauses = [clause(selection.include, "in", false), ...selection.exclude.map((area, i) => clause(area, `out${i}`, true))];
  const needsPointTest = [selection.include, ...selection.exclude].some((area) => area.kind === "polygon");
  return { sql: clauses.filter((c): c is string => c !== null).join(" AND "), params, needsPointTest };
}

/** Whether a point passes the polygon tests of a selection (true for selections without polygons). */
export function insideSelection(selection: AreaSelection, lat: number, lon: number): boolean {
  const inside = (polygons: readonly PolygonGeometry[]) => polygons.some((geometry) => booleanPointInPolygon([lon, lat], geometry));
  if (selection.include.kind === "polygon" && !inside(selection.include.polygons)) return false;
  return selection.exclude.every((area) => area.kind !== "polygon" || !inside(area.polygons));
}
