import { SENSITIVE_CATEGORIES } from "../../config.ts";
import { withConnection } from "../../duckdb/connection.ts";
import { tableDir, tablePath } from "../../lake/table-paths.ts";
import { LakeWriter } from "../../lake/table-writer.ts";
import { TABLES, type RowToWrite } from "../../lake/tables.ts";
import type { IndicatorProgress } from "../statistics/process-indicators.ts";
import type { EvaluationResult } from "./run-evaluation.ts";
import { tooSmallToShowChange } from "../statistics/verdict.ts";

export { checkId } from "../../lake/table-paths.ts";

/**
 * Where the evaluation tables live in the lake (see ../../lake/tables.ts), Hive-partitioned by what
 * a dashboard selects on: outcomes by evaluation (one row per category × case type), indicators and
 * checkpoints by project. Re-running an evaluation replaces its own partition only.
 */
export const evaluationLayout = {
  outcomesDir: (lake: string) => tableDir(lake, TABLES.evaluation_outcomes),
  outcomesFile: (lake: string, id: string) => tablePath(lake, TABLES.evaluation_outcomes, { partition: id }),
  indicatorsDir: (lake: string) => tableDir(lake, TABLES.evaluation_indicators),
  indicatorsFile: (lake: string, project: string) => tablePath(lake, TABLES.evaluation_indicators, { partition: project }),
  checkpointsDir: (lake: string) => tableDir(lake, TABLES.evaluation_checkpoints),
  checkpointsFile: (lake: string, project: string) => tablePath(lake, TABLES.evaluation_checkpoints, { partition: project }),
};

/** evaluations/outcomes: one row per category × case type of an evaluation. */
export const OUTCOME_COLUMNS = TABLES.evaluation_outcomes.columns;
/** evaluations/indicators: one row per indicator of a project. */
export const INDICATOR_COLUMNS = TABLES.evaluation_indicators.columns;
/** evaluations/checkpoints: one row per checkpoint of an indicator. */
export const CHECKPOINT_COLUMNS = TABLES.evaluation_checkpoints.columns;

/** Which project and indicators an evaluation answers (null for an ad-hoc `evaluate --save`). */
export interface EvaluationLink {
  project_id: string;
  indicators: Record<string, string>;
}

/** An evaluation as flat rows of OUTCOME_COLUMNS, one per category × case type. */
export function outcomeTableRows(result: EvaluationResult, link: EvaluationLink | null): Array<RowToWrite<typeof OUTCOME_COLUMNS>> {
  const span = (p: EvaluationResult["before"]) => ({ first: p.windows[0]!.first, last: p.windows.at(-1)!.last });
  return result.outcomes.map((r) => ({
    project_id: link?.project_id,
    indicator_id: link?.indicators[r.case_type],
    area_kind: result.area.kind,
    area: result.area.selection,
    control_area: result.control?.selection,
    buffer_area: result.buffer?.selection,
    buffer_control_area: result.buffer_control?.selection,
    before_label: result.before.label,
    before_first: span(result.before).first,
    before_last: span(result.before).last,
    before_days: result.before.days,
    after_label: result.after.label,
    after_first: span(result.after).first,
    after_last: span(result.after).last,
    after_days: result.after.days,
    category: r.category,
    case_type: r.case_type,
    sensitive: SENSITIVE_CATEGORIES.has(r.category),
    desired_direction: r.desired_direction,
    before: r.before,
    after: r.after,
    before_scaled: r.before_scaled,
    change: r.change,
    percent_change: r.percent_change,
    rate_ratio: r.rate_ratio,
    exact_p: r.exact_test.p_value,
    ci_low: r.exact_test.ci_low,
    ci_high: r.exact_test.ci_high,
    confidence_level: r.exact_test.confidence_level,
    e_test_statistic: r.e_test.statistic,
    e_test_p: r.e_test.p_value,
    significant: r.significant,
    direction_met: r.direction_met,
    too_small_to_show_change: tooSmallToShowChange(r),
    exposure_indicator: r.exposure?.indicator,
    exposure_area: r.exposure?.area_code,
    before_rate: r.exposure?.before_rate,
    after_rate: r.exposure?.after_rate,
    exposure_rate_ratio: r.exposure?.rate_ratio,
    exposure_p: r.exposure?.p_value,
    control_before: r.control?.before,
    control_after: r.control?.after,
    wdd: r.control?.wdd.estimate,
    wdd_se: r.control?.wdd.se,
    wdd_z: r.control?.wdd.z,
    wdd_p: r.control?.wdd.p_value,
    wdd_ci_low: r.control?.wdd.ci_low,
    wdd_ci_high: r.control?.wdd.ci_high,
    buffer_before: r.buffer?.before,
    buffer_after: r.buffer?.after,
    wdq: r.buffer?.wdq,
    tne: r.buffer?.tne,
    wdq_reading: r.buffer?.reading,
    verdict: r.verdict,
  }));
}

/** A project's indicators as flat rows of INDICATOR_COLUMNS. */
export function indicatorTableRows(progress: readonly IndicatorProgress[]): Array<RowToWrite<typeof INDICATOR_COLUMNS>> {
  return progress.map(({ indicator: i, ...p }) => ({
    indicator_id: i.id,
    name: i.name,
    kind: i.kind,
    unit: i.unit,
    baseline: i.baseline,
    baseline_period: i.baseline_period,
    target: i.target,
    achieved: i.achieved,
    achieved_qualifier: i.achieved_qualifier,
    period: i.period,
    desired_direction: i.desired_direction,
    source_document: i.source_document,
    percent_of_target: p.percent_of_target,
    target_met: p.target_met,
    change_from_baseline: p.change_from_baseline,
    percent_change_from_baseline: p.percent_change_from_baseline,
    direction_met: p.direction_met,
    status: p.status,
  }));
}

/** The checkpoints of a project's indicators as flat rows of CHECKPOINT_COLUMNS. */
export function checkpointTableRows(progress: readonly IndicatorProgress[]): Array<RowToWrite<typeof CHECKPOINT_COLUMNS>> {
  return progress.flatMap((p) =>
    p.checkpoints.map((c) => ({
      indicator_id: p.indicator.id,
      label: c.label,
      date: c.date,
      value: c.value,
      basis: c.basis,
      qualifier: c.qualifier,
      cumulative: c.cumulative,
      cumulative_qualifier: c.cumulative_qualifier,
      percent_of_target: c.percent_of_target,
    })),
  );
}

/**
 * Writes an evaluation's outcome rows to evaluations/outcomes/evaluation=<id>/outcomes.parquet
 * (replacing that partition) in one lake commit that lists it in the manifest.
 */
export async function saveEvaluation(lakeDir: string, id: string, link: EvaluationLink | null, result: EvaluationResult): Promise<number> {
  const writer = await LakeWriter.openAsBuilt(lakeDir);
  return commitWith(writer, () =>
    withConnection(async (c) => (await writer.write(c, TABLES.evaluation_outcomes, { partition: id }, outcomeTableRows(result, link))).rows),
  );
}

/** Writes a project's indicators and their checkpoints to evaluations/indicators and evaluations/checkpoints, in one commit. */
export async function saveIndicators(
  lakeDir: string,
  projectId: string,
  progress: readonly IndicatorProgress[],
): Promise<{ indicators: number; checkpoints: number }> {
  const writer = await LakeWriter.openAsBuilt(lakeDir);
  return commitWith(writer, () =>
    withConnection(async (c) => ({
      indicators: (await writer.write(c, TABLES.evaluation_indicators, { partition: projectId }, indicatorTableRows(progress))).rows,
      checkpoints: (await writer.write(c, TABLES.evaluation_checkpoints, { partition: projectId }, checkpointTableRows(progress))).rows,
    })),
  );
}

async function commitWith<T>(writer: LakeWriter, fn: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    await writer.abandon();
    throw error;
  }
  await writer.commit();
  return result;
}
