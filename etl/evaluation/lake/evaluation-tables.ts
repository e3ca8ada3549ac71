import { join } from "node:path";
import { SENSITIVE_CATEGORIES } from "../../config.ts";
import { withConnection } from "../../duckdb/connection.ts";
import { writeRecordTable, type TableColumns, type TableRow } from "../../lake/write-table.ts";
import type { IndicatorProgress } from "../statistics/process-indicators.ts";
import type { EvaluationResult } from "./run-evaluation.ts";
import { tooSmallToShowChange } from "../statistics/verdict.ts";

/**
 * Where the evaluation tables live in the lake, Hive-partitioned by what a dashboard selects on:
 *
 *     evaluations/outcomes/evaluation=<id>/outcomes.parquet      one row per category × case type
 *     evaluations/indicators/project=<id>/indicators.parquet     one row per project indicator
 *     evaluations/checkpoints/project=<id>/checkpoints.parquet   one row per indicator checkpoint
 *
 * Each file is replaced atomically, so re-running an evaluation overwrites its own partition only.
 */
export const evaluationLayout = {
  dir: (lake: string) => join(lake, "evaluations"),
  outcomesDir: (lake: string) => join(lake, "evaluations", "outcomes"),
  outcomesFile: (lake: string, id: string) => join(lake, "evaluations", "outcomes", `evaluation=${checkId(id)}`, "outcomes.parquet"),
  indicatorsDir: (lake: string) => join(lake, "evaluations", "indicators"),
  indicatorsFile: (lake: string, project: string) => join(lake, "evaluations", "indicators", `project=${checkId(project)}`, "indicators.parquet"),
  checkpointsDir: (lake: string) => join(lake, "evaluations", "checkpoints"),
  checkpointsFile: (lake: string, project: string) => join(lake, "evaluations", "checkpoints", `project=${checkId(project)}`, "checkpoints.parquet"),
};

/**
 * An evaluation or project id as a partition value: a lower-case letter, then letters, digits, "-"
 * and "_" — a safe folder name that reads back unchanged from the Hive path (a leading digit would
 * make DuckDB read the partition value as a number).
 */
export function checkId(id: string): string {
  if (!/^[a-z][a-z0-9_-]{0,79}$/.test(id)) throw new Error(`'${id}' is not a valid id: start with a lower-case letter, then letters, digits, '-' and '_' (at most 80)`);
  return id;
}

const V = "VARCHAR";
const D = "DOUBLE";
const I = "INTEGER";
const B = "BOOLEAN";

/** evaluations/outcomes: one row per category × case type of an evaluation. */
export const OUTCOME_COLUMNS: TableColumns = {
  project_id: V, indicator_id: V, area_kind: V, area: V, control_area: V, buffer_area: V, buffer_control_area: V,
  before_label: V, before_first: V, before_last: V, before_days: I, after_label: V, after_first: V, after_last: V, after_days: I,
  category: V, case_type: V, sensitive: B, desired_direction: V, before: I, after: I, before_scaled: D, change: D, percent_change: D,
  rate_ratio: D, exact_p: D, ci_low: D, ci_high: D, confidence_level: D, e_test_statistic: D, e_test_p: D,
  significant: B, direction_met: B, too_small_to_show_change: B,
  exposure_indicator: V, exposure_area: V, before_rate: D, after_rate: D, exposure_rate_ratio: D, exposure_p: D,
  control_before: I, control_after: I, wdd: D, wdd_se: D, wdd_z: D, wdd_p: D, wdd_ci_low: D, wdd_ci_high: D,
  buffer_before: I, buffer_after: I, wdq: D, tne: D, wdq_reading: V, verdict: V,
};

/** evaluations/indicators: one row per indicator of a project. */
export const INDICATOR_COLUMNS: TableColumns = {
  indicator_id: V, name: V, kind: V, unit: V, baseline: D, baseline_period: V, target: D, achieved: D, achieved_qualifier: V,
  period: V, desired_direction: V, percent_of_target: D, target_met: B, change_from_baseline: D, percent_change_from_baseline: D,
  direction_met: B, status: V, source_document: V,
};

/** evaluations/checkpoints: one row per checkpoint of an indicator. */
export const CHECKPOINT_COLUMNS: TableColumns = {
  indicator_id: V, label: V, date: V, value: D, basis: V, qualifier: V, cumulative: D, cumulative_qualifier: V, percent_of_target: D,
};

/** Which project and indicators an evaluation answers (null for an ad-hoc `evaluate --save`). */
export interface EvaluationLink {
  project_id: string;
  indicators: Record<string, string>;
}

/** An evaluation as flat rows of OUTCOME_COLUMNS, one per category × case type. */
export function outcomeTableRows(result: EvaluationResult, link: EvaluationLink | null): TableRow[] {
  const span = (p: EvaluationResult["before"]) => ({ first: p.windows[0]!.first, last: p.windows.at(-1)!.last });
  return result.outcomes.map((r) => ({
    project_id: link?.project_id, indicator_id: link?.indicators[r.case_type], area_kind: result.area.kind, area: result.area.selection,
    control_area: result.control?.selection, buffer_area: result.buffer?.selection, buffer_control_area: result.buffer_control?.selection,
    before_label: result.before.label, before_first: span(result.before).first, before_last: span(result.before).last, before_days: result.before.days,
    after_label: result.after.label, after_first: span(result.after).first, after_last: span(result.after).last, after_days: result.after.days,
    category: r.category, case_type: r.case_type, sensitive: SENSITIVE_CATEGORIES.has(r.category), desired_direction: r.desired_direction,
    before: r.before, after: r.after, before_scaled: r.before_scaled, change: r.change, percent_change: r.percent_change, rate_ratio: r.rate_ratio,
    exact_p: r.exact_test.p_value, ci_low: r.exact_test.ci_low, ci_high: r.exact_test.ci_high, confidence_level: r.exact_test.confidence_level,
    e_test_statistic: r.e_test.statistic, e_test_p: r.e_test.p_value, significant: r.significant, direction_met: r.direction_met,
    too_small_to_show_change: tooSmallToShowChange(r), exposure_indicator: r.exposure?.indicator, exposure_area: r.exposure?.area_code,
    before_rate: r.exposure?.before_rate, after_rate: r.exposure?.after_rate, exposure_rate_ratio: r.exposure?.rate_ratio, exposure_p: r.exposure?.p_value,
    control_before: r.control?.before, control_after: r.control?.after, wdd: r.control?.wdd.estimate, wdd_se: r.control?.wdd.se, wdd_z: r.control?.wdd.z,
    wdd_p: r.control?.wdd.p_value, wdd_ci_low: r.control?.wdd.ci_low, wdd_ci_high: r.control?.wdd.ci_high,
    buffer_before: r.buffer?.before, buffer_after: r.buffer?.after, wdq: r.buffer?.wdq, tne: r.buffer?.tne, wdq_reading: r.buffer?.reading, verdict: r.verdict,
  }));
}

/** A project's indicators as flat rows of INDICATOR_COLUMNS. */
export function indicatorTableRows(progress: readonly IndicatorProgress[]): TableRow[] {
  return progress.map(({ indicator: i, ...p }) => ({
    indicator_id: i.id, name: i.name, kind: i.kind, unit: i.unit, baseline: i.baseline, baseline_period: i.baseline_period, target: i.target,
    achieved: i.achieved, achieved_qualifier: i.achieved_qualifier, period: i.period, desired_direction: i.desired_direction, source_document: i.source_document,
    percent_of_target: p.percent_of_target, target_met: p.target_met, change_from_baseline: p.change_from_baseline, percent_change_from_baseline: p.percent_change_from_baseline, direction_met: p.direction_met, status: p.status,
  }));
}

/** The checkpoints of a project's indicators as flat rows of CHECKPOINT_COLUMNS. */
export function checkpointTableRows(progress: readonly IndicatorProgress[]): TableRow[] {
  return progress.flatMap((p) =>
    p.checkpoints.map((c) => ({
      indicator_id: p.indicator.id, label: c.label, date: c.date, value: c.value, basis: c.basis, qualifier: c.qualifier,
      cumulative: c.cumulative, cumulative_qualifier: c.cumulative_qualifier, percent_of_target: c.percent_of_target,
    })),
  );
}

/** Writes an evaluation's outcome rows to evaluations/outcomes/evaluation=<id>/outcomes.parquet (replacing that partition). */
export async function saveEvaluation(lakeDir: string, id: string, link: EvaluationLink | null, result: EvaluationResult): Promise<number> {
  const path = evaluationLayout.outcomesFile(lakeDir, id);
  return withConnection((c) => writeRecordTable(c, path, OUTCOME_COLUMNS, outcomeTableRows(result, link)));
}

/** Writes a project's indicators and their checkpoints to evaluations/indicators and evaluations/checkpoints. */
export async function saveIndicators(lakeDir: string, projectId: string, progress: readonly IndicatorProgress[]): Promise<{ indicators: number; checkpoints: number }> {
  const [indicatorsFile, checkpointsFile] = [evaluationLayout.indicatorsFile(lakeDir, projectId), evaluationLayout.checkpointsFile(lakeDir, projectId)];
  return withConnection(async (c) => ({
    indicators: await writeRecordTable(c, indicatorsFile, INDICATOR_COLUMNS, indicatorTableRows(progress)),
    checkpoints: await writeRecordTable(c, checkpointsFile, CHECKPOINT_COLUMNS, checkpointTableRows(progress)),
  }));
}
