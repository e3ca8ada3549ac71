import { readMunicipalities } from "../../geo/municipalities.ts";
import type { ExposureSeries } from "../../context/immigration.ts";
import { withConnection } from "../../duckdb/connection.ts";
import { readAreaHistory, type HistoryRow } from "./area-history.ts";
import { roleSelections, type AreaSelection, type RoleSelections } from "./area-selection.ts";
import { caveatText, evaluationCaveatCodes, type Caveat } from "../statistics/caveats.ts";
import { ALL, anyCategory, reportKeys, tallyPeriods, type CountTable } from "../statistics/count-table.ts";
import type { DesiredDirection } from "../statistics/desired-direction.ts";
import type { EvaluationArea } from "./evaluation-area.ts";
import { checkPeriodOrder, parsePeriod, periodMonths, sameSeasonBefore, seasonsDiffer, type Period } from "../statistics/evaluation-period.ts";
import { categorySummaries } from "../statistics/category-summary.ts";
import { exposureCoverage } from "../statistics/exposure-rates.ts";
import { evaluateOutcome } from "../statistics/outcome-evaluation.ts";
import type { OutcomeRow } from "../statistics/outcome-row.ts";
import { lakeMonths, lakeValues, readAreaCells, readAreaCounts, readAreaPlaces } from "./read-area-counts.ts";
import { borderingCells } from "../statistics/bordering-cells.ts";
import { storedCellResolution } from "../../lake/manifest.ts";
import { excludedFromEvaluationAll } from "../../publish/release-rules.ts";

/** One before/after evaluation as asked on the command line or by a project's outcome spec. */
export interface EvaluationRequest {
  lakeDir: string;
  timeZone: string;
  resolution: number;
  municipalitiesGeoJson: string;
  area: string;
  control?: string;
  buffer?: string;
  bufferControl?: string;
  before: string;
  after: string;
  sameSeason?: boolean;
  categories?: string[];
  desired?: DesiredDirection;
  exposure?: ExposureSeries | null;
  confidenceLevel?: number;
  /** Years of the yearly history to return with the result (none when absent). */
  history?: { first: number; last: number };
  /** The configuration's sensitive categories (release-rules.ts): "all" leaves them out where they may not be published. */
  sensitive: ReadonlySet<string>;
}

/** An area as the result records it: kind, name and the selection actually counted. */
export interface AreaDescription {
  kind: EvaluationArea["kind"];
  name: string;
  selection: string;
  /** `selection` in parts: the included area's label and those left out of it (the evaluation area from its control). */
  included: string;
  excluded: string[];
}

/** Everything an evaluation found; `--json` prints exactly this. */
export interface EvaluationResult {
  area: AreaDescription;
  control: AreaDescription | null;
  buffer: AreaDescription | null;
  buffer_control: AreaDescription | null;
  before: Period;
  after: Period;
  same_season: boolean;
  time_zone: string;
  confidence_level: number;
  /** One line per category: counts by case type, ratio, tests and what they allow one to say. */
  summary: string[];
  outcomes: OutcomeRow[];
  caveats: string[];
  /** The same caveats in Lithuanian, in the same order. */
  caveats_lt: string[];
  /** Each caveat's code and figures, in the same order (null for a note worded elsewhere), so a report can reword them for what it releases. */
  caveat_codes: Array<Caveat | null>;
  exposure: { indicator: string; area_code: string; area_name: string; unit: string; source: string } | null;
  /** Yearly counts of the area (and control) per category, when asked for. */
  history: HistoryRow[] | null;
  /**
   * The sensitive categories of the lake that "all" leaves out in every figure of this evaluation
   * (release-rules.ts excludedFromEvaluationAll: some area is not a whole municipality); sorted.
   */
  all_excludes: string[];
}

/**
 * Runs a before/after evaluation on the lake: resolves the areas (control and buffer made disjoint
 * from the evaluation area), checks that the lake holds every month of both periods, counts each
 * area's incidents per category and case type, and computes every outcome measure with its verdict
 * and the caveats that apply.
 */
export async function runEvaluation(request: EvaluationRequest): Promise<EvaluationResult> {
  const confidenceLevel = request.confidenceLevel ?? 0.95;
  const after = parsePeriod(request.after);
  const before = request.sameSeason ? sameSeasonBefore(parsePeriod(request.before), after) : parsePeriod(request.before);
  checkPeriodOrder(before, after);
  const municipalities = await readMunicipalities(request.municipalitiesGeoJson);

  return withConnection(async (connection) => {
    const months = await lakeMonths(connection, request.lakeDir);
    const needed = [...periodMonths(before), ...periodMonths(after)].sort();
    const missing = needed.filter((m) => !months.includes(m));
    if (missing.length > 0) {
      const held = months.length > 0 ? `${months[0]} … ${months.at(-1)}` : "nothing";
      throw new Error(
        `the lake holds no incidents for ${missing.join(", ")} (it holds ${held}); a month without data would count as zero crime, so choose periods the data cover`,
      );
    }
    const categories = await lakeValues(connection, request.lakeDir, "offence_category");
    for (const c of request.categories ?? []) {
      if (c !== ALL && !categories.includes(c)) throw new Error(`unknown offence category '${c}'; the lake holds: ${categories.join(", ")} (and ${ALL})`);
    }
    // H3 areas select by the cells the lake stores, whatever resolution the analysis uses (issue 18).
    const context = {
      municipalities,
      localities: await lakeValues(connection, request.lakeDir, "locality"),
      resolution: (await storedCellResolution(request.lakeDir)) ?? request.resolution,
    };
    const selections = roleSelections(request, context);
    // Decided by the configured list, whichever categories the evaluation asks for; named as far as the lake holds them.
    const roles = [selections.treated, selections.control, selections.buffer, selections.bufferControl];
    const excluded = excludedFromEvaluationAll(
      roles.map((s) => s && { kind: s.include.kind }),
      { sensitive: request.sensitive },
    ).filter((c) => categories.includes(c));
    const allExcludes = new Set(excluded);
    const span = { firstMonth: needed[0]!, lastMonth: needed.at(-1)! };
    const tally = async (selection: AreaSelection | null): Promise<CountTable | null> =>
      selection
        ? tallyPeriods(
            await readAreaCounts(connection, { lakeDir: request.lakeDir, timeZone: request.timeZone, selection, ...span }),
            before,
            after,
            allExcludes,
          )
        : null;
    const tables = {
      treated: (await tally(selections.treated))!,
      control: await tally(selections.control),
      buffer: await tally(selections.buffer),
      bufferControl: await tally(selections.bufferControl),
    };
    refuseEmptyAreas(selections, tables, before, after);
    // Where the area's incidents lie, for the exposure's area to be checked against (read only when there is an exposure).
    const treated = selections.treated.include;
    const places = request.exposure ? await readAreaPlaces(connection, { lakeDir: request.lakeDir, selection: selections.treated, ...span }) : [];
    const coverage = exposureCoverage(request.exposure ?? null, before, after, {
      kind: treated.kind,
      name: treated.name,
      label: selections.treated.label,
      places,
    });
    const inputs = { before, after, ...tables, exposure: coverage.series, confidenceLevel, desired: request.desired };
    const outcomes = reportKeys([tables.treated, tables.control, tables.buffer], request.categories).map((k) =>
      evaluateOutcome(k.category, k.case_type, inputs),
    );
    const exposure = coverage.series
      ? {
          indicator: coverage.series.indicator,
          area_code: coverage.series.area_code,
          area_name: coverage.series.area_name,
          unit: coverage.series.unit,
          source: coverage.series.source,
        }
      : null;
    const cellsOf = (selection: AreaSelection) => readAreaCells(connection, { lakeDir: request.lakeDir, selection, ...span });
    const controlCells = selections.control ? await cellsOf(selections.control) : null;
    // The evaluation area's extent: the cells its incidents lie in, and every cell an h3: area names.
    const areaCells = async () => [...(treated.kind === "cells" ? treated.cells : []), ...(await cellsOf(selections.treated))];
    const controlBorders = controlCells ? { bordering: borderingCells(await areaCells(), controlCells).length, cells: controlCells.length } : null;
    const caveatCodes = evaluationCaveatCodes({
      rows: outcomes,
      hasControl: selections.control !== null,
      hasBuffer: selections.buffer !== null,
      hasBufferControl: selections.bufferControl !== null,
      sameSeason: request.sameSeason === true,
      controlBorders,
      seasonsDiffer: seasonsDiffer(before, after) ? { before: before.label, after: after.label } : null,
      beforeDays: before.days,
      afterDays: after.days,
      sources: await lakeValues(connection, request.lakeDir, "source"),
      exposure,
    });
    const history = request.history
      ? await readAreaHistory(connection, {
          ...request,
          area: selections.treated,
          control: selections.control,
          categories: request.categories ?? [],
          years: request.history,
          months,
          allExcludes,
        })
      : null;
    return {
      area: describe(selections.treated),
      control: selections.control && describe(selections.control),
      buffer: selections.buffer && describe(selections.buffer),
      buffer_control: selections.bufferControl && describe(selections.bufferControl),
      before,
      after,
      same_season: request.sameSeason === true,
      time_zone: request.timeZone,
      confidence_level: confidenceLevel,
      summary: categorySummaries(outcomes),
      outcomes,
      caveats: [...caveatCodes.map((c) => caveatText("en", c)), ...(coverage.note ? [coverage.note] : [])],
      caveats_lt: [...caveatCodes.map((c) => caveatText("lt", c)), ...(coverage.note_lt ? [coverage.note_lt] : [])],
      caveat_codes: [...caveatCodes, ...(coverage.note ? [null] : [])],
      exposure,
      history,
      all_excludes: excluded,
    };
  });
}

const ROLE_NAMES = { treated: "evaluation area", control: "control area", buffer: "buffer area", bufferControl: "buffer control area" } as const;

/**
 * Refuses an area with no incident of any category in either period. Such an area is outside the
 * data (a polygon drawn elsewhere, cells of another city) or, for a comparison area, lies inside the
 * evaluation area that is cut out of it: counted as 0 → 0 it would pass for a stable control, and
 * the WDD and the design rating would rest on nothing.
 */
function refuseEmptyAreas(selections: RoleSelections, tables: Record<keyof RoleSelections, CountTable | null>, before: Period, after: Period): void {
  for (const role of Object.keys(ROLE_NAMES) as Array<keyof RoleSelections>) {
    const selection = selections[role];
    const table = tables[role];
    if (!selection || !table) continue;
    // Every category: "all" may leave the sensitive ones out, and an area holding only those is not empty.
    const total = anyCategory(table);
    if (total.before + total.after > 0) continue;
    const inside =
      role === "treated"
        ? "check that it lies where the lake's incidents are (GeoJSON coordinates are longitude, latitude) and is the place meant"
        : `it holds no incidents of its own once ${selection.exclude.map((a) => a.label).join(" and ")} is left out of it, or lies outside the data: give a ${ROLE_NAMES[role]} beside, not inside, the evaluation area, where the lake has incidents`;
    throw new Error(
      `the ${ROLE_NAMES[role]} ${selection.label} has no incidents of any category in ${before.label} or ${after.label}, so nothing can be compared there; ${inside}`,
    );
  }
}

function describe(selection: AreaSelection): AreaDescription {
  return {
    kind: selection.include.kind,
    name: selection.include.name,
    selection: selection.label,
    included: selection.include.label,
    excluded: selection.exclude.map((a) => a.label),
  };
}
