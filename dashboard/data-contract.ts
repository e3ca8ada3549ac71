/**
 * The files that the publish step writes into `dashboard/src/data/` before `observable build`, and
 * that the dashboard pages read with `FileAttachment`. The pages only draw: every number here is
 * computed upstream. Keep this file, the sample-data generator (`test/helpers/sample-dashboard-data.ts`)
 * and the pages in step.
 *
 * Privacy rules every file follows (etl/publish/release-rules.ts): aggregates only (no incident id,
 * no time finer than a calendar month, no incident coordinate); a count below
 * `meta.suppression_threshold`, or one withheld so that a smaller one cannot be worked out by difference,
 * is `null` (shown "withheld", never "< k": a withheld count may be large), 0 is 0; no difference of published counts
 * gives a count below the threshold; the sensitive categories (`meta.sensitive_categories`) appear
 * only in municipality-level counts, never per cell nor inside a per-cell "all"; Gi* is published as
 * bins only (no z, no p), and only where the cell's neighbourhood holds 0 or at least the threshold.
 */

/** File names under `dashboard/src/data/`. */
export const DASHBOARD_DATA_FILES = {
  meta: "meta.json",
  monthlyCounts: "monthly-counts.json",
  yearlyCounts: "yearly-counts.json",
  hotspots: "hotspots.json",
  hexagons: "hexagons.json",
  municipalities: "municipalities.json",
  emerging: "emerging.json",
  patrol: "patrol.json",
  patrolCategories: "patrol-categories.json",
  evaluation: "evaluation.json",
  dataQuality: "data-quality.json",
  places: "places.json",
} as const;

export type DashboardDataFile = (typeof DASHBOARD_DATA_FILES)[keyof typeof DASHBOARD_DATA_FILES];

/** Pages of the dashboard (path → source file under `src/`). */
export const DASHBOARD_PAGES = {
  "/": "index.md",
  "/hotspots": "hotspots.md",
  "/emerging": "emerging.md",
  "/patrol": "patrol.md",
  "/evaluation": "evaluation.md",
  "/data-quality": "data-quality.md",
} as const;

export type DashboardPage = keyof typeof DASHBOARD_PAGES;

/**
 * The data files each page loads at first render; their total must stay within {@link PAGE_DATA_BUDGET_BYTES}.
 * `/patrol` loads patrol-categories.json later, once, when a category other than the first is chosen.
 */
export const PAGE_DATA: Record<DashboardPage, readonly DashboardDataFile[]> = {
  "/": ["meta.json", "monthly-counts.json", "yearly-counts.json"],
  "/hotspots": ["meta.json", "hotspots.json", "hexagons.json", "municipalities.json", "places.json"],
  "/emerging": ["meta.json", "emerging.json", "hexagons.json", "municipalities.json", "places.json"],
  "/patrol": ["meta.json", "patrol.json", "hexagons.json", "municipalities.json", "places.json"],
  "/evaluation": ["meta.json", "evaluation.json"],
  "/data-quality": ["meta.json", "data-quality.json"],
};

/** Most data a page may load (uncompressed bytes): pages must open quickly on a police laptop. */
export const PAGE_DATA_BUDGET_BYTES = 3_000_000;

/** `meta.json`: what the data covers and how it was produced. */
export interface DashboardMeta {
  /** The project's title from its configuration (one text, or one per language); null: the generic title. */
  title: string | { lt: string; en: string } | null;
  /** ISO 8601 timestamp of the publish run (the one value finer than a month, and not an incident's). */
  generated_at: string;
  /**
   * Credit for the municipality outlines drawn under the maps, e.g. "Municipality outlines ©
   * OpenStreetMap contributors, ODbL"; null where none are drawn (a hull study area).
   */
  attribution: string | null;
  /** Counts below this are published as `null` and shown as "< threshold". */
  suppression_threshold: number;
  /** Categories published only per municipality, never per cell. */
  sensitive_categories: string[];
  /** H3 resolution of the cells (8). */
  resolution: number;
  /** Neighbourhood ring size of the Gi* weights (k-ring). */
  k: number;
  /** IANA time zone the months were cut in ("Europe/Vilnius"). */
  timezone: string;
  /** The study area's municipalities, e.g. "Šiaulių m. sav. + Šiaulių r. sav."; "" for a hull study area. */
  study_area: string;
  /** For a hull study area (`study_area: { hull }`): the rings of cells around the incidents' hull; null for municipalities. */
  hull_ring: number | null;
  /**
   * For a hull study area: its outline, the union of the cells Gi* was computed over (corners of the
   * H3 grid of `properties.resolution`),
   * which the maps draw where there are no municipality outlines, so that a hot spot is seen within
   * the city; null for municipalities (their outlines are municipalities.json).
   */
  study_area_outline: PolygonFeature<{ resolution: number }> | null;
  /** Every month covered, "YYYY-MM", ascending: the analysed months (see `before_analysis`). */
  months: string[];
  /**
   * The incidents dated before the first month the analyses use (`start`; the lake's first month
   * holding a tenth of a typical month: earlier ones hold late reports or mistyped years). They are
   * in `summary.rows_ingested` and data-quality.json's months, not in the monthly or yearly counts;
   * `count` is their number, released with those counts (null: withheld). null: none precede it.
   */
  before_analysis: { start: string; count: number | null } | null;
  /**
   * The months after the analysed ones that the hot spots, trends and forecasts leave out: one not
   * ended when the data were published ("not_ended"), or a last month of too few incidents to be a
   * whole month ("too_few": under a tenth of a typical month, an export's partial edge). They are in
   * the monthly counts; `count` is the month's incidents, released with them (null: withheld).
   */
  not_analysed: Array<{ month: string; reason: "not_ended" | "too_few"; count: number | null }>;
  /** "all" first, then the incident categories (sensitive ones included: they have municipality counts). */
  categories: string[];
  summary: { rows_read: number; rows_ingested: number; rows_quarantined: number };
}

/**
 * One row of `monthly-counts.json`: a month, municipality and category, or "all" — the
 * municipality's total over every category (sensitive ones included: this is municipality level),
 * released together with its categories so that no difference gives a small count.
 */
export interface MonthlyCount {
  month: string;
  category: string;
  municipality: string;
  /** `null` when suppressed (below `suppression_threshold`, or withheld so that the total minus the published parts is not small); 0 is 0. */
  count: number | null;
  /**
   * Mean of the 12 months up to this one, as a whole number, only where every one of them is
   * published (`count` not null): `null` when one is withheld (a mean of them would narrow it down),
   * and for the first 11 months of the data. A month with no incident but an average has `count` 0.
   */
  average_12m: number | null;
}

/**
 * One row of `yearly-counts.json`: incidents per year and category over the whole study area,
 * suppressed at that level (so a rare category is not hidden just because each month was small).
 * `category` "all" is the year's total over every category, released together with them.
 */
export interface YearlyCount {
  year: string;
  category: string;
  /** `null` when suppressed (a count below `suppression_threshold`). */
  count: number | null;
}

/** Getis-Ord Gi* confidence bin as ArcGIS reports it: ±3 = 99 %, ±2 = 95 %, ±1 = 90 %; hot > 0. */
export type GiBin = -3 | -2 | -1 | 1 | 2 | 3;

/**
 * The published significant cells of one month and category in `hotspots.json`, as parallel columns
 * (one entry per cell whose bin without FDR is not 0 and whose neighbourhood count may be shown):
 * compact enough for seven years on one page. No z-score or p-value: a set of them, with the grid
 * and the month's totals, gives neighbourhood counts back.
 */
export interface HotspotGroup {
  month: string;
  /** "all" (every non-sensitive category, see {@link HotspotTable.all_excludes}) or a non-sensitive category. */
  category: string;
  /** Index into {@link HotspotTable.cells}. */
  cell: number[];
  bin: GiBin[];
  /** The bin after Benjamini-Hochberg false-discovery-rate control (0: not significant then). */
  bin_fdr: Array<GiBin | 0>;
  /**
   * Incidents of the category in the cell that month, `null` below the threshold or where
   * complementary suppression withholds it ("all" minus the categories published for the cell must
   * not be a small count). For "all" it counts the non-sensitive categories only.
   */
  count: Array<number | null>;
  /** Significant cells (without / with FDR) not listed: their neighbourhood holds 1 to threshold − 1 incidents. */
  withheld: number;
  withheld_fdr: number;
}

/** `hotspots.json`. */
export interface HotspotTable {
  /** H3 cell ids (hex strings) that the groups index. */
  cells: string[];
  /** "all" first, then the non-sensitive categories. */
  categories: string[];
  /** The categories "all" leaves out (the sensitive ones): its Gi* and counts are over the others. */
  all_excludes: string[];
  groups: HotspotGroup[];
  /**
   * Months and categories ("all" or non-sensitive) with too few incidents to test: all in one cell,
   * or so sparse that no cell could reach 90 % (see etl/analytics/gi-star-permutation.ts); they have no
   * binned cell, and the page says why instead of "no significant cell".
   */
  untested: Array<{ month: string; category: string }>;
  /**
   * How each month's p-values were obtained: of the published category-months tested ("all" and the
   * non-sensitive categories, untested ones left out), how many by the exact permutation distribution,
   * by Monte Carlo permutations, or by the normal approximation (aggregates: no cell's figure). Months
   * with none tested are left out; absent in data published before it (the page then names no method).
   */
  inference?: HotspotInference[];
  /** Replicates of the Monte Carlo permutation test (the lake's parameters); null under the normal approximation. */
  permutations?: number | null;
}

/** Category-months of one month by the way their Gi* p-values were obtained (see {@link HotspotTable.inference}). */
export interface HotspotInference {
  month: string;
  exact: number;
  monte_carlo: number;
  normal: number;
}

/** One significant cell, as the page decodes a {@link HotspotGroup}. */
export interface HotspotRow {
  month: string;
  category: string;
  cell: string;
  bin: GiBin;
  bin_fdr: GiBin | 0;
  count: number | null;
}

/** A GeoJSON polygon ring: closed, positions as [longitude, latitude]. */
export type Ring = Array<[number, number]>;

export interface PolygonFeature<P> {
  type: "Feature";
  properties: P;
  geometry: { type: "Polygon"; coordinates: Ring[] } | { type: "MultiPolygon"; coordinates: Ring[][] };
}

export interface FeatureCollection<P> {
  type: "FeatureCollection";
  features: Array<PolygonFeature<P>>;
}

/**
 * `hexagons.json`: the outline of every cell that a map draws (hot spots, emerging hot spots, patrol
 * priorities), with the municipality its centre lies in (null outside every outline) and where it is
 * in words per language: the places file's description, else the locality most of its incidents
 * report (the export's own name, the same in both languages: etl/publish/locality-names.ts), else null;
 * told apart where cells share one (a compass point, and a number where that is shared too:
 * `distinctCellNames`, etl/publish/cell-place-names.ts), so a page shows them as they are. `locality`:
 * the locality that names the cell, as it is (present only where a locality names it), which the maps
 * of a city without a places file label.
 */
export type HexagonCollection = FeatureCollection<{
  cell: string;
  municipality: string | null;
  place_lt: string | null;
  place_en: string | null;
  locality?: string;
}>;

/**
 * One named place of `places.json`, which the maps label: a public reference point from the
 * configured places file (OpenStreetMap), inside the study area's box, never derived from incidents.
 * `kind` is OpenStreetMap's `place` value (city, town, suburb, quarter, neighbourhood, village) or
 * `police` for a police station. The file is an empty list where no places file is configured.
 */
export interface MapPlace {
  name: string;
  /** The English name where the file gives one that differs, else null. The maps label `name`, the name cells are described by (map-places.ts placeName). */
  name_en: string | null;
  kind: string;
  population: number | null;
  /** [longitude, latitude] as the places file gives them. */
  position: [number, number];
}

/** `municipalities.json`: municipality outlines. */
export type MunicipalityCollection = FeatureCollection<{ name: string }>;

/** ArcGIS emerging hot-spot patterns (`<pattern>_hot_spot`, `<pattern>_cold_spot`, `no_pattern`). */
export type EmergingPattern = string;

/** `emerging.json`: emerging hot-spot categories of the cells, per offence category analysed. */
export interface EmergingData {
  /** Offence categories with a published classification ("all" first; never a sensitive one). */
  categories: string[];
  /** Per offence category: the months analysed and the settings. */
  runs: Array<{
    category: string;
    first_month: string;
    last_month: string;
    months: number;
    fdr: boolean;
    /** Smallest |bin| counted as significant (2 = 95 %). */
    min_bin: number;
    trend_alpha: number;
    /** Space-time Gi*: the previous months in a cell's neighbourhood (ArcGIS's neighbourhood time step); null: each month's Gi* alone. */
    time_window: number | null;
    /** Cells per pattern, `no_pattern` included; cells withheld by the release rules are not among them. */
    patterns: Record<EmergingPattern, number>;
    /**
     * Cells whose pattern is not published: in a month where the cell is significant, its neighbourhood
     * held 1 to threshold − 1 incidents (the hot-spot page's ring rule; etl/publish/emerging-data.ts).
     */
    withheld: number;
  }>;
  /**
   * Cells with a pattern (never `no_pattern`). The Mann-Kendall trend z and p of the cell stay in the
   * lake: they rank the cell's monthly ring statistics against each other, and beside the hot-spot
   * page's per-month bins and counts they add an order relation on small ring counts the ring rule does
   * not check (release-rules.ts); the pattern already says whether the trend is significant.
   */
  cells: Array<{
    category: string;
    cell: string;
    pattern: EmergingPattern;
    hot_months: number;
    cold_months: number;
  }>;
  /**
   * Categories `run` did not analyse because they are too sparse for the method (etl/analytics/
   * emerging-sparsity.ts): the rule broken and its figures, never a count. Absent in files of older publishes.
   */
  skipped?: Array<{ category: string; reason: "few_months"; months: number; minimum_months: number }>;
}

/** The patrol forecast of one category for next month (see {@link PatrolData}). */
export interface PatrolForecast {
  /** The month forecast ("YYYY-MM"), the one after the analysed months (the current month where it has not ended: analysisEnd). */
  month: string;
  category: string;
  /** The categories "all" leaves out (the sensitive ones): its ranking counts the others only. */
  all_excludes: string[];
  history_from: string;
  history_to: string;
  /**
   * Share of the study area this month's selection covers: the share asked for (e.g. 0.05), or where
   * the lake does not record it for this month (a number of cells was asked, or a forecast of another
   * month ran later), what the ranked cells cover; null without ranked cells.
   */
  area_share: number | null;
  methods: string[];
  /**
   * The method behind "selected", chosen by a backtest over the months before; null without "selected".
   * `margin` (over the runner-up) and `gain_over_baseline` are null where the choice had none to compare.
   */
  chosen: {
    method: string;
    reason: string;
    margin: number | null;
    gain_over_baseline: number | null;
    runner_up: string | null;
    months: number;
    /** Margin and gain withheld (null): a backtest month they average over is withheld, and they would give it back. Absent: false. */
    withheld?: boolean;
  } | null;
  /**
   * Ranked cells per method. `score` is null: scores are functions of the cells' counts, and the
   * ranking is what a patrol plan needs. A cell is left out (see `withheld`) where the count its
   * method's ranking rests on is 1 to threshold − 1 (etl/publish/patrol-data.ts).
   */
  cells: Array<{ method: string; rank: number; cell: string; score: number | null; area_km2: number; cumulative_area_share: number }>;
  /**
   * Per method, the ranked cells not listed under the release rules. Their ranks are the gaps in
   * `cells`' ranks (or follow the last one): the patrol page lists a method's cells only up to the
   * first such gap (dashboard/src/components/patrol-list.ts).
   */
  withheld: Record<string, number>;
}

/** The rolling-origin backtest of one category (see {@link PatrolData}). */
export interface PatrolBacktest {
  category: string;
  /** The categories the backtest of "all" left out, as the lake recorded it. */
  all_excludes: string[];
  first_month: string;
  last_month: string;
  min_history_months: number;
  /** The methods drawn: "selected", the baselines and the method chosen for next month. */
  methods: string[];
  /**
   * Means over the forecast months per method (every one backtested) and target area share — the
   * months whose figures the release rules publish (etl/publish/patrol-data.ts releasedBacktestFolds;
   * `months` counts them): measures,
   * incidents captured by the top 10 and 20 cells, mean PAI of the last 12 months, and the paired
   * comparison of PAI against last-12-months over the months both released (`vs_baseline.months`:
   * mean difference, 95 % interval, months won and lost). `shared`: the measures' means over the
   * months every drawn method (`methods`) released at the share (patrol-data.ts sharedMonths), which
   * the page's bars compare; null with no such month.
   */
  summary: Array<{
    method: string;
    area_target: number;
    months: number;
    area_share: number;
    hit_rate: number;
    pai: number;
    pei_star: number;
    hits_top_10: number;
    hits_top_20: number;
    recent_pai: number;
    shared: { months: number; hit_rate: number | null; pai: number | null; pei_star: number | null };
    vs_baseline: { months: number; mean_difference: number; ci_low: number | null; ci_high: number | null; wins: number; losses: number; ties: number };
  }>;
  /**
   * Each forecast month's accuracy for the drawn methods (months without incidents left out); "selected" names its method.
   * The measures are null where withheld: with the month's published incidents they give the selection's count, and two
   * shares the count of the cells between them (releasedBacktestFolds).
   */
  monthly: Array<{
    method: string;
    area_target: number;
    month: string;
    hit_rate: number | null;
    pai: number | null;
    pei_star: number | null;
    chosen: string | null;
  }>;
}

/**
 * `patrol.json`: next month's patrol priorities and how well each method did in the past, of the
 * first of `categories` ("all" when the lake has it), which the patrol page shows first; the other
 * categories' are in `patrol-categories.json` ({@link PatrolCategoryPlan}), which the page loads only
 * when one of them is chosen (every category backtested made one file of 1.9 MB). Never a sensitive category.
 */
/**
 * Why a category has no backtest to show (only where `backtest` is null): the lake's months are too few
 * for one (a backtest month needs `min_history_months` months before it, so the lake needs more than
 * that), it has months enough but none after that history held an incident, or no backtest of the
 * category was run (`hotspots run` backtests all offences only; `hotspots backtest --category` adds one).
 */
export type PatrolNoBacktest =
  | { reason: "too_few_months"; months: number; min_history_months: number }
  | { reason: "no_scored_month"; months: number; min_history_months: number }
  | { reason: "not_run" };

export interface PatrolData {
  forecast: PatrolForecast | null;
  backtest: PatrolBacktest | null;
  /** Why `backtest` is null; absent where there is one. */
  no_backtest?: PatrolNoBacktest;
  /**
   * Forecast partitions of months past the one after the data (what-if `forecast --month` runs), which
   * are not shown: their months and the lake's last month with incidents. Absent where there are none.
   */
  beyond_data?: { last_month: string; months: string[] };
  /** Every non-sensitive category with a forecast or a backtest in the lake, "all" first, then by name. */
  categories: string[];
}

/**
 * One category's forecast and backtest; `patrol-categories.json` holds one per category after the
 * first of {@link PatrolData}'s `categories`, in that order. One file, not one per category: the
 * page can name a file only literally (Framework copies and the monthly run re-points only such
 * files), and category names come from each project's configuration.
 */
export interface PatrolCategoryPlan {
  category: string;
  forecast: PatrolForecast | null;
  backtest: PatrolBacktest | null;
  /** Why `backtest` is null; absent where there is one. */
  no_backtest?: PatrolNoBacktest;
}

/** A figure as the source states it: exact, "about" or "more than". */
export type Qualifier = "exact" | "approximate" | "more_than";

/** One indicator of a project with its progress (see etl/evaluation/process-indicators.ts). */
export interface EvaluationIndicator {
  id: string;
  name: string;
  /** The name in Lithuanian where projects.json gives one (the seeds are English: a translation). */
  name_lt?: string | null;
  kind: "process" | "outcome";
  unit: string;
  baseline: number | null;
  baseline_period: string | null;
  target: number | null;
  achieved: number | null;
  achieved_qualifier: Qualifier | null;
  period: string | null;
  desired_direction: "increase" | "decrease";
  percent_of_target: number | null;
  target_met: boolean | null;
  change_from_baseline: number | null;
  percent_change_from_baseline: number | null;
  direction_met: boolean | null;
  /** Checkpoints dated to the month at most. */
  checkpoints: Array<{
    label: string;
    label_lt?: string | null;
    month: string | null;
    value: number;
    basis: "cumulative" | "in_period";
    qualifier: Qualifier;
    cumulative: number;
    cumulative_qualifier: Qualifier;
    percent_of_target: number | null;
  }>;
  note: string | null;
}

/** One category × case type of a before/after evaluation. */
export interface EvaluationOutcome {
  category: string;
  case_type: string;
  desired_direction: "increase" | "decrease";
  before: number;
  after: number;
  /** The before count scaled to the after period's length (= before when the periods are equally long). */
  before_scaled: number;
  /** Exact Poisson confidence intervals of the scaled before count and of the after count. */
  before_ci: [number, number];
  after_ci: [number, number];
  change: number;
  percent_change: number | null;
  rate_ratio: number | null;
  ci_low: number;
  ci_high: number | null;
  exact_p: number;
  e_test_p: number;
  significant: boolean;
  direction_met: boolean | null;
  too_small_to_show_change: boolean;
  exposure: { before_rate: number; after_rate: number; rate_ratio: number | null; p_value: number; per: number } | null;
  control: { before: number; after: number; wdd: number; ci_low: number; ci_high: number; p_value: number } | null;
}

/** One incident-based outcome evaluation of a project, or why it could not be run. */
export interface ProjectEvaluation {
  id: string;
  title: string;
  title_lt?: string | null;
  area: string;
  control: string | null;
  control_note: string | null;
  control_note_lt?: string | null;
  before: { label: string; first_month: string; last_month: string; days: number };
  after: { label: string; first_month: string; last_month: string; days: number };
  confidence_level: number;
  outcomes: EvaluationOutcome[];
  /** Yearly counts of the evaluation area (and the control) around the periods. */
  history: Array<{ category: string; year: number; area: number; control: number | null }>;
  /** The exposure series the rates divide by (e.g. immigrants registered per year), or null. */
  /** source_lt: the source in Lithuanian (null when the exposure file gives none; absent in older data). */
  exposure: {
    indicator: string;
    area_name: string;
    unit: string;
    source: string;
    source_lt?: string | null;
    values: Array<{ year: number; value: number }>;
  } | null;
  /**
   * The lake's counts beside the figures the project itself reports. `lake_excludes`: the categories the
   * lake's figure leaves out (the evaluation's "all" counted without the sensitive ones); `reading`:
   * "excluded" where the figures differ only as that exclusion could explain (not a disagreement:
   * unlike figures; etl/evaluation/lake/project-report.ts crossCheckReading). Both absent in older data.
   */
  cross_checks: Array<{
    case_type: string;
    seed_before: number | null;
    seed_after: number | null;
    lake_before: number;
    lake_after: number;
    agrees: boolean;
    lake_excludes?: string[];
    reading?: "agrees" | "differs" | "excluded";
  }>;
  /** What to keep in mind, as the evaluation module words it (English). */
  caveats: string[];
  /** The caveats in Lithuanian, index by index (null where the lake has no Lithuanian; absent in older data). */
  caveats_lt?: Array<string | null>;
  /** Why the evaluation could not be run; the other fields are then empty. */
  error: string | null;
}

/** `evaluation.json`: every project with its indicators and evaluations. */
export interface EvaluationData {
  /** Words of the indicators' units for numbers: English [one, other], Lithuanian [one, few, many, other]. */
  units?: Record<string, { en: readonly [string, string]; lt: readonly [string, string, string, string] }>;
  projects: Array<{
    id: string;
    title: string;
    /** Lithuanian title, promoter and programme where projects.json gives them. */
    title_lt?: string | null;
    country: string;
    promoter: string | null;
    promoter_lt?: string | null;
    programme: string | null;
    programme_lt?: string | null;
    funding: { amount: number; currency: string } | null;
    period: { start: string | null; end: string | null };
    note: string | null;
    indicators: EvaluationIndicator[];
    evaluations: ProjectEvaluation[];
  }>;
}

/** `data-quality.json`: what each ingested file gave and what it lost. */
export interface DataQuality {
  sources: Array<{
    /** The file's key in the lake (its name without extension). */
    name: string;
    file: string;
    /** Source description id, e.g. "siauliai-demo". */
    source: string;
    sha256: string;
    rows_read: number;
    rows_ingested: number;
    rows_quarantined: number;
    quarantine_reasons: Record<string, number>;
    /** Rows kept with a caveat, by warning: `null` where 1 to threshold − 1 (the clock change's hour pins an incident to one night). */
    warnings: Record<string, number | null>;
    first_month: string | null;
    last_month: string | null;
    months: number;
    time_precision: Record<string, number>;
    share_without_coordinates: number;
    /** Bounding box of the kept rows, widened to whole hundredths of a degree (never a raw coordinate). */
    bounds: { west: number; south: number; east: number; north: number } | null;
  }>;
  /** Records ingested per file and month (`null` below the threshold). */
  monthly: Array<{ name: string; month: string; count: number | null }>;
}
