import { join } from "node:path";
import { listValue, type DuckDBConnection } from "@duckdb/node-api";
import { RECOMPUTE_COMMAND } from "../cli/bundled-incidents.ts";
import type { EvaluationData, EvaluationIndicator, EvaluationOutcome, ProjectEvaluation } from "../../dashboard/data-contract.ts";
import { exposureSeries, type ExposureRow } from "../context/immigration.ts";
import type { Qualifier } from "../../dashboard/data-contract.ts";
import type { Indicator } from "../context/project-indicators.ts";
import { readLakeProjects } from "../evaluation/lake/lake-projects.ts";
import { crossCheckReading } from "../evaluation/lake/project-report.ts";
import type { LakeProjects } from "../evaluation/lake/lake-projects.ts";
import { readTable, tableFiles } from "../lake/table-reader.ts";
import { TABLES, type LakeTable, type StoredRow, type TableColumns } from "../lake/tables.ts";
import { round, toMonth } from "./lake-query.ts";
import { evaluationParts, type EvaluationParts, type EvaluationReuse } from "./evaluation-parts.ts";
import { crossCheckShown, releaseNote } from "../evaluation/report/release.ts";
import { excludedFromEvaluationAll, perLocalityWithheld, withheldInEvaluation, type EvaluationAreaKinds } from "./release-rules.ts";
import { ALL_OFFENCES } from "../analytics/cell-month-grid.ts";

/** Where the evaluations are read: the lake, and the categories published only as municipality totals. */
export interface EvaluationSource {
  lakeDir: string;
  sensitiveCategories: ReadonlySet<string>;
  /**
   * The previous publish's parts of evaluation.json (a state file, evaluation-parts.ts, keyed by
   * the SHA-256s the lake's manifest records): a part whose inputs are unchanged is not read again.
   * Without it every part is read.
   */
  reuse?: EvaluationReuse;
}

/** An estimate with its interval and p-value, as published. */
export interface PublishedEstimate {
  ratio: number;
  ci_low: number;
  ci_high: number;
  p_value: number;
}

/** What each before/after row adds to EvaluationOutcome: power and displacement intervals. */
export interface PublishedOutcomeExtras {
  /** What the comparisons could have detected with `power` at `alpha` (etl/evaluation/statistics/outcome-power.ts). */
  detectable: {
    power: number;
    alpha: number;
    /** Smallest rise / fall of the rate (after/before ratio) the exact test detects; null when none can be. */
    rise_ratio: number | null;
    fall_ratio: number | null;
    /** Smallest |WDD| in cases the WDD test detects (null without a comparison area). */
    wdd_cases: number | null;
    /** Months each of two equal periods would need for the observed change and for a moderate (25 %) change; months null: more than 50 years. */
    months_needed: Array<{ basis: "observed" | "moderate"; ratio: number; months: number | null }>;
  };
  /** The buffer's counts, WDQ and total net effect with delta-method intervals (null bounds: unbounded), and their readings; null without a buffer. */
  displacement: {
    buffer_before: number;
    buffer_after: number;
    wdq: number | null;
    wdq_ci: [number | null, number | null];
    tne: number | null;
    tne_ci: [number | null, number | null];
    reading: string | null;
    reading_text: string | null;
    wdd_tne_reading: string | null;
    /** The same sentence in Lithuanian (null where the lake has none). */
    wdd_tne_reading_lt: string | null;
  } | null;
}

/** One category's interrupted time series as published (counts of single months are not). */
export interface PublishedTimeSeries {
  category: string;
  first_month: string | null;
  last_month: string | null;
  intervention_month: string;
  refused: boolean;
  reason: string | null;
  /** The reason in Lithuanian (null where the lake has none). */
  reason_lt: string | null;
  pre_months: number;
  post_months: number;
  total: number;
  seasonality: boolean | null;
  family: string | null;
  theta: number | null;
  level_change: PublishedEstimate | null;
  slope_change: PublishedEstimate | null;
  pre_trend: PublishedEstimate | null;
  text: string;
}

/** Where a category's estimate ranks among its placebos. */
export interface PublishedPlaceboTest {
  category: string;
  /** "in_time": false intervention months, the ITS level change; "in_space": the lake's other localities, the before/after rate ratio. */
  kind: "in_time" | "in_space";
  estimate: number | null;
  placebos: number;
  compared: number;
  rank: number | null;
  p_value: number | null;
  share_as_large: number | null;
  refused: string | null;
  /** The test in an English sentence. */
  text: string;
  /** Each placebo's estimate (false month or locality); empty for a sensitive category and an "all" that counts one (release-rules.ts perLocalityWithheld). */
  items: Array<{ label: string; reached: boolean | null; estimate: number | null; refused: string | null }>;
}

/** What each evaluation adds to ProjectEvaluation: design rating, time series, placebos. */
export interface PublishedEvaluationExtras {
  /** `area` and `control` in parts (null when the evaluation failed, or without a control): the included area's name and those left out. */
  area_parts: { include: string; exclude: string[] } | null;
  control_parts: { include: string; exclude: string[] } | null;
  /** Maryland Scientific Methods Scale rating of the design, with what would raise it (null when the evaluation failed). */
  /** *_lt: the same texts in Lithuanian (null / null items where the lake has none). */
  design: {
    level: number;
    at_best: boolean;
    label: string;
    reason: string;
    to_raise: string[];
    label_lt: string | null;
    reason_lt: string | null;
    to_raise_lt: Array<string | null>;
  } | null;
  time_series: PublishedTimeSeries[];
  /** Assumptions of the fitted time series (empty when none was fitted). */
  time_series_assumptions: string[];
  /** The assumptions in Lithuanian, index by index (null items where the lake has none). */
  time_series_assumptions_lt: Array<string | null>;
  placebo_tests: PublishedPlaceboTest[];
  synthetic_control: PublishedSyntheticControl[];
  /**
   * The sensitive categories none of whose figures is published here, because an area the evaluation
   * counts in is smaller than a municipality, and "all" where that "all" was counted without them beside a
   * figure the project publishes for the area (release-rules.ts withheldInEvaluation); the last caveat says so.
   */
  withheld_categories: string[];
  /**
   * The sensitive categories "all offences" was counted without in every figure here, where an area
   * is not a whole municipality (release-rules.ts excludedFromEvaluationAll). The last caveat says so
   * with withheld_categories, in one caveat; the page says it beside the areas instead.
   */
  all_excludes: string[];
}

/** A category's synthetic control: donor localities weighted to reproduce the area's months before the intervention (monthly counts are not published). */
export interface PublishedSyntheticControl {
  category: string;
  refused: boolean;
  reason: string | null;
  /** The reason in Lithuanian (null where the lake has none). */
  reason_lt: string | null;
  donors: number;
  pre_months: number;
  post_months: number;
  /** Root mean squared error of the monthly fit before the intervention, and of the comparison after it. */
  pre_rmspe: number | null;
  post_rmspe: number | null;
  /** Cases from the intervention month on: the area's and the synthetic control's (weighted donors). */
  treated_post: number | null;
  synthetic_post: number | null;
  ratio: number | null;
  /** The area's RMSPE after / before, ranked among the donors' own synthetic controls: rank 1 = the largest, p = rank / (compared + 1). */
  placebos: { rmspe_ratio: number | null; compared: number; rank: number | null; p_value: number | null } | null;
  /** Donor weights, largest first; empty for a sensitive category and an "all" that counts one (perLocalityWithheld). */
  weights: Array<{ label: string; weight: number }>;
  /** The synthetic control in an English sentence (with its four largest weights: not published where the weights are not, so its text is left out then). */
  text: string | null;
}

/** evaluation.json as published: the contract's fields and the extras above. */
export interface PublishedEvaluationData extends EvaluationData {
  projects: Array<
    Omit<EvaluationData["projects"][number], "evaluations"> & {
      evaluations: Array<Omit<ProjectEvaluation, "outcomes"> & PublishedEvaluationExtras & { outcomes: Array<EvaluationOutcome & PublishedOutcomeExtras> }>;
    }
  >;
}

type Row<K extends keyof typeof TABLES> = StoredRow<(typeof TABLES)[K]["columns"]>;

/**
 * The Project evaluation page's data, read from the lake: the projects and exposure series from the
 * context tables, and every indicator's progress and outcome evaluation from the `evaluations/`
 * tables the evaluate stage wrote (etl/evaluation/lake/evaluate-stage.ts) — no statistic is computed
 * here, only rounded and filtered. Evaluation counts are totals of a whole project area over a whole
 * period — the figures a project reports — not cell-month counts, so they are published as computed;
 * a sensitive category is dropped unless every area the evaluation counts in is a whole municipality
 * (the reports' rule, release-rules.ts withheldInEvaluation), as is an "all" counted without it beside the
 * project's own figure for the area, and its placebo areas' figures are never
 * published. Monthly counts are not published (only the time series' estimates).
 * Dates are coarsened to months.
 */
export async function evaluationData(connection: DuckDBConnection, source: EvaluationSource): Promise<PublishedEvaluationData> {
  const lake = source.lakeDir;
  const parts: EvaluationParts = await evaluationParts(lake, source.sensitiveCategories, source.reuse);
  // The context tables are read only where a part is not kept (every part's key holds their SHA-256s).
  let context: Promise<LakeProjects> | null = null;
  const lakeProjects = () => (context ??= readLakeProjects(connection, lake));
  await requireRunColumns(connection, lake);
  const runs = await readTable(connection, lake, TABLES.evaluation_runs, { orderBy: ["project_id", "evaluation_id"] });
  // What the parts take from the context tables, so that a changed evaluation alone reads none of them.
  const { units, projects, exposure, titles } = await parts.context(async () => {
    const { units, projects, exposure, outcomeEvaluations } = await lakeProjects();
    // Lithuanian titles come from the context tables (projects.json), beside the evaluation tables' figures.
    const titles = outcomeEvaluations.map((e) => [e.id, { title_lt: e.title_lt ?? null, control_note_lt: e.control_note_lt ?? null }] as const);
    return { units, projects: projects.map((p) => p.id), exposure, titles };
  });
  const titleOf = new Map(titles);
  const out: PublishedEvaluationData = { units, projects: [] };
  for (const [position, id] of projects.entries()) {
    const published = await parts.project(id, position, async () => projectOf(connection, lake, await lakeProjects(), position));
    const evaluations = [];
    for (const run of runs.filter((r) => r.project_id === id))
      evaluations.push(
        await parts.evaluation(run.evaluation_id!, run, async () => ({
          ...(await evaluationOf(connection, lake, run, exposure, source.sensitiveCategories)),
          title_lt: titleOf.get(run.evaluation_id!)?.title_lt ?? null,
          control_note_lt: titleOf.get(run.evaluation_id!)?.control_note_lt ?? null,
        })),
      );
    out.projects.push({ ...published, evaluations });
  }
  await parts.save();
  return out;
}

type PublishedProject = PublishedEvaluationData["projects"][number];

/** A project's part of evaluation.json but its evaluations: the context's fields and its indicators' progress. */
async function projectOf(connection: DuckDBConnection, lake: string, context: LakeProjects, position: number): Promise<Omit<PublishedProject, "evaluations">> {
  const project = context.projects[position]!;
  const id = project.id;
  // Lithuanian names come from the context tables (projects.json), beside the evaluation tables' figures.
  const statedIndicator = new Map(context.indicators.map((i) => [i.id, i]));
  const ofProject = { where: { sql: "project = $project", params: { project: id } } };
  // File order within a project is the order the evaluate stage wrote (checkpoints by date).
  const own = (await readTable(connection, lake, TABLES.evaluation_indicators, ofProject))
    .map((row, position) => ({ row, position }))
    // Process indicators first, then outcome indicators, each by id (as the project's report lists them).
    .sort((a, b) => rank(a.row.kind) - rank(b.row.kind) || compare(a.row.indicator_id, b.row.indicator_id) || a.position - b.position)
    .map(({ row }) => row);
  const points = await readTable(connection, lake, TABLES.evaluation_checkpoints, ofProject);
  return {
    id: project.id,
    title: project.title,
    title_lt: project.title_lt ?? null,
    country: project.country,
    promoter: project.promoter,
    promoter_lt: project.promoter_lt ?? null,
    programme: project.programme,
    programme_lt: project.programme_lt ?? null,
    funding: project.funding ? { amount: project.funding.amount, currency: project.funding.currency } : null,
    period: { start: toMonth(project.period.start), end: toMonth(project.period.end) },
    note: project.note,
    indicators: own.map((i) =>
      withLithuanian(
        indicatorOf(
          i,
          points.filter((c) => c.indicator_id === i.indicator_id),
        ),
        statedIndicator.get(i.indicator_id!),
      ),
    ),
  };
}

/** The indicator with its Lithuanian name and checkpoint labels from projects.json (null where it gives none). */
function withLithuanian(published: EvaluationIndicator, stated: Indicator | undefined): EvaluationIndicator {
  return {
    ...published,
    name_lt: stated?.name_lt ?? null,
    checkpoints: published.checkpoints.map((c) => ({ ...c, label_lt: stated?.checkpoints.find((s) => s.label === c.label)?.label_lt ?? null })),
  };
}

const rank = (kind: string | null) => (kind === "process" ? 0 : 1);
const compare = (a: string | null, b: string | null) => ((a ?? "") < (b ?? "") ? -1 : (a ?? "") > (b ?? "") ? 1 : 0);

function indicatorOf(i: Row<"evaluation_indicators">, checkpoints: ReadonlyArray<Row<"evaluation_checkpoints">>): EvaluationIndicator {
  return {
    id: i.indicator_id!,
    name: i.name!,
    kind: i.kind as EvaluationIndicator["kind"],
    unit: i.unit!,
    baseline: i.baseline,
    baseline_period: coarsen(i.baseline_period),
    target: i.target,
    achieved: i.achieved,
    achieved_qualifier: i.achieved_qualifier as Qualifier | null,
    period: coarsen(i.period),
    desired_direction: i.desired_direction as EvaluationIndicator["desired_direction"],
    percent_of_target: i.percent_of_target === null ? null : round(i.percent_of_target, 1),
    target_met: i.target_met,
    change_from_baseline: i.change_from_baseline,
    percent_change_from_baseline: i.percent_change_from_baseline === null ? null : round(i.percent_change_from_baseline, 1),
    direction_met: i.direction_met,
    note: i.note,
    checkpoints: checkpoints.map((c) => ({
      label: c.label!,
      month: toMonth(c.date),
      value: c.value!,
      basis: c.basis as "cumulative" | "in_period",
      qualifier: c.qualifier as Qualifier,
      cumulative: c.cumulative!,
      cumulative_qualifier: c.cumulative_qualifier as Qualifier,
      percent_of_target: c.percent_of_target === null ? null : round(c.percent_of_target, 1),
    })),
  };
}

async function evaluationOf(
  connection: DuckDBConnection,
  lake: string,
  run: Row<"evaluation_runs">,
  exposure: readonly ExposureRow[],
  sensitive: ReadonlySet<string>,
): Promise<PublishedEvaluationData["projects"][number]["evaluations"][number]> {
  const where = { sql: "evaluation = $evaluation", params: { evaluation: run.evaluation_id! } };
  const read = <C extends TableColumns>(table: LakeTable<C>) => readTable(connection, lake, table, { where });
  const base = { id: run.evaluation_id!, title: run.title!, control_note: run.control_note };
  const notes = await read(TABLES.evaluation_notes);
  const texts = (kind: string) =>
    notes
      .filter((n) => n.kind === kind)
      .sort((a, b) => a.position! - b.position!)
      .map((n) => n.text!);
  // Lithuanian beside each English text, null where the lake has none (older lakes).
  const textsLt = (kind: string) =>
    notes
      .filter((n) => n.kind === kind)
      .sort((a, b) => a.position! - b.position!)
      .map((n) => n.text_lt);
  if (run.error !== null || run.area === null) {
    const none = { label: "", first_month: "", last_month: "", days: 0 };
    return {
      ...base,
      area: run.area_spec!,
      control: run.control_spec ?? null,
      before: none,
      after: none,
      confidence_level: 0.95,
      outcomes: [],
      history: [],
      exposure: null,
      cross_checks: [],
      caveats: [],
      caveats_lt: [],
      error: run.error,
      area_parts: null,
      control_parts: null,
      design: null,
      time_series: [],
      time_series_assumptions: [],
      time_series_assumptions_lt: [],
      placebo_tests: [],
      synthetic_control: [],
      withheld_categories: [],
      all_excludes: [],
    };
  }
  const period = (label: string | null, first: string | null, last: string | null, days: number | null) => ({
    label: label!,
    first_month: toMonth(first)!,
    last_month: toMonth(last)!,
    days: days!,
  });
  const series = run.exposure_indicator !== null ? exposureSeries(exposure, run.exposure_indicator, run.exposure_area ?? undefined) : null;
  const level = run.confidence_level!;
  const placeboItems = await read(TABLES.evaluation_placebos);
  const outcomeRows = await read(TABLES.evaluation_outcomes);
  const history = await read(TABLES.evaluation_history);
  const timeSeries = await read(TABLES.evaluation_time_series);
  const placeboTests = await read(TABLES.evaluation_placebo_tests);
  const synthetic = await read(TABLES.evaluation_synthetic_control);
  // The reports' rule (release-rules.ts withheldInEvaluation): a sensitive category only where every area counted is a whole municipality,
  // and an "all" counted without one not beside a figure the project publishes for the area.
  const categories = [outcomeRows, history, timeSeries, placeboTests, synthetic].flatMap((rows) =>
    rows.flatMap((r) => (r.category === null ? [] : [r.category])),
  );
  if (categories.includes(ALL_OFFENCES)) requireSensitiveRecorded(run, sensitive);
  const allExcludes = JSON.parse(run.all_excludes ?? "[]") as string[];
  const projectFigures = JSON.parse(run.project_figures ?? "[]") as string[];
  const withheld = new Set(withheldInEvaluation(categories, runAreas(run), { excludes: allExcludes, projectFigures }, { sensitive }));
  const shown = (category: string | null) => category !== null && !withheld.has(category);
  const note = releaseNote(withheld, categories, allExcludes);
  return {
    ...base,
    area: run.area,
    control: run.control_area,
    before: period(run.before_label, run.before_first, run.before_last, run.before_days),
    after: period(run.after_label, run.after_first, run.after_last, run.after_days),
    confidence_level: level,
    outcomes: outcomeRows.filter((row) => shown(row.category)).map(outcomeOf),
    history: history.filter((h) => shown(h.category)).map((h) => ({ category: h.category!, year: h.year!, area: h.area!, control: h.control })),
    exposure: series && {
      indicator: series.indicator,
      area_name: series.area_name,
      unit: series.unit,
      source: series.source,
      source_lt: series.source_lt,
      values: [...series.values].sort(([a], [b]) => a - b).map(([year, value]) => ({ year, value })),
    },
    cross_checks: (await read(TABLES.evaluation_cross_checks))
      .filter((c) => crossCheckShown(c.case_type!, outcomeRows, withheld))
      .map((c) => {
        const check = {
          case_type: c.case_type!,
          seed_before: c.seed_before,
          seed_after: c.seed_after,
          lake_before: c.lake_before!,
          lake_after: c.lake_after!,
          agrees: c.agrees!,
          lake_excludes: JSON.parse(c.lake_excludes ?? "[]") as string[],
        };
        return { ...check, reading: crossCheckReading(check) };
      }),
    // The lake's notes leave out a withheld category's figures (noteTableRows); what was withheld is said as the reports say it.
    caveats: [...texts("caveat"), ...(note ? [note.en] : [])],
    caveats_lt: [...textsLt("caveat"), ...(note ? [note.lt] : [])],
    withheld_categories: [...withheld],
    all_excludes: note?.code.code === "withheld_sensitive" ? note.code.params.all_excludes : [],
    error: null,
    area_parts: parts(run.area_include, run.area_excluded),
    control_parts: parts(run.control_include, run.control_excluded),
    design:
      run.design_level === null
        ? null
        : {
            level: run.design_level,
            at_best: run.design_at_best!,
            label: run.design_label!,
            reason: run.design_reason!,
            to_raise: texts("design_to_raise"),
            label_lt: run.design_label_lt,
            reason_lt: run.design_reason_lt,
            to_raise_lt: textsLt("design_to_raise"),
          },
    time_series: timeSeries.filter((t) => shown(t.category)).map(timeSeriesOf),
    time_series_assumptions: texts("its_assumption"),
    time_series_assumptions_lt: textsLt("its_assumption"),
    placebo_tests: placeboTests
      .filter((t) => shown(t.category))
      .map((t) => ({
        category: t.category!,
        kind: t.kind as PublishedPlaceboTest["kind"],
        estimate: num(t.estimate),
        placebos: t.placebos!,
        compared: t.compared!,
        rank: t.rank,
        p_value: num(t.p_value),
        share_as_large: num(t.share_as_large),
        refused: t.refused,
        text: t.text!,
        // Figures per locality of a sensitive category, or of an "all" counting one, are never published (release-rules.ts perLocalityWithheld).
        items:
          t.kind === "in_space" && perLocalityWithheld(t.category!, allExcludes, { sensitive })
            ? []
            : placeboItems
                .filter((p) => p.category === t.category && p.kind === t.kind)
                .map((p) => ({
                  label: t.kind === "in_time" ? toMonth(p.label)! : p.label!,
                  reached: p.reached,
                  estimate: num(p.estimate),
                  refused: p.refused,
                })),
      })),
    synthetic_control: syntheticControlOf(synthetic, await read(TABLES.evaluation_synthetic_weights), shown, (c) =>
      perLocalityWithheld(c, allExcludes, { sensitive }),
    ),
  };
}

/**
 * Refuses a runs or cross-checks table written before the columns that publishing reads: without the
 * runs' (the kinds of the control and buffer, the categories "all" left out, the sensitive list it ran
 * with) a missing buffer kind would pass for "no buffer" and an "all" that counted the sensitive
 * categories would be published as one that did not; without the cross-checks' `lake_excludes` a
 * difference that is only that exclusion would be published as a disagreement. The evaluate stage
 * writes them again (its fingerprint holds the tables' columns).
 */
async function requireRunColumns(connection: DuckDBConnection, lake: string): Promise<void> {
  const why = {
    [TABLES.evaluation_runs.name]: "publishing them could release a sensitive category's figures",
    [TABLES.evaluation_cross_checks.name]: 'their cross-checks would call a difference that is only the sensitive categories left out of "all" a disagreement',
  };
  for (const table of [TABLES.evaluation_runs, TABLES.evaluation_cross_checks]) {
    const files = (await tableFiles(lake, table)).map((key) => join(lake, ...key.split("/")));
    if (files.length === 0) continue;
    const schema = await connection.runAndReadAll(`SELECT file_name, list(name) AS names FROM parquet_schema($files) GROUP BY file_name ORDER BY file_name`, {
      files: listValue(files),
    });
    for (const row of schema.getRowObjectsJS()) {
      const names = new Set((row.names as string[]).map(String));
      const missing = Object.keys(table.columns).filter((c) => !names.has(c));
      if (missing.length > 0)
        throw new Error(
          `${String(row.file_name)} has no column ${missing.join(", ")}: the lake's evaluations were written by an older version, and ${why[table.name]}; run \`${RECOMPUTE_COMMAND}\` to evaluate them again, then publish`,
        );
    }
  }
}

/**
 * Refuses a run below a municipality whose "all offences" was counted before a category now configured
 * sensitive was: it may hold that category's counts. (A category's own figures follow the list of now.)
 */
function requireSensitiveRecorded(run: Row<"evaluation_runs">, sensitive: ReadonlySet<string>): void {
  const recorded = new Set(JSON.parse(run.sensitive_categories ?? "[]") as string[]);
  const added = excludedFromEvaluationAll(runAreas(run), { sensitive }).filter((c) => !recorded.has(c));
  if (added.length > 0)
    throw new Error(
      `evaluation ${run.evaluation_id} was run before ${added.join(", ")} was configured sensitive, so its "all offences" may hold its counts; run \`${RECOMPUTE_COMMAND}\` to evaluate again, then publish`,
    );
}

/** The areas an evaluation counted in, as its run row records them (a control given whose kind is not recorded: unknown). */
function runAreas(run: Row<"evaluation_runs">): EvaluationAreaKinds {
  return [
    { kind: run.area_kind },
    run.control_area === null ? null : { kind: run.control_kind },
    run.buffer_kind === null ? null : { kind: run.buffer_kind },
    run.buffer_control_kind === null ? null : { kind: run.buffer_control_kind },
  ];
}

function syntheticControlOf(
  controls: ReadonlyArray<Row<"evaluation_synthetic_control">>,
  weights: ReadonlyArray<Row<"evaluation_synthetic_weights">>,
  shown: (category: string | null) => boolean,
  perLocality: (category: string) => boolean,
): PublishedSyntheticControl[] {
  return controls
    .filter((s) => shown(s.category))
    .map((s) => ({
      category: s.category!,
      refused: s.refused!,
      reason: s.reason,
      reason_lt: s.reason_lt,
      donors: s.donors!,
      pre_months: s.pre_months!,
      post_months: s.post_months!,
      pre_rmspe: num(s.pre_rmspe, 3),
      post_rmspe: num(s.post_rmspe, 3),
      treated_post: num(s.treated_post, 3),
      synthetic_post: num(s.synthetic_post, 3),
      ratio: num(s.ratio),
      placebos:
        s.placebo_compared === null
          ? null
          : { rmspe_ratio: num(s.rmspe_ratio), compared: s.placebo_compared, rank: s.placebo_rank, p_value: num(s.placebo_p_value) },
      text: perLocality(s.category!) ? null : s.text,
      weights: perLocality(s.category!)
        ? []
        : weights
            .filter((w) => w.category === s.category)
            .sort((a, b) => b.weight! - a.weight!)
            .map((w) => ({ label: w.label!, weight: round(w.weight!, 4) })),
    }));
}

const parts = (include: string | null, excluded: string | null) =>
  include === null ? null : { include, exclude: excluded === null ? [] : (JSON.parse(excluded) as string[]) };

const num = (x: number | null, digits = 4) => (x === null || !Number.isFinite(x) ? null : round(x, digits));

function outcomeOf(r: Row<"evaluation_outcomes">): EvaluationOutcome & PublishedOutcomeExtras {
  const months_needed = (["observed", "moderate"] as const).flatMap((basis) => {
    const ratio = basis === "observed" ? r.months_needed_observed_ratio : r.months_needed_moderate_ratio;
    const months = basis === "observed" ? r.months_needed_observed : r.months_needed_moderate;
    return ratio === null ? [] : [{ basis, ratio: round(ratio, 4), months }];
  });
  return {
    category: r.category!,
    case_type: r.case_type!,
    desired_direction: r.desired_direction as EvaluationOutcome["desired_direction"],
    before: r.before!,
    after: r.after!,
    before_scaled: round(r.before_scaled!, 3),
    before_ci: [round(r.before_scaled_ci_low!, 3), round(r.before_scaled_ci_high!, 3)],
    after_ci: [round(r.after_ci_low!, 3), round(r.after_ci_high!, 3)],
    change: round(r.change!, 3),
    percent_change: num(r.percent_change, 1),
    rate_ratio: num(r.rate_ratio),
    ci_low: round(r.ci_low!, 4),
    ci_high: num(r.ci_high),
    exact_p: round(r.exact_p!, 4),
    e_test_p: round(r.e_test_p!, 4),
    significant: r.significant!,
    direction_met: r.direction_met,
    too_small_to_show_change: r.too_small_to_show_change!,
    exposure:
      r.exposure_indicator === null
        ? null
        : {
            before_rate: round(r.before_rate!, 3),
            after_rate: round(r.after_rate!, 3),
            rate_ratio: num(r.exposure_rate_ratio),
            p_value: round(r.exposure_p!, 4),
            per: r.exposure_per!,
          },
    control:
      r.control_before === null
        ? null
        : {
            before: r.control_before,
            after: r.control_after!,
            wdd: round(r.wdd!, 3),
            ci_low: round(r.wdd_ci_low!, 3),
            ci_high: round(r.wdd_ci_high!, 3),
            p_value: round(r.wdd_p!, 4),
          },
    detectable: {
      power: round(r.power!, 4),
      alpha: round(r.power_alpha!, 4),
      rise_ratio: num(r.mde_rise_ratio),
      fall_ratio: num(r.mde_fall_ratio),
      wdd_cases: num(r.mde_wdd_cases, 3),
      months_needed,
    },
    displacement:
      r.buffer_before === null
        ? null
        : {
            buffer_before: r.buffer_before,
            buffer_after: r.buffer_after!,
            wdq: num(r.wdq),
            wdq_ci: [num(r.wdq_ci_low), num(r.wdq_ci_high)],
            tne: num(r.tne, 3),
            tne_ci: [num(r.tne_ci_low, 3), num(r.tne_ci_high, 3)],
            reading: r.wdq_reading,
            reading_text: r.wdq_reading_text,
            wdd_tne_reading: r.wdd_tne_reading,
            wdd_tne_reading_lt: r.wdd_tne_reading_lt,
          },
  };
}

function timeSeriesOf(t: Row<"evaluation_time_series">): PublishedTimeSeries {
  const estimate = (ratio: number | null, low: number | null, high: number | null, p: number | null): PublishedEstimate | null =>
    ratio === null ? null : { ratio: round(ratio, 4), ci_low: round(low!, 4), ci_high: round(high!, 4), p_value: round(p!, 4) };
  return {
    category: t.category!,
    first_month: t.first_month,
    last_month: t.last_month,
    intervention_month: t.intervention_month!,
    refused: t.refused!,
    reason: t.reason,
    reason_lt: t.reason_lt,
    pre_months: t.pre_months!,
    post_months: t.post_months!,
    total: t.total!,
    seasonality: t.seasonality,
    family: t.family,
    theta: num(t.theta, 3),
    level_change: estimate(t.level_change, t.level_ci_low, t.level_ci_high, t.level_p),
    slope_change: estimate(t.slope_change, t.slope_ci_low, t.slope_ci_high, t.slope_p),
    pre_trend: estimate(t.pre_trend, t.pre_trend_ci_low, t.pre_trend_ci_high, t.pre_trend_p),
    text: t.text!,
  };
}

/** A period text ("2018", "2019-06-30", "2019/2020") with every date cut to the month. */
function coarsen(period: string | null): string | null {
  return period === null
    ? null
    : period
        .split("/")
        .map((p) => toMonth(p))
        .join("/");
}
