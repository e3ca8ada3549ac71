import { beforeAfterChart } from "./chart-before-after.ts";
import { spacePlaceboText, syntheticControlText } from "./comparison-text.ts";
import { designLines, evaluationDesign } from "./evaluation-design.ts";
import { timeSeriesText, type CategoryTimeSeries } from "../its/outcome-time-series.ts";
import { historyChart } from "./chart-history.ts";
import { rateRatioChart } from "./chart-rate-ratio.ts";
import { caseTypeLabel, categoryLabel, formatLevel, formatNumber, formatP, formatPercent, formatRatio, formatSigned } from "../format.ts";
import type { IndicatorProgress } from "../statistics/process-indicators.ts";
import { crossCheckReading, type ProjectOutcome } from "../lake/project-report.ts";
import { indicatorTable } from "./report-process-section.ts";
import { heading, list, paragraph, table, type Block, type Section } from "./report-document.ts";
import { tooSmallToShowChange } from "../statistics/verdict.ts";

const OUTCOME_INTRO =
  "Outcome evaluation measures the direct effect of the intervention on the target group, population or geographic area, and so at what level the objectives were achieved (ECPA template, question 12). Indicators the project reports are shown as stated; registered incidents are re-measured from the lake and tested.";

const years = (p: { windows: Array<{ first: string; last: string }> }) => [
  ...new Set(p.windows.flatMap((w) => [Number(w.first.slice(0, 4)), Number(w.last.slice(0, 4))])),
];

/** Blocks of one incident-based evaluation: design, summary, tests, comparison, exposure, cross-check, charts, verdicts. */
function evaluationBlocks(outcome: ProjectOutcome, timeSeries: readonly CategoryTimeSeries[]): Block[] {
  const blocks: Block[] = [heading(outcome.spec.title)];
  const result = outcome.result;
  if (!result) return [...blocks, paragraph(`The incident-based evaluation could not be run: ${outcome.error}`)];
  const level = formatLevel(result.confidence_level);
  const design = [
    `Evaluation area: ${result.area.selection} (${result.area.kind}).`,
    result.control ? `Comparison area: ${result.control.selection}.` : "No comparison area.",
    `Before: ${result.before.label} (${result.before.days} days). After: ${result.after.label} (${result.after.days} days).`,
    ...(result.before.days === result.after.days
      ? []
      : ["The periods differ in length: changes compare the after count with the before count scaled to the after period's length."]),
  ];
  const fitted = timeSeries.flatMap((t) => (t.its.refused ? [] : [t.its.pre_months]));
  const rating =
    outcome.design ??
    evaluationDesign(result, { comparisonReached: outcome.spec.control_reached ?? null, preMonths: fitted.length > 0 ? Math.min(...fitted) : 0 });
  blocks.push(paragraph(design.join(" ")), paragraph(`Design strength: ${designLines(rating).join(" ")}`), ...result.summary.map(paragraph));
  const rows = result.outcomes;
  blocks.push(
    table(
      "Before/after tests",
      [
        "Category",
        "Case type",
        "Before",
        "After",
        "Change",
        "% change",
        "Rate ratio",
        `${level} CI`,
        "Exact p",
        "E-test p",
        "Desired",
        "Went the desired way",
        "Counts large enough to show a change",
        "Detectable with 80 % power (rise / fall)",
      ],
      rows.map((r) => [
        categoryLabel(r.category),
        caseTypeLabel(r.case_type),
        formatNumber(r.before),
        formatNumber(r.after),
        formatSigned(r.change),
        formatPercent(r.percent_change),
        formatRatio(r.rate_ratio),
        `${formatRatio(r.exact_test.ci_low)} – ${formatRatio(r.exact_test.ci_high)}`,
        formatP(r.exact_test.p_value, 1 - r.exact_test.confidence_level),
        formatP(r.e_test.p_value, 1 - r.exact_test.confidence_level),
        r.desired_direction,
        r.direction_met === null ? "no change" : r.direction_met ? "yes" : "no",
        tooSmallToShowChange(r) ? "no" : "yes",
        `${r.power.rise_ratio === null ? "none" : formatPercent((r.power.rise_ratio - 1) * 100)} / ${r.power.fall_ratio === null ? "none" : formatPercent((r.power.fall_ratio - 1) * 100)}`,
      ]),
      [false, false, true, true, true, true, true, true, true, true, false, false, false, true],
    ),
  );
  if (result.control) {
    blocks.push(
      table(
        `Difference in differences against ${result.control.selection} (weighted displacement difference)`,
        ["Case type", "Evaluation area", "Comparison area", "WDD (cases)", "SE", `${level} CI`, "p", "Detectable WDD with 80 % power (cases)"],
        rows
          .filter((r) => r.control)
          .map((r) => [
            caseTypeLabel(r.case_type),
            `${r.before} → ${r.after}`,
            `${r.control!.before} → ${r.control!.after}`,
            formatSigned(r.control!.wdd.estimate),
            formatNumber(r.control!.wdd.se, 2),
            `${formatSigned(r.control!.wdd.ci_low)} – ${formatSigned(r.control!.wdd.ci_high)}`,
            formatP(r.control!.wdd.p_value, 1 - r.exact_test.confidence_level),
            r.power.wdd_cases === null ? "–" : `±${formatNumber(r.power.wdd_cases)}`,
          ]),
        [false, true, true, true, true, true, true, true],
      ),
    );
  }
  const exposed = rows.filter((r) => r.exposure);
  if (exposed.length > 0) {
    const x = exposed[0]!.exposure!;
    blocks.push(
      table(
        `Rates per ${formatNumber(x.per, 0)} ${x.indicator.replaceAll("_", " ")} (${x.area_name}, ${x.area_code}) a year`,
        ["Case type", "Rate before", "Rate after", "Rate ratio", `${level} CI`, "Exact p"],
        exposed.map((r) => [
          caseTypeLabel(r.case_type),
          formatNumber(r.exposure!.before_rate, 2),
          formatNumber(r.exposure!.after_rate, 2),
          formatRatio(r.exposure!.rate_ratio),
          `${formatRatio(r.exposure!.ci_low)} – ${formatRatio(r.exposure!.ci_high)}`,
          formatP(r.exposure!.p_value, 1 - r.exact_test.confidence_level),
        ]),
        [false, true, true, true, true, true],
      ),
    );
  }
  if (outcome.crossChecks.length > 0) {
    blocks.push(
      table(
        "The lake's counts against the figures the source states",
        ["Indicator", "Case type", "Source: before → after", "Lake: before → after", "Agree"],
        outcome.crossChecks.map((c) => [
          c.indicator_id,
          caseTypeLabel(c.case_type),
          `${formatNumber(c.seed_before)} → ${formatNumber(c.seed_after)}`,
          `${c.lake_before} → ${c.lake_after}`,
          { agrees: "yes", differs: "NO", excluded: `not the same figure: the lake's leaves out ${c.lake_excludes.map(categoryLabel).join(", ")}` }[
            crossCheckReading(c)
          ],
        ]),
        [false, false, true, true, false],
      ),
    );
  }
  const id = outcome.spec.id;
  const name = (category: string, chart: string) => `${id}${outcome.spec.categories.length > 1 ? `-${category.replaceAll("_", "-")}` : ""}-${chart}.svg`;
  for (const category of outcome.spec.categories) {
    blocks.push({
      kind: "chart",
      file: name(category, "before-after"),
      svg: beforeAfterChart(rows, category, { before: result.before.label, after: result.after.label, area: result.area.name }),
      caption: `Registered ${categoryLabel(category)} by case type, ${result.before.label} and ${result.after.label}.`,
    });
  }
  // No rows when the release rules withheld every category (release.ts): no empty chart.
  if (rows.length > 0)
    blocks.push({
      kind: "chart",
      file: `${id}-rate-ratios.svg`,
      svg: rateRatioChart(rows, result.area.name),
      caption: `After/before rate ratios with ${level} exact intervals; an interval that crosses 1 is compatible with no change.`,
    });
  for (const category of result.history ? outcome.spec.categories : []) {
    const svg = historyChart(result.history!, category, {
      area: result.area.name,
      control: result.control?.selection ?? null,
      beforeYears: years(result.before),
      afterYears: years(result.after),
    });
    blocks.push({
      kind: "chart",
      file: name(category, "history"),
      svg,
      caption: `Registered ${categoryLabel(category)} per year in ${result.area.name}${result.control ? `, with the comparison area` : ""}.`,
    });
  }
  if (timeSeries.length > 0) {
    const assumptions = [...new Set(timeSeries.flatMap((t) => (t.its.refused ? [] : t.its.assumptions)))];
    blocks.push(heading("Monthly history: interrupted time series"), ...timeSeries.map((t) => paragraph(timeSeriesText(t, result.confidence_level))));
    if (assumptions.length > 0) blocks.push(paragraph("It assumes:"), list(assumptions));
  }
  if (outcome.spacePlacebos.length > 0 || outcome.syntheticControls.length > 0) {
    blocks.push(
      heading("Comparison with the other localities"),
      ...outcome.spacePlacebos.map((p) => paragraph(spacePlaceboText(p))),
      ...outcome.syntheticControls.map((s) => paragraph(syntheticControlText(s.category, s.control, s.placebos))),
    );
  }
  blocks.push(heading("Reading"), list(rows.map((r) => r.verdict)));
  return blocks;
}

/** Section "Outcome evaluation": the outcome indicators as stated, then each incident-based evaluation. */
export function outcomeSection(
  indicators: readonly IndicatorProgress[],
  outcomes: readonly ProjectOutcome[],
  timeSeries: ReadonlyMap<string, readonly CategoryTimeSeries[]> = new Map(),
): Section {
  const blocks: Block[] = [paragraph(OUTCOME_INTRO)];
  if (indicators.length > 0) blocks.push(indicatorTable("Outcome indicators as the source reports them", indicators));
  else blocks.push(paragraph("The source states no outcome indicators for this project."));
  if (outcomes.length === 0) {
    blocks.push(
      paragraph(
        "The lake holds no incident data for this project's area, so no before/after test of registered crime is made; the outcome evaluation rests on the figures the source reports.",
      ),
    );
  }
  for (const outcome of outcomes) blocks.push(...evaluationBlocks(outcome, timeSeries.get(outcome.spec.id) ?? []));
  return { title: "Outcome evaluation (ECPA question 12)", blocks };
}
