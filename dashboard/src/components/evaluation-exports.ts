// The CSV columns of the Project evaluation page's tables. The page shows a figure with its qualifier
// or period in one cell ("about 280", "2 (2018)"); the CSV gives each its own column, numbers as
// numbers, and labels rather than codes, so that a spreadsheet of the page's language reads it as
// data. Only type imports, so the tests run it in Node.
import type { EvaluationIndicator, EvaluationOutcome } from "../../data-contract.js";
import type { CsvColumn } from "./csv.js";
import type { Strings, UnitNames } from "./strings.js";

/**
 * Columns of the indicators CSV (see csvText): name, kind, unit, baseline and its period, target,
 * result and how the source states it (exact / about / over), % of target, change from the baseline,
 * desired direction and the status text (`status(indicator)`, as the table shows it).
 */
export function indicatorCsvColumns(
  tr: Strings,
  { units = {}, status }: { units?: UnitNames; status: (indicator: EvaluationIndicator) => string },
): Array<CsvColumn<EvaluationIndicator>> {
  const e = tr.evaluation;
  const qualifiers: Record<string, string> = e.qualifiers;
  return [
    { label: e.indicator, value: (i: EvaluationIndicator) => tr.dataText(i, "name") },
    { label: e.kind, value: (i: EvaluationIndicator) => e.kinds[i.kind] },
    { label: e.unit, value: (i: EvaluationIndicator) => tr.unitLabel(i.unit, units) },
    { label: e.baseline, value: (i: EvaluationIndicator) => i.baseline },
    { label: e.baselinePeriod, value: (i: EvaluationIndicator) => i.baseline_period },
    { label: e.target, value: (i: EvaluationIndicator) => i.target },
    { label: e.achieved, value: (i: EvaluationIndicator) => i.achieved },
    { label: e.achievedQualifier, value: (i: EvaluationIndicator) => (i.achieved_qualifier ? qualifiers[i.achieved_qualifier] : null) },
    { label: e.period, value: (i: EvaluationIndicator) => i.period },
    { label: e.percentOfTarget, value: (i: EvaluationIndicator) => i.percent_of_target },
    { label: e.changeFromBaseline, value: (i: EvaluationIndicator) => i.change_from_baseline },
    { label: e.percentChangeFromBaseline, value: (i: EvaluationIndicator) => i.percent_change_from_baseline },
    { label: e.desiredDirection, value: (i: EvaluationIndicator) => e.directions[i.desired_direction] },
    { label: e.status, value: status },
  ];
}

/**
 * Columns of one evaluation's outcomes CSV: category and case type as labels, the counts under
 * headings that name their periods, the change, the rate ratio with its interval's bounds in two
 * columns (`level` is the formatted confidence level, "95 %"), both p-values and the desired direction.
 */
export function outcomeCsvColumns(
  tr: Strings,
  { before, after, level }: { before: string; after: string; level: string },
): Array<CsvColumn<EvaluationOutcome>> {
  const e = tr.evaluation;
  return [
    { label: tr.common.category, value: (o: EvaluationOutcome) => tr.categoryLabel(o.category) },
    { label: e.caseType, value: (o: EvaluationOutcome) => capitalizeFirst(tr.caseTypeLabel(o.case_type)) },
    { label: `${e.before} (${before})`, value: (o: EvaluationOutcome) => o.before },
    { label: `${e.after} (${after})`, value: (o: EvaluationOutcome) => o.after },
    { label: e.change, value: (o: EvaluationOutcome) => o.change },
    { label: e.rateRatio, value: (o: EvaluationOutcome) => o.rate_ratio },
    { label: e.intervalLow(level), value: (o: EvaluationOutcome) => o.ci_low },
    { label: e.intervalHigh(level), value: (o: EvaluationOutcome) => o.ci_high },
    { label: e.exactP, value: (o: EvaluationOutcome) => o.exact_p },
    { label: e.eTestP, value: (o: EvaluationOutcome) => o.e_test_p },
    { label: e.desiredDirection, value: (o: EvaluationOutcome) => e.directions[o.desired_direction] },
  ];
}

const capitalizeFirst = (text: string) => text.charAt(0).toLocaleUpperCase() + text.slice(1);
