/**
 * The lake's tables, each declared once: its folder, how it is partitioned, how its files are named,
 * where the manifest lists them, and its columns with their DuckDB types (from which the TypeScript
 * row types are inferred). Everything else is derived from this list: the paths writers and readers
 * use (`table-paths.ts`), the typed writer (`table-writer.ts`) and reader (`table-reader.ts`), the
 * folders the manifest governs, the S3 download scopes of the stages (`../stages.ts`), and the Glue
 * tables Athena queries (`infra/lib/lake-catalog.ts`). Adding a table is one entry here and the stage
 * that writes it.
 *
 * A table folder is Hive-partitioned when it has a partition key (`month=2019-06/`, or
 * `evaluation=<id>/` and `project=<id>/` for the evaluation tables): DuckDB, Athena and Glue partition
 * projection read the key from the path, so it is not stored inside the files. Each table has its own
 * folder, because Glue reads every file under a table's location.
 */

/** Column types the lake's Parquet files use (DuckDB names; TIMESTAMPTZ is TIMESTAMP WITH TIME ZONE). */
export type ColumnType = "VARCHAR" | "INTEGER" | "DOUBLE" | "TINYINT" | "BOOLEAN" | "TIMESTAMPTZ";

/** A table's columns as name → type, in file order (names come from code, never from input). */
export type TableColumns = Readonly<Record<string, ColumnType>>;

/** The JavaScript value of a column type, as DuckDB's `getRowObjectsJS` gives it and the writer takes it. */
export type ColumnValue<T extends ColumnType> = T extends "VARCHAR" ? string : T extends "BOOLEAN" ? boolean : T extends "TIMESTAMPTZ" ? Date : number;

/** A row to write: a missing value, null or a non-finite number is written as NULL. */
export type RowToWrite<C extends TableColumns> = { readonly [K in keyof C]?: ColumnValue<C[K]> | null };

/** A row as read back: every column present, null where the file holds NULL. */
export type StoredRow<C extends TableColumns> = { [K in keyof C]: ColumnValue<C[K]> | null };

/** What names a table's files inside its folder (or partition folder). */
export type FileNaming =
  /** One file per input file, named by the source's name (`<source>.parquet`). */
  | "per-source"
  /** One file per offence category (`<category>.parquet`), so re-running one category replaces only its file. */
  | "per-category"
  /** One file of this name. */
  | `${string}.parquet`;

export interface LakeTable<C extends TableColumns = TableColumns> {
  /** The table's name in the registry, in Glue and in Athena queries. */
  name: string;
  /** Its folder under the lake root (forward slashes). */
  folder: string;
  /** The Hive partition key of its sub-folders, or null for files directly in the folder. */
  partition: "month" | "evaluation" | "project" | null;
  file: FileNaming;
  /**
   * The key under `manifest.tables` that lists its files with rows and checksums, or null when the
   * manifest accounts for them otherwise (the quarantine: one file per source in `manifest.sources`).
   */
  manifest: string | null;
  description: string;
  columns: C;
}

const table = <C extends TableColumns>(definition: LakeTable<C>): LakeTable<C> => definition;

const V = "VARCHAR";
const D = "DOUBLE";
const I = "INTEGER";
const B = "BOOLEAN";
const T = "TINYINT";

/**
 * The columns of an indicator as its project's documents state it, shared by the context table that
 * stores them (project_indicators) and the evaluation table that repeats them beside the progress
 * computed from them (evaluation_indicators). Two sets, so that each table keeps its column order.
 */
const INDICATOR_STATED = {
  kind: V,
  unit: V,
  baseline: D,
  baseline_period: V,
  target: D,
  achieved: D,
  achieved_qualifier: V,
  period: V,
  desired_direction: V,
} as const;
/** Where an indicator's figures come from, and what the source says about them. */
const INDICATOR_SOURCE = { source_document: V, note: V } as const;
/** The before and after periods of an evaluation, as its outcome rows and its run record both carry them. */
const EVALUATION_PERIODS = {
  before_label: V,
  before_first: V,
  before_last: V,
  before_days: I,
  after_label: V,
  after_first: V,
  after_last: V,
  after_days: I,
} as const;

/** Every lake table. */
export const TABLES = {
  incidents: table({
    name: "incidents",
    folder: "incidents",
    partition: "month",
    file: "per-source",
    manifest: "incidents",
    description: "Validated incidents, one file per input file and calendar month of the lake's time zone",
    columns: {
      id: V,
      occurred_at: "TIMESTAMPTZ",
      time_precision: V,
      offence_code: V,
      offence_category: V,
      case_type: V,
      lat: D,
      lon: D,
      municipality: V,
      locality: V,
      source: V,
      h3_cell: V,
      source_file: V,
      source_line: I,
    },
  }),
  // The aggregates (aggregates.ts): one file per incident partition, same month and export name,
  // written in the same commit, so every reader after ingest counts from them and never from rows.
  cell_counts: table({
    name: "cell_counts",
    folder: "cell_counts",
    partition: "month",
    file: "per-source",
    manifest: "cell_counts",
    description:
      "Incidents per stored H3 cell, offence category, case type and municipality of an incident partition: the hot spots', forecasts' and dashboard counts",
    columns: { h3_cell: V, offence_category: V, case_type: V, municipality: V, incidents: I },
  }),
  day_counts: table({
    name: "day_counts",
    folder: "day_counts",
    partition: "month",
    file: "per-source",
    manifest: "day_counts",
    description:
      "Incidents per local day and hour, time precision, municipality, locality, stored H3 cell, offence code and category, case type and source of an incident partition: the evaluations' and the briefing's counts",
    // day: the local calendar date (YYYY-MM-DD) in the lake's time zone; hour: its local hour 0–23, only where time_precision is 'minute' or 'hour'.
    columns: {
      day: V,
      hour: T,
      time_precision: V,
      municipality: V,
      locality: V,
      h3_cell: V,
      offence_code: V,
      offence_category: V,
      case_type: V,
      source: V,
      incidents: I,
    },
  }),
  quarantine: table({
    name: "quarantine",
    folder: "quarantine",
    partition: null,
    file: "per-source",
    manifest: null,
    description: "Refused rows with file, line and reason, one file per input file",
    columns: { file: V, line: I, code: V, reason: V, raw: V },
  }),
  hot_spots: table({
    name: "hot_spots",
    folder: "hotspots",
    partition: "month",
    file: "hotspots.parquet",
    manifest: "hot_spots",
    description: "Monthly Getis-Ord Gi* per study-area cell and offence category, zeros included",
    columns: {
      category: V,
      h3_cell: V,
      incidents: I,
      gi_z: D,
      p_value: D,
      gi_bin: T,
      gi_bin_fdr: T,
      status: V,
      inference: V,
      h3_resolution: T,
      k: T,
      study_area: V,
    },
  }),
  emerging: table({
    name: "emerging",
    folder: "emerging",
    partition: "month",
    file: "per-category",
    manifest: "emerging",
    description: "Emerging hot-spot category of every study-area cell over the months up to the partition's month",
    columns: {
      offence_category: V,
      h3_cell: V,
      emerging_category: V,
      hot_months: I,
      cold_months: I,
      trend_z: D,
      trend_p: D,
      final_gi_z: D,
      final_gi_bin: T,
      first_month: V,
      months: I,
      h3_resolution: T,
      k: T,
      time_window: I,
      fdr: B,
      min_bin: T,
      trend_alpha: D,
      study_area: V,
    },
  }),
  forecasts: table({
    name: "forecasts",
    folder: "forecasts",
    partition: "month",
    file: "per-category",
    manifest: "forecasts",
    description: "Ranked patrol-priority cells for the partition's month, per method",
    columns: {
      offence_category: V,
      method: V,
      rank: I,
      h3_cell: V,
      score: D,
      area_km2: D,
      cumulative_area_share: D,
      history_from: V,
      chosen_method: V,
      selection_reason: V,
      selection_margin: D,
      gain_over_baseline: D,
      runner_up: V,
      selection_months: I,
      h3_resolution: T,
      k: T,
      window_months: I,
      half_life_months: D,
      ring_weight: D,
      study_area: V,
    },
  }),
  backtests: table({
    name: "backtests",
    folder: "backtests",
    partition: "month",
    file: "per-category",
    manifest: "backtests",
    description: "Rolling-origin PAI, PEI* and hit rate of each patrol-priority method per forecast month, up to the partition's month",
    columns: {
      offence_category: V,
      method: V,
      forecast_month: V,
      area_target: D,
      area_share: D,
      cells: I,
      hits: I,
      incidents: I,
      hit_rate: D,
      pai: D,
      pai_max: D,
      pei_star: D,
      hits_top_10: I,
      hits_top_20: I,
      chosen_method: V,
      selection_margin: D,
      gain_over_baseline: D,
      h3_resolution: T,
      k: T,
      window_months: I,
      half_life_months: D,
      ring_weight: D,
      min_history_months: I,
      selection_window_months: I,
      study_area: V,
    },
  }),
  exposure: table({
    name: "exposure",
    folder: "context/exposure",
    partition: null,
    file: "exposure.parquet",
    manifest: "context",
    description: "Exposure statistics (Official Statistics Portal long shape) per area, indicator and year",
    // source_lt: the source in Lithuanian; covers: the places the area consists of (`;`-separated); null when the file has no such column.
    columns: { area_code: V, area_name: V, indicator: V, year: I, value: D, unit: V, source: V, source_lt: V, covers: V },
  }),
  projects: table({
    name: "projects",
    folder: "context/projects",
    partition: null,
    file: "projects.parquet",
    manifest: "context",
    description: "Evaluated crime-prevention projects as their seed documents describe them",
    columns: {
      id: V,
      title: V,
      title_lt: V,
      title_in_seed: B,
      country: V,
      promoter: V,
      promoter_lt: V,
      programme: V,
      programme_lt: V,
      funding_amount: D,
      funding_currency: V,
      period_start: V,
      period_end: V,
      source_document: V,
      // The words of the units of this project's indicators ({persons: {en: [...], lt: [...]}}), as JSON.
      unit_names: V,
    },
  }),
  project_indicators: table({
    name: "project_indicators",
    folder: "context/project_indicators",
    partition: null,
    file: "project_indicators.parquet",
    manifest: "context",
    description: "Indicators of the projects with the figures their seed documents state",
    columns: {
      id: V,
      project_id: V,
      name: V,
      name_lt: V,
      ...INDICATOR_STATED,
      ...INDICATOR_SOURCE,
    },
  }),
  project_checkpoints: table({
    name: "project_checkpoints",
    folder: "context/project_checkpoints",
    partition: null,
    file: "project_checkpoints.parquet",
    manifest: "context",
    description: "Intermediate readings of the projects' indicators",
    columns: { indicator_id: V, project_id: V, label: V, label_lt: V, date: V, value: D, basis: V, qualifier: V },
  }),
  project_outcome_evaluations: table({
    name: "project_outcome_evaluations",
    folder: "context/project_outcome_evaluations",
    partition: null,
    file: "project_outcome_evaluations.parquet",
    manifest: "context",
    // The specification is nested (categories, indicator map): kept whole as JSON, validated again when read.
    description: "Outcome evaluations the product re-measures from the incidents, each specification as JSON",
    columns: { id: V, project_id: V, spec: V },
  }),
  evaluation_outcomes: table({
    name: "evaluation_outcomes",
    folder: "evaluations/outcomes",
    partition: "evaluation",
    file: "outcomes.parquet",
    manifest: "evaluations",
    description: "Before/after outcome of an evaluation, one row per category and case type",
    columns: {
      project_id: V,
      indicator_id: V,
      area_kind: V,
      area: V,
      control_area: V,
      buffer_area: V,
      buffer_control_area: V,
      ...EVALUATION_PERIODS,
      category: V,
      case_type: V,
      sensitive: B,
      desired_direction: V,
      before: I,
      after: I,
      before_scaled: D,
      change: D,
      percent_change: D,
      rate_ratio: D,
      exact_p: D,
      ci_low: D,
      ci_high: D,
      confidence_level: D,
      e_test_statistic: D,
      e_test_p: D,
      significant: B,
      direction_met: B,
      too_small_to_show_change: B,
      exposure_indicator: V,
      exposure_area: V,
      before_rate: D,
      after_rate: D,
      exposure_rate_ratio: D,
      exposure_p: D,
      control_before: I,
      control_after: I,
      wdd: D,
      wdd_se: D,
      wdd_z: D,
      wdd_p: D,
      wdd_ci_low: D,
      wdd_ci_high: D,
      buffer_before: I,
      buffer_after: I,
      wdq: D,
      tne: D,
      wdq_reading: V,
      verdict: V,
      // Exact Poisson intervals of the before count scaled to the after period, and of the after count.
      before_scaled_ci_low: D,
      before_scaled_ci_high: D,
      after_ci_low: D,
      after_ci_high: D,
      exposure_per: D,
      // Power (outcome-power.ts): the smallest rise and fall (after/before rate ratios) and |WDD| detectable with `power`.
      power: D,
      power_alpha: D,
      mde_rise_ratio: D,
      mde_fall_ratio: D,
      mde_wdd_cases: D,
      // Months each of two equal periods would need for the observed and a moderate change (ratio null: not computed; months null: over 50 years).
      months_needed_observed_ratio: D,
      months_needed_observed: I,
      months_needed_moderate_ratio: D,
      months_needed_moderate: I,
      // Delta-method intervals of the TNE and the WDQ (null bound: unbounded), and the readings in words.
      tne_ci_low: D,
      tne_ci_high: D,
      wdq_ci_low: D,
      wdq_ci_high: D,
      wdq_reading_text: V,
      wdd_tne_reading: V,
      // The reading in Lithuanian; null in lakes written before it.
      wdd_tne_reading_lt: V,
    },
  }),
  evaluation_runs: table({
    name: "evaluation_runs",
    folder: "evaluations/runs",
    partition: "evaluation",
    file: "run.parquet",
    manifest: "evaluations",
    description: "One row per evaluation: its specification, areas and periods as counted, the design's Maryland SMS rating, or why it failed",
    // The evaluation id is also the partition key; kept as a column so that a reader of all runs has it.
    columns: {
      evaluation_id: V,
      project_id: V,
      title: V,
      area_spec: V,
      control_spec: V,
      control_note: V,
      control_reached: B,
      error: V,
      area_kind: V,
      area: V,
      control_area: V,
      ...EVALUATION_PERIODS,
      confidence_level: D,
      exposure_indicator: V,
      exposure_area: V,
      design_level: T,
      design_at_best: B,
      design_label: V,
      design_reason: V,
      // The label and reason in Lithuanian; null in lakes written before them.
      design_label_lt: V,
      design_reason_lt: V,
      // The areas in parts, for a reader that words them in its own language: the included area's label and the excluded ones' (JSON arrays).
      area_include: V,
      area_excluded: V,
      control_include: V,
      control_excluded: V,
      // The kinds of the other areas counted (null for a role not given), for the release rule of a sensitive category (release-rules.ts withheldInEvaluation).
      control_kind: V,
      buffer_kind: V,
      buffer_control_kind: V,
      // The sensitive categories "all" was counted without (a JSON array; release-rules.ts excludedFromEvaluationAll).
      all_excludes: V,
      // The configured sensitive categories the evaluation ran with (a JSON array): publish refuses runs of another list.
      sensitive_categories: V,
      // The indicators it cross-checks whose figures the project publishes for its area (a JSON array; release-rules.ts withheldInEvaluation).
      project_figures: V,
    },
  }),
  evaluation_notes: table({
    name: "evaluation_notes",
    folder: "evaluations/notes",
    partition: "evaluation",
    file: "notes.parquet",
    manifest: "evaluations",
    description: "Texts of an evaluation in order: caveats, what would raise the design's level, the time series' assumptions (English and Lithuanian)",
    // text_lt: the same text in Lithuanian; null in lakes written before it existed.
    columns: { kind: V, position: I, text: V, text_lt: V },
  }),
  evaluation_history: table({
    name: "evaluation_history",
    folder: "evaluations/history",
    partition: "evaluation",
    file: "history.parquet",
    manifest: "evaluations",
    description: "Yearly counts of the evaluation area and its control per category, complete years only",
    columns: { category: V, year: I, area: I, control: I },
  }),
  evaluation_cross_checks: table({
    name: "evaluation_cross_checks",
    folder: "evaluations/cross_checks",
    partition: "evaluation",
    file: "cross_checks.parquet",
    manifest: "evaluations",
    description: "The lake's counts beside the figures the project's seed states, per case type",
    // lake_excludes: the categories the lake's figure was counted without (a JSON array; project-report.ts CrossCheck).
    columns: { case_type: V, indicator_id: V, seed_before: D, seed_after: D, lake_before: I, lake_after: I, agrees: B, lake_excludes: V },
  }),
  evaluation_monthly: table({
    name: "evaluation_monthly",
    folder: "evaluations/monthly",
    partition: "evaluation",
    file: "monthly.parquet",
    manifest: "evaluations",
    description: "Monthly counts of the evaluation area per category, calendar months of the lake's time zone: the interrupted time series' input",
    // synthetic: the synthetic control's count that month (null when none was fitted).
    columns: { category: V, month: V, count: I, synthetic: D },
  }),
  evaluation_synthetic_control: table({
    name: "evaluation_synthetic_control",
    folder: "evaluations/synthetic_control",
    partition: "evaluation",
    file: "synthetic_control.parquet",
    manifest: "evaluations",
    description:
      "Synthetic control per category: donor localities weighted to reproduce the evaluation area's months before the intervention, or why it was refused",
    columns: {
      category: V,
      refused: B,
      reason: V,
      // The reason in Lithuanian; null in lakes written before it.
      reason_lt: V,
      donors: I,
      pre_months: I,
      post_months: I,
      pre_rmspe: D,
      post_rmspe: D,
      treated_post: D,
      synthetic_post: D,
      ratio: D,
      text: V,
      // In-space placebos: the area's RMSPE after / before, ranked among the donors' own (rows kind "synthetic" in evaluation_placebos).
      rmspe_ratio: D,
      placebo_compared: I,
      placebo_rank: I,
      placebo_p_value: D,
    },
  }),
  evaluation_synthetic_weights: table({
    name: "evaluation_synthetic_weights",
    folder: "evaluations/synthetic_weights",
    partition: "evaluation",
    file: "synthetic_weights.parquet",
    manifest: "evaluations",
    description: "The donor localities' weights of each category's synthetic control, largest first (weights below 1e-6 left out)",
    columns: { category: V, label: V, weight: D },
  }),
  evaluation_time_series: table({
    name: "evaluation_time_series",
    folder: "evaluations/time_series",
    partition: "evaluation",
    file: "time_series.parquet",
    manifest: "evaluations",
    description: "Interrupted time series per category (segmented Poisson or negative-binomial regression), or why it was refused",
    columns: {
      category: V,
      first_month: V,
      last_month: V,
      intervention_month: V,
      refused: B,
      reason: V,
      // The reason in Lithuanian; null in lakes written before it.
      reason_lt: V,
      pre_months: I,
      post_months: I,
      total: I,
      seasonality: B,
      family: V,
      theta: D,
      dispersion: D,
      level_change: D,
      level_ci_low: D,
      level_ci_high: D,
      level_p: D,
      slope_change: D,
      slope_ci_low: D,
      slope_ci_high: D,
      slope_p: D,
      pre_trend: D,
      pre_trend_ci_low: D,
      pre_trend_ci_high: D,
      pre_trend_p: D,
      text: V,
    },
  }),
  evaluation_placebos: table({
    name: "evaluation_placebos",
    folder: "evaluations/placebos",
    partition: "evaluation",
    file: "placebos.parquet",
    manifest: "evaluations",
    description:
      "Placebo tests per category: in time (false intervention months, ITS level change), in space (other localities, before/after rate ratio) and synthetic (each donor's post/pre RMSPE ratio)",
    columns: { category: V, kind: V, label: V, reached: B, before: I, after: I, estimate: D, refused: V },
  }),
  evaluation_placebo_tests: table({
    name: "evaluation_placebo_tests",
    folder: "evaluations/placebo_tests",
    partition: "evaluation",
    file: "placebo_tests.parquet",
    manifest: "evaluations",
    description: "Where the evaluation's estimate ranks among its placebos, per category and kind of placebo, or why there is no test",
    columns: { category: V, kind: V, estimate: D, placebos: I, compared: I, rank: I, p_value: D, share_as_large: D, refused: V, text: V },
  }),
  evaluation_indicators: table({
    name: "evaluation_indicators",
    folder: "evaluations/indicators",
    partition: "project",
    file: "indicators.parquet",
    manifest: "evaluations",
    description: "Progress of each indicator of a project against its baseline and target",
    columns: {
      indicator_id: V,
      name: V,
      ...INDICATOR_STATED,
      percent_of_target: D,
      target_met: B,
      change_from_baseline: D,
      percent_change_from_baseline: D,
      direction_met: B,
      status: V,
      ...INDICATOR_SOURCE,
    },
  }),
  evaluation_checkpoints: table({
    name: "evaluation_checkpoints",
    folder: "evaluations/checkpoints",
    partition: "project",
    file: "checkpoints.parquet",
    manifest: "evaluations",
    description: "Each checkpoint of a project's indicators with its cumulative value and share of the target",
    columns: { indicator_id: V, label: V, date: V, value: D, basis: V, qualifier: V, cumulative: D, cumulative_qualifier: V, percent_of_target: D },
  }),
} as const satisfies Record<string, LakeTable>;

export type TableName = keyof typeof TABLES;

/** Every table, in the registry's order. */
export const ALL_TABLES: readonly LakeTable[] = Object.values(TABLES);
