import { withConnection } from "../../duckdb/connection.ts";
import { tableDir, tablePath } from "../../lake/table-paths.ts";
import { LakeWriter, type EntryExtras } from "../../lake/table-writer.ts";
import { TABLES, type LakeTable, type RowToWrite, type TableColumns } from "../../lake/tables.ts";
import { writeTableRows } from "../../lake/write-table.ts";
import type { FileAt } from "../../lake/table-paths.ts";
import { poissonInterval } from "../statistics/poisson-interval.ts";
import type { IndicatorProgress } from "../statistics/process-indicators.ts";
import { inTimePlaceboText, timeSeriesText } from "../its/outcome-time-series.ts";
import { spacePlaceboText, syntheticControlText } from "../report/comparison-text.ts";
import type { ItsModel } from "../statistics/interrupted-time-series.ts";
import type { ProjectOutcome, ProjectReport } from "./project-report.ts";
import type { EvaluationResult } from "./run-evaluation.ts";
import { tooSmallToShowChange } from "../statistics/verdict.ts";
import { releasedCaveats } from "../report/release.ts";
import { withheldCategories } from "../report/withheld-categories.ts";

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

/** The before and after periods' columns (EVALUATION_PERIODS in tables.ts), as outcome rows and run rows carry them. */
function periodColumns(result: EvaluationResult) {
  const span = (p: EvaluationResult["before"]) => ({ first: p.windows[0]!.first, last: p.windows.at(-1)!.last });
  return {
    before_label: result.before.label,
    before_first: span(result.before).first,
    before_last: span(result.before).last,
    before_days: result.before.days,
    after_label: result.after.label,
    after_first: span(result.after).first,
    after_last: span(result.after).last,
    after_days: result.after.days,
  };
}

/** An evaluation as flat rows of OUTCOME_COLUMNS, one per category × case type; `sensitive`: the configuration's sensitive categories. */
export function outcomeTableRows(
  result: EvaluationResult,
  link: EvaluationLink | null,
  sensitive: ReadonlySet<string>,
): Array<RowToWrite<typeof OUTCOME_COLUMNS>> {
  return result.outcomes.map((r) => {
    const scale = r.days.after / r.days.before;
    const [beforeLow, beforeHigh] = poissonInterval(r.before, r.exact_test.confidence_level);
    const [afterLow, afterHigh] = poissonInterval(r.after, r.exact_test.confidence_level);
    const needed = (basis: "observed" | "moderate") => r.power.months_needed.find((m) => m.basis === basis);
    return {
      project_id: link?.project_id,
      indicator_id: link?.indicators[r.case_type],
      area_kind: result.area.kind,
      area: result.area.selection,
      control_area: result.control?.selection,
      buffer_area: result.buffer?.selection,
      buffer_control_area: result.buffer_control?.selection,
      ...periodColumns(result),
      category: r.category,
      case_type: r.case_type,
      sensitive: sensitive.has(r.category),
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
      before_scaled_ci_low: beforeLow * scale,
      before_scaled_ci_high: beforeHigh * scale,
      after_ci_low: afterLow,
      after_ci_high: afterHigh,
      exposure_per: r.exposure?.per,
      power: r.power.power,
      power_alpha: r.power.alpha,
      mde_rise_ratio: r.power.rise_ratio,
      mde_fall_ratio: r.power.fall_ratio,
      mde_wdd_cases: r.power.wdd_cases,
      months_needed_observed_ratio: needed("observed")?.ratio,
      months_needed_observed: needed("observed")?.months,
      months_needed_moderate_ratio: needed("moderate")?.ratio,
      months_needed_moderate: needed("moderate")?.months,
      tne_ci_low: r.buffer?.tne_ci?.[0],
      tne_ci_high: r.buffer?.tne_ci?.[1],
      wdq_ci_low: r.buffer?.wdq_ci?.[0],
      wdq_ci_high: r.buffer?.wdq_ci?.[1],
      wdq_reading_text: r.buffer?.reading_text,
      wdd_tne_reading: r.buffer?.wdd_tne_reading,
      wdd_tne_reading_lt: r.buffer?.wdd_tne_reading_lt,
    };
  });
}

/** An evaluation of a project as its evaluation_runs row: the specification, what was counted, the design's rating, or the error. */
export function runTableRow(projectId: string, o: ProjectOutcome, sensitive: ReadonlySet<string>): RowToWrite<typeof TABLES.evaluation_runs.columns> {
  const r = o.result;
  return {
    evaluation_id: o.spec.id,
    project_id: projectId,
    title: o.spec.title,
    area_spec: o.spec.area,
    control_spec: o.spec.control,
    control_note: o.spec.control_note,
    control_reached: o.spec.control_reached,
    error: o.error,
    area_kind: r?.area.kind,
    area: r?.area.selection,
    control_area: r?.control?.selection,
    ...(r ? periodColumns(r) : {}),
    confidence_level: r?.confidence_level,
    exposure_indicator: r?.exposure?.indicator,
    exposure_area: r?.exposure?.area_code,
    design_level: o.design?.level,
    design_at_best: o.design?.at_best,
    design_label: o.design?.label,
    design_reason: o.design?.reason,
    design_label_lt: o.design?.label_lt,
    design_reason_lt: o.design?.reason_lt,
    area_include: r?.area.included,
    area_excluded: r && JSON.stringify(r.area.excluded),
    control_include: r?.control?.included,
    control_excluded: r?.control && JSON.stringify(r.control.excluded),
    control_kind: r?.control?.kind,
    buffer_kind: r?.buffer?.kind,
    buffer_control_kind: r?.buffer_control?.kind,
    all_excludes: r && JSON.stringify(r.all_excludes),
    sensitive_categories: JSON.stringify([...sensitive].sort()),
    project_figures: JSON.stringify(o.projectFigures),
  };
}

/** Kinds of evaluation_notes rows. */
export type NoteKind = "caveat" | "design_to_raise" | "its_assumption";

/** The evaluation's texts in order: its caveats, what would raise its design's level, and the assumptions of its fitted time series. */
export function noteTableRows(o: ProjectOutcome, sensitive: ReadonlySet<string>): Array<RowToWrite<typeof TABLES.evaluation_notes.columns>> {
  const withheld = new Set(o.result ? withheldCategories(o.result, o.projectFigures, sensitive) : []);
  // Distinct assumptions with their Lithuanian (the English is the key; both lists are index by index), of the
  // series that may be shown: which ones a withheld category's fit adds depends on its counts.
  const assumptionPairs = new Map(
    o.timeSeries.flatMap(({ category, its }) =>
      its.refused || withheld.has(category) ? [] : its.assumptions.map((a, i) => [a, its.assumptions_lt[i]!] as const),
    ),
  );
  const assumptions = [...assumptionPairs.keys()];
  const notes: Array<[NoteKind, readonly string[], readonly string[] | undefined]> = [
    // Published as written: a sensitive category's per-area figures are taken out (report/release.ts).
    ...(o.result ? [caveatNotes(releasedCaveats(o.result, withheld))] : []),
    ["design_to_raise", o.design?.to_raise ?? [], o.design?.to_raise_lt],
    ["its_assumption", assumptions, [...assumptionPairs.values()]],
  ];
  return notes.flatMap(([kind, texts, textsLt]) => texts.map((text, position) => ({ kind, position, text, text_lt: textsLt?.[position] })));
}

const caveatNotes = (c: Pick<EvaluationResult, "caveats" | "caveats_lt">): [NoteKind, readonly string[], readonly string[]] => [
  "caveat",
  c.caveats,
  c.caveats_lt,
];

/** The yearly history of an evaluation's areas. */
export function historyTableRows(o: ProjectOutcome): Array<RowToWrite<typeof TABLES.evaluation_history.columns>> {
  return (o.result?.history ?? []).map((h) => ({ category: h.category, year: h.year, area: h.area, control: h.control }));
}

/** The lake's counts beside the seed's, per case type. */
export function crossCheckTableRows(o: ProjectOutcome): Array<RowToWrite<typeof TABLES.evaluation_cross_checks.columns>> {
  return o.crossChecks.map((c) => ({ ...c, lake_excludes: JSON.stringify(c.lake_excludes) }));
}

/** The monthly counts behind each category's time series. */
export function monthlyTableRows(o: ProjectOutcome): Array<RowToWrite<typeof TABLES.evaluation_monthly.columns>> {
  return o.timeSeries.flatMap((t) => {
    const sc = o.syntheticControls.find((s) => s.category === t.category)?.control;
    const synthetic = new Map(sc && !sc.refused ? sc.synthetic.map((m) => [m.month, m.count]) : []);
    return t.series.map((m) => ({ category: t.category, month: m.month, count: m.count, synthetic: synthetic.get(m.month) }));
  });
}

/** Each category's synthetic control, or why it was refused. */
export function syntheticControlTableRows(o: ProjectOutcome): Array<RowToWrite<typeof TABLES.evaluation_synthetic_control.columns>> {
  return o.syntheticControls.map(({ category, control: sc, placebos }) => ({
    category,
    refused: sc.refused,
    reason: sc.refused ? sc.reason : null,
    reason_lt: sc.refused ? sc.reason_lt : null,
    donors: sc.donors,
    pre_months: sc.pre_months,
    post_months: sc.post_months,
    ...(sc.refused
      ? {}
      : { pre_rmspe: sc.pre_rmspe, post_rmspe: sc.post_rmspe, treated_post: sc.treated_post, synthetic_post: sc.synthetic_post, ratio: sc.ratio }),
    text: syntheticControlText(category, sc, placebos),
    rmspe_ratio: placebos?.rmspe_ratio,
    placebo_compared: placebos?.compared,
    placebo_rank: placebos?.rank,
    placebo_p_value: placebos?.p_value,
  }));
}

/** The donor weights of each category's synthetic control. */
export function syntheticWeightTableRows(o: ProjectOutcome): Array<RowToWrite<typeof TABLES.evaluation_synthetic_weights.columns>> {
  return o.syntheticControls.flatMap(({ category, control }) => (control.refused ? [] : control.weights.map((w) => ({ category, ...w }))));
}

/** Each category's interrupted time series: the preferred model's estimates, or why it was refused. */
export function timeSeriesTableRows(o: ProjectOutcome): Array<RowToWrite<typeof TABLES.evaluation_time_series.columns>> {
  return o.timeSeries.map((t) => {
    const its = t.its;
    const model: ItsModel | null = its.refused ? null : its.preferred === "negative_binomial" && its.negative_binomial ? its.negative_binomial : its.poisson;
    return {
      category: t.category,
      first_month: t.first_month,
      last_month: t.last_month,
      intervention_month: t.intervention_month,
      refused: its.refused,
      reason: its.refused ? its.reason : null,
      reason_lt: its.refused ? its.reason_lt : null,
      pre_months: its.pre_months,
      post_months: its.post_months,
      total: its.total,
      seasonality: its.refused ? null : its.seasonality,
      family: model?.family,
      theta: model?.theta,
      dispersion: model?.dispersion,
      level_change: model?.level_change.ratio,
      level_ci_low: model?.level_change.ci_low,
      level_ci_high: model?.level_change.ci_high,
      level_p: model?.level_change.p_value,
      slope_change: model?.slope_change.ratio,
      slope_ci_low: model?.slope_change.ci_low,
      slope_ci_high: model?.slope_change.ci_high,
      slope_p: model?.slope_change.p_value,
      pre_trend: model?.pre_trend.ratio,
      pre_trend_ci_low: model?.pre_trend.ci_low,
      pre_trend_ci_high: model?.pre_trend.ci_high,
      pre_trend_p: model?.pre_trend.p_value,
      text: timeSeriesText(t, o.result?.confidence_level ?? 0.95),
    };
  });
}

/** Every placebo of an evaluation: false intervention months (in time) and the lake's other localities (in space). */
export function placeboTableRows(o: ProjectOutcome): Array<RowToWrite<typeof TABLES.evaluation_placebos.columns>> {
  const inTime = o.timeSeries.flatMap((t) =>
    (t.in_time_placebos?.placebos ?? []).map((p) => ({ category: t.category, kind: "in_time", label: p.label, estimate: p.level_change, refused: p.refused })),
  );
  const inSpace = o.spacePlacebos.flatMap((s) =>
    (s.test?.placebos ?? []).map((p) => ({
      category: s.category,
      kind: "in_space",
      label: p.label,
      reached: p.reached,
      before: p.before,
      after: p.after,
      estimate: p.rate_ratio,
      refused: p.refused,
    })),
  );
  const synthetic = o.syntheticControls.flatMap(({ category, placebos }) =>
    (placebos?.placebos ?? []).map((p) => ({ category, kind: "synthetic", label: p.label, estimate: p.rmspe_ratio, refused: p.refused })),
  );
  return [...inTime, ...inSpace, ...synthetic];
}

/** Where each category's estimate ranks among its placebos, per kind (in time: the ITS level change; in space: the before/after rate ratio). */
export function placeboTestTableRows(o: ProjectOutcome): Array<RowToWrite<typeof TABLES.evaluation_placebo_tests.columns>> {
  const inTime = o.timeSeries.map((t) => {
    const placebos = t.in_time_placebos;
    const model = t.its.refused ? null : t.its.preferred === "negative_binomial" && t.its.negative_binomial ? t.its.negative_binomial : t.its.poisson;
    const compared = placebos ? placebos.placebos.filter((p) => p.level_change !== null).length : 0;
    const refused = t.its.refused
      ? `no time series was fitted: ${t.its.reason}`
      : compared === 0
        ? `none of the ${placebos?.placebos.length ?? 0} false intervention months could be fitted${placebos?.placebos[0]?.refused ? ` (${placebos.placebos[0].refused.split(";")[0]})` : ""}`
        : null;
    return {
      category: t.category,
      kind: "in_time",
      estimate: model?.level_change.ratio,
      placebos: placebos?.placebos.length ?? 0,
      compared,
      share_as_large: placebos?.share_as_large,
      refused,
      text: inTimePlaceboText(t) || `In-time placebos: none, ${refused}.`,
    };
  });
  const inSpace = o.spacePlacebos.map((s) => ({
    category: s.category,
    kind: "in_space",
    estimate: s.test?.treated_ratio,
    placebos: s.test?.placebos.length ?? 0,
    compared: s.test?.compared ?? 0,
    rank: s.test?.rank,
    p_value: s.test?.p_value,
    share_as_large: s.test?.share_as_large,
    refused: s.refused ?? (s.test && s.test.compared === 0 ? "no other locality had a case in either period" : null),
    text: spacePlaceboText(s),
  }));
  return [...inTime, ...inSpace];
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
    note: i.note,
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
export async function saveEvaluation(
  lakeDir: string,
  id: string,
  link: EvaluationLink | null,
  result: EvaluationResult,
  sensitive: ReadonlySet<string>,
): Promise<number> {
  const writer = await LakeWriter.openAsBuilt(lakeDir);
  return commitWith(writer, () =>
    withConnection(async (c) => (await writer.write(c, TABLES.evaluation_outcomes, { partition: id }, outcomeTableRows(result, link, sensitive))).rows),
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

/** The tables of one evaluation partition, each with the rows an evaluation gives it. */
export const EVALUATION_PARTS = [
  TABLES.evaluation_runs,
  TABLES.evaluation_notes,
  TABLES.evaluation_history,
  TABLES.evaluation_cross_checks,
  TABLES.evaluation_monthly,
  TABLES.evaluation_time_series,
  TABLES.evaluation_placebos,
  TABLES.evaluation_placebo_tests,
  TABLES.evaluation_synthetic_control,
  TABLES.evaluation_synthetic_weights,
] as const;

/** What saving projects' evaluations wrote: outcome rows per evaluation id. */
export interface SavedEvaluations {
  projects: number;
  evaluations: Array<{ id: string; project_id: string; ok: boolean; error: string | null; lake_rows: number }>;
}

/**
 * The files saveProjectEvaluations writes for these projects and their outcome evaluations: per
 * project its indicators and checkpoints, per evaluation its outcomes and every EVALUATION_PARTS table.
 */
export function projectEvaluationFiles(
  projects: ReadonlyArray<{ id: string }>,
  evaluations: ReadonlyArray<{ id: string; project_id: string }>,
): Array<{ table: LakeTable; at: FileAt }> {
  return projects.flatMap((p) => [
    { table: TABLES.evaluation_indicators, at: { partition: p.id } },
    { table: TABLES.evaluation_checkpoints, at: { partition: p.id } },
    ...evaluations
      .filter((e) => e.project_id === p.id)
      .flatMap((e) => [TABLES.evaluation_outcomes, ...EVALUATION_PARTS].map((table) => ({ table, at: { partition: e.id } }))),
  ]);
}

/**
 * Writes everything the dashboard and the reports read of the projects' evaluations — indicators and
 * checkpoints per project; per evaluation its run (specification, areas, periods, design rating or
 * error), outcomes, notes, history, cross-checks, monthly series, time series and placebos — in one
 * lake commit. With `replace`, files of these tables that the commit did not write (projects or
 * evaluations since removed from the specification) are removed, except outcome partitions without a
 * run, which `evaluate --save` wrote. `fingerprints` are recorded with every file and `parameters`
 * in the manifest (the evaluate stage's: see evaluationFingerprints).
 */
export async function saveProjectEvaluations(
  lakeDir: string,
  reports: readonly ProjectReport[],
  options: {
    replace?: boolean;
    fingerprints?: EntryExtras;
    parameters?: Record<string, Record<string, unknown>>;
    /** The configuration's sensitive categories: the outcomes' `sensitive` column, and whose per-area figures the notes leave out. */
    sensitive: ReadonlySet<string>;
  },
): Promise<SavedEvaluations> {
  const writer = await LakeWriter.openAsBuilt(lakeDir);
  if (options.parameters) writer.manifest.parameters = { ...writer.manifest.parameters, ...options.parameters };
  return commitWith(writer, () =>
    withConnection(async (c) => {
      const write = <C extends TableColumns>(table: LakeTable<C>, at: FileAt, rows: Iterable<RowToWrite<C>>) =>
        writer.writeFile(table, at, (path) => writeTableRows(c, path, table, rows), options.fingerprints);
      const saved: SavedEvaluations = { projects: reports.length, evaluations: [] };
      const runKeys = new Set<string>();
      for (const report of reports) {
        const projectId = report.project.id;
        const all = [...report.process, ...report.outcomeIndicators];
        await write(TABLES.evaluation_indicators, { partition: projectId }, indicatorTableRows(all));
        await write(TABLES.evaluation_checkpoints, { partition: projectId }, checkpointTableRows(all));
        for (const o of report.outcomes) {
          const at = { partition: o.spec.id };
          const outcomeRows = o.result ? outcomeTableRows(o.result, { project_id: projectId, indicators: o.spec.indicators }, options.sensitive) : [];
          const { rows } = await write(TABLES.evaluation_outcomes, at, outcomeRows);
          runKeys.add((await write(TABLES.evaluation_runs, at, [runTableRow(projectId, o, options.sensitive)])).key);
          await write(TABLES.evaluation_notes, at, noteTableRows(o, options.sensitive));
          await write(TABLES.evaluation_history, at, historyTableRows(o));
          await write(TABLES.evaluation_cross_checks, at, crossCheckTableRows(o));
          await write(TABLES.evaluation_monthly, at, monthlyTableRows(o));
          await write(TABLES.evaluation_time_series, at, timeSeriesTableRows(o));
          await write(TABLES.evaluation_placebos, at, placeboTableRows(o));
          await write(TABLES.evaluation_placebo_tests, at, placeboTestTableRows(o));
          await write(TABLES.evaluation_synthetic_control, at, syntheticControlTableRows(o));
          await write(TABLES.evaluation_synthetic_weights, at, syntheticWeightTableRows(o));
          saved.evaluations.push({ id: o.spec.id, project_id: projectId, ok: o.result !== null, error: o.error, lake_rows: rows });
        }
      }
      if (options.replace) {
        // An outcome partition is the stage's when an earlier run listed a run beside it; others are ad-hoc saves (evaluate --save).
        const listed = Object.keys(writer.manifest.tables[TABLES.evaluation_runs.manifest ?? ""] ?? {});
        const staleRuns = new Set(listed.filter((k) => k.startsWith(`${TABLES.evaluation_runs.folder}/`) && !runKeys.has(k)).map(partitionOf));
        await writer.removeOthers(TABLES.evaluation_outcomes, (key) => !staleRuns.has(partitionOf(key)));
        for (const table of [TABLES.evaluation_indicators, TABLES.evaluation_checkpoints, ...EVALUATION_PARTS]) await writer.removeOthers(table);
      }
      return saved;
    }),
  );
}

/** The partition value of a lake key (`evaluations/runs/evaluation=<id>/run.parquet` → `<id>`). */
function partitionOf(key: string): string {
  return /\/evaluation=([^/]+)\//.exec(key)?.[1] ?? "";
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
