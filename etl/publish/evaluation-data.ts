import type { DuckDBConnection } from "@duckdb/node-api";
import type { EvaluationData, EvaluationIndicator, EvaluationOutcome, ProjectEvaluation } from "../../dashboard/data-contract.ts";
import { exposureSeries } from "../context/immigration.ts";
import type { IndicatorProgress } from "../evaluation/statistics/process-indicators.ts";
import { buildProjectReport, type ProjectOutcome } from "../evaluation/lake/project-report.ts";
import type { OutcomeRow } from "../evaluation/statistics/outcome-row.ts";
import { tooSmallToShowChange } from "../evaluation/statistics/verdict.ts";
import type { PipelineSettings } from "../settings.ts";
import { readLakeProjects } from "./lake-projects.ts";
import { round, toMonth } from "./lake-query.ts";
import { poissonInterval } from "./poisson-interval.ts";

/** Where the evaluations run: the lake, its time zone and resolution, and the municipality outlines. */
export interface EvaluationSource {
  lakeDir: string;
  timeZone: string;
  resolution: number;
  municipalitiesGeoJson: string;
  sensitiveCategories: ReadonlySet<string>;
}

/**
 * Every project of the lake's context tables with its indicators' progress, and each incident-based
 * outcome evaluation the context tables specify (projects.json's `outcome_evaluations`) run afresh on the lake (as `hotspots report`
 * does), reduced to what the Project evaluation page draws. Evaluation counts are totals of a whole
 * project area over a whole period — the figures a project reports — not cell-month counts, so they
 * are published as computed; a sensitive category is dropped unless the area is a whole municipality.
 * Dates are coarsened to months.
 */
export async function evaluationData(connection: DuckDBConnection, source: EvaluationSource): Promise<EvaluationData> {
  const { projects, indicators, outcomeEvaluations, exposure } = await readLakeProjects(connection, source.lakeDir);
  const settings = {
    lakeDir: source.lakeDir,
    timeZone: source.timeZone,
    resolution: source.resolution,
    municipalitiesGeoJson: source.municipalitiesGeoJson,
  } as PipelineSettings;
  const out: EvaluationData = { projects: [] };
  for (const project of projects) {
    const report = await buildProjectReport(
      project,
      indicators,
      outcomeEvaluations.filter((e) => e.project_id === project.id),
      { settings, exposure: (indicator) => exposureSeries(exposure, indicator) },
    );
    out.projects.push({
      id: project.id,
      title: project.title,
      country: project.country,
      promoter: project.promoter,
      programme: project.programme,
      funding: project.funding ? { amount: project.funding.amount, currency: project.funding.currency } : null,
      period: { start: toMonth(project.period.start), end: toMonth(project.period.end) },
      note: project.note,
      indicators: [...report.process, ...report.outcomeIndicators].map(indicatorOf),
      evaluations: report.outcomes.map((o) => evaluationOf(o, exposure, source.sensitiveCategories)),
    });
  }
  return out;
}

function indicatorOf(p: IndicatorProgress): EvaluationIndicator {
  const i = p.indicator;
  return {
    id: i.id,
    name: i.name,
    kind: i.kind,
    unit: i.unit,
    baseline: i.baseline,
    baseline_period: coarsen(i.baseline_period),
    target: i.target,
    achieved: i.achieved,
    achieved_qualifier: i.achieved_qualifier,
    period: coarsen(i.period),
    desired_direction: i.desired_direction,
    percent_of_target: p.percent_of_target === null ? null : round(p.percent_of_target, 1),
    target_met: p.target_met,
    change_from_baseline: p.change_from_baseline,
    percent_change_from_baseline: p.percent_change_from_baseline === null ? null : round(p.percent_change_from_baseline, 1),
    direction_met: p.direction_met,
    note: i.note,
    checkpoints: p.checkpoints.map((c) => ({
      label: c.label,
      month: toMonth(c.date),
      value: c.value,
      basis: c.basis,
      qualifier: c.qualifier,
      cumulative: c.cumulative,
      cumulative_qualifier: c.cumulative_qualifier,
      percent_of_target: c.percent_of_target === null ? null : round(c.percent_of_target, 1),
    })),
  };
}

function evaluationOf(o: ProjectOutcome, exposure: Parameters<typeof exposureSeries>[0], sensitive: ReadonlySet<string>): ProjectEvaluation {
  const base = { id: o.spec.id, title: o.spec.title, control_note: o.spec.control_note ?? null };
  const r = o.result;
  if (!r) {
    const none = { label: "", first_month: "", last_month: "", days: 0 };
    return {
      ...base,
      area: o.spec.area,
      control: o.spec.control ?? null,
      before: none,
      after: none,
      confidence_level: 0.95,
      outcomes: [],
      history: [],
      exposure: null,
      cross_checks: [],
      caveats: [],
      error: o.error,
    };
  }
  const shown = (category: string) => !sensitive.has(category) || r.area.kind === "municipality";
  const period = (p: typeof r.before) => ({
    label: p.label,
    first_month: toMonth(p.windows[0]!.first)!,
    last_month: toMonth(p.windows.at(-1)!.last)!,
    days: p.days,
  });
  const series = r.exposure ? exposureSeries(exposure, r.exposure.indicator, r.exposure.area_code) : null;
  return {
    ...base,
    area: r.area.selection,
    control: r.control?.selection ?? null,
    before: period(r.before),
    after: period(r.after),
    confidence_level: r.confidence_level,
    outcomes: r.outcomes.filter((row) => shown(row.category)).map((row) => outcomeOf(row, r.confidence_level)),
    history: (r.history ?? []).filter((h) => shown(h.category)).map((h) => ({ category: h.category, year: h.year, area: h.area, control: h.control })),
    exposure: series && {
      indicator: series.indicator,
      area_name: series.area_name,
      unit: series.unit,
      source: series.source,
      values: [...series.values].sort(([a], [b]) => a - b).map(([year, value]) => ({ year, value })),
    },
    cross_checks: o.crossChecks.map((c) => ({
      case_type: c.case_type,
      seed_before: c.seed_before,
      seed_after: c.seed_after,
      lake_before: c.lake_before,
      lake_after: c.lake_after,
      agrees: c.agrees,
    })),
    caveats: r.caveats,
    error: null,
  };
}

function outcomeOf(r: OutcomeRow, level: number): EvaluationOutcome {
  const scale = r.days.after / r.days.before;
  const [beforeLow, beforeHigh] = poissonInterval(r.before, level);
  const num = (x: number | null, digits = 4) => (x === null || !Number.isFinite(x) ? null : round(x, digits));
  return {
    category: r.category,
    case_type: r.case_type,
    desired_direction: r.desired_direction,
    before: r.before,
    after: r.after,
    before_scaled: round(r.before_scaled, 3),
    before_ci: [round(beforeLow * scale, 3), round(beforeHigh * scale, 3)],
    after_ci: poissonInterval(r.after, level).map((v) => round(v, 3)) as [number, number],
    change: round(r.change, 3),
    percent_change: num(r.percent_change, 1),
    rate_ratio: num(r.rate_ratio),
    ci_low: round(r.exact_test.ci_low, 4),
    ci_high: num(r.exact_test.ci_high),
    exact_p: round(r.exact_test.p_value, 4),
    e_test_p: round(r.e_test.p_value, 4),
    significant: r.significant,
    direction_met: r.direction_met,
    too_small_to_show_change: tooSmallToShowChange(r),
    exposure: r.exposure && {
      before_rate: round(r.exposure.before_rate, 3),
      after_rate: round(r.exposure.after_rate, 3),
      rate_ratio: num(r.exposure.rate_ratio),
      p_value: round(r.exposure.p_value, 4),
      per: r.exposure.per,
    },
    control: r.control && {
      before: r.control.before,
      after: r.control.after,
      wdd: round(r.control.wdd.estimate, 3),
      ci_low: round(r.control.wdd.ci_low, 3),
      ci_high: round(r.control.wdd.ci_high, 3),
      p_value: round(r.control.wdd.p_value, 4),
    },
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
