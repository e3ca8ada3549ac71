// The CSV columns of the Project evaluation page's tables. The page shows a figure with its qualifier
// or period in one cell ("about 280", "2 (2018)"); the CSV gives each its own column, numbers as
// numbers, and labels rather than codes, so that a spreadsheet of the page's language reads it as
// data. No imports, so the tests run it in Node.

/**
 * Columns of the indicators CSV (see csvText): name, kind, unit, baseline and its period, target,
 * result and how the source states it (exact / about / over), % of target, change from the baseline,
 * desired direction and the status text (`status(indicator)`, as the table shows it).
 */
export function indicatorCsvColumns(tr, {units = {}, status}) {
  const e = tr.evaluation;
  return [
    {label: e.indicator, value: (i) => tr.dataText(i, "name")},
    {label: e.kind, value: (i) => e.kinds[i.kind]},
    {label: e.unit, value: (i) => tr.unitLabel(i.unit, units)},
    {label: e.baseline, value: (i) => i.baseline},
    {label: e.baselinePeriod, value: (i) => i.baseline_period},
    {label: e.target, value: (i) => i.target},
    {label: e.achieved, value: (i) => i.achieved},
    {label: e.achievedQualifier, value: (i) => (i.achieved_qualifier ? e.qualifiers[i.achieved_qualifier] : null)},
    {label: e.period, value: (i) => i.period},
    {label: e.percentOfTarget, value: (i) => i.percent_of_target},
    {label: e.changeFromBaseline, value: (i) => i.change_from_baseline},
    {label: e.percentChangeFromBaseline, value: (i) => i.percent_change_from_baseline},
    {label: e.desiredDirection, value: (i) => e.directions[i.desired_direction]},
    {label: e.status, value: status}
  ];
}

/**
 * Columns of one evaluation's outcomes CSV: category and case type as labels, the counts under
 * headings that name their periods, the change, the rate ratio with its interval's bounds in two
 * columns (`level` is the formatted confidence level, "95 %"), both p-values and the desired direction.
 */
export function outcomeCsvColumns(tr, {before, after, level}) {
  const e = tr.evaluation;
  return [
    {label: tr.common.category, value: (o) => tr.categoryLabel(o.category)},
    {label: e.caseType, value: (o) => capitalizeFirst(tr.caseTypeLabel(o.case_type))},
    {label: `${e.before} (${before})`, value: (o) => o.before},
    {label: `${e.after} (${after})`, value: (o) => o.after},
    {label: e.change, value: (o) => o.change},
    {label: e.rateRatio, value: (o) => o.rate_ratio},
    {label: e.intervalLow(level), value: (o) => o.ci_low},
    {label: e.intervalHigh(level), value: (o) => o.ci_high},
    {label: e.exactP, value: (o) => o.exact_p},
    {label: e.eTestP, value: (o) => o.e_test_p},
    {label: e.desiredDirection, value: (o) => e.directions[o.desired_direction]}
  ];
}

const capitalizeFirst = (text) => (text ? text[0].toLocaleUpperCase() + text.slice(1) : text);
