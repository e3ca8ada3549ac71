import { caseTypeLabel, categoryLabel, formatLevel, formatNumber, formatP, formatPercent, formatRatio, formatSigned } from "../format.ts";
import type { OutcomeRow } from "./outcome-row.ts";
import { exactTestReading, type ExactTestReading } from "./rate-ratio-test.ts";

/** The exact test's reading of an outcome row, by the one rule (exactTestReading) on the row's own figures. */
export function rowExactReading(row: Pick<OutcomeRow, "exact_test">): ExactTestReading {
  const t = row.exact_test;
  return exactTestReading({ pValue: t.p_value, lower: t.ci_low, upper: t.ci_high ?? Number.POSITIVE_INFINITY }, 1 - t.confidence_level);
}

/**
 * Where p < α but the interval includes 1 (rowExactReading `borderline`): "Borderline: the exact
 * test's p = 0.037 is below 0.05 but its 95 % interval of the rate ratio, 0.83 to ∞, includes no
 * change: …; treat the change as unconfirmed". The conclusion only, the figures being the row's.
 */
export function borderlineText(row: Pick<OutcomeRow, "exact_test">): string {
  const t = row.exact_test;
  const alpha = 1 - t.confidence_level;
  return (
    `Borderline: the exact test's p = ${formatP(t.p_value, alpha)} is below ${Number(alpha.toPrecision(12))} but its ${formatLevel(t.confidence_level)} ` +
    `interval of the rate ratio, ${formatRatio(t.ci_low)} to ${formatRatio(t.ci_high)}, includes no change: the two exact methods disagree at this border; ` +
    `treat the change as unconfirmed`
  );
}

/**
 * Whether a non-significant result is owed to the counts being too small: even a doubling (or
 * halving) of the rate would not reach significance with this many cases in the two periods.
 */
export function tooSmallToShowChange(row: Pick<OutcomeRow, "significant" | "detectable">): boolean {
  if (row.significant) return false;
  const { increase, decrease } = row.detectable;
  return (increase === null || increase.rate_ratio === null || increase.rate_ratio >= 2) && (decrease === null || (decrease.rate_ratio ?? 0) <= 0.5);
}

/**
 * The plain-language reading of one outcome row: what changed and in which direction against the
 * desired one, whether chance can explain it (and, for small counts, that it cannot be told apart
 * from chance at all), then what the control and buffer add.
 */
export function outcomeVerdict(row: OutcomeRow): string {
  const level = formatLevel(row.exact_test.confidence_level);
  const alpha = formatLevel(1 - row.exact_test.confidence_level);
  const what = `${categoryLabel(row.category)}, ${caseTypeLabel(row.case_type)}`;
  const direction =
    row.direction_met === null
      ? "no change"
      : row.direction_met
        ? `in the desired direction (${row.desired_direction})`
        : `against the desired direction (${row.desired_direction})`;
  const parts = [`${what}: ${countsText(row, row.days)} (${formatSigned(row.change)}, ${formatPercent(row.percent_change)}), ${direction}.`];
  const tests =
    `exact test p = ${formatP(row.exact_test.p_value, 1 - row.exact_test.confidence_level)}` +
    (row.rate_ratio === null
      ? ""
      : `, after/before rate ratio ${formatRatio(row.rate_ratio)} with ${level} CI ${formatRatio(row.exact_test.ci_low)} to ${formatRatio(row.exact_test.ci_high)}`) +
    `; E-test p = ${formatP(row.e_test.p_value, 1 - row.exact_test.confidence_level)}`;
  if (row.before + row.after === 0) {
    parts.push("No incidents in either period: there is nothing to test.");
  } else if (rowExactReading(row) === "borderline") {
    parts.push(`${borderlineText(row)} (E-test p = ${formatP(row.e_test.p_value, 1 - row.exact_test.confidence_level)}).`);
  } else if (tooSmallToShowChange(row)) {
    const { increase, decrease, total } = row.detectable;
    const splits = [increase, decrease].filter((s) => s !== null).map((s) => `${s.before} → ${s.after}`);
    const needed =
      splits.length > 0
        ? `only a split at least as lopsided as ${splits.join(" or ")} would be significant at the ${alpha} level`
        : `no split at all would be significant at the ${alpha} level`;
    parts.push(`Counts this small cannot show a significant change (${tests}). With ${formatNumber(total)} cases in the two periods, ${needed}.`);
  } else if (row.significant) {
    parts.push(`The change is statistically significant at the ${alpha} level (${tests}).`);
  } else if (row.e_test.p_value < 1 - row.exact_test.confidence_level) {
    parts.push(`Borderline: the E-test is below the ${alpha} level but the conservative exact test is not (${tests}); treat the change as unconfirmed.`);
  } else {
    parts.push(`The change is not statistically significant at the ${alpha} level (${tests}): chance alone produces changes this large.`);
  }
  if (!row.significant && row.before + row.after > 0) parts.push(...detectableText(row));
  if (row.control) {
    const w = row.control.wdd;
    parts.push(
      `Control area ${countsText(row.control, row.days)}: weighted displacement difference ${formatSigned(w.estimate)} cases ` +
        `(SE ${formatNumber(w.se)}, ${level} CI ${formatSigned(w.ci_low)} to ${formatSigned(w.ci_high)}, p = ${formatP(w.p_value, 1 - row.exact_test.confidence_level)}).`,
    );
    const cases = row.power.wdd_cases;
    if (w.p_value >= 1 - row.exact_test.confidence_level && cases !== null) {
      const share = row.before_scaled > 0 ? ` (${formatNumber((cases / row.before_scaled) * 100, 0)} % of the evaluation area's before count)` : "";
      parts.push(
        `A difference in differences of at least ${formatNumber(cases)} cases either way${share} would have been detectable with ${powerLevel(row)} power.`,
      );
    }
  }
  if (row.buffer) {
    const q = row.buffer;
    const interval = (ci: [number | null, number | null] | null, digits: number) =>
      ci === null
        ? ""
        : ci[0] === null || ci[1] === null
          ? `, ${level} CI unbounded`
          : `, ${level} CI ${formatSigned(ci[0], digits)} to ${formatSigned(ci[1], digits)}`;
    const tne =
      q.tne === null
        ? ""
        : `, TNE = ${formatSigned(q.tne, 1)}${interval(q.tne_ci, 1)} (the two areas together had ${formatNumber(Math.abs(q.tne))} ${q.tne >= 0 ? "fewer" : "more"} cases than the control's trend predicts)`;
    const figures = `${q.wdq === null ? "WDQ undefined" : `WDQ = ${formatNumber(q.wdq, 3)}${interval(q.wdq_ci, 2)}`}${tne}`;
    parts.push(`Buffer area ${countsText(q, row.days)}: ${figures}; ${q.reading_text}.`);
    if (q.wdd_tne_reading) parts.push(q.wdd_tne_reading);
  }
  if (row.exposure) {
    const x = row.exposure;
    parts.push(
      `Per ${formatNumber(x.per, 0)} ${x.indicator.replaceAll("_", " ")} (${x.area_name}) a year: ${formatNumber(x.before_rate, 2)} → ${formatNumber(x.after_rate, 2)}, ` +
        `ratio ${formatRatio(x.rate_ratio)} (${level} CI ${formatRatio(x.ci_low)} to ${formatRatio(x.ci_high)}, p = ${formatP(x.p_value, 1 - row.exact_test.confidence_level)}).`,
    );
  }
  return parts.join(" ");
}

const powerLevel = (row: OutcomeRow) => formatLevel(row.power.power);

/**
 * What a non-significant comparison could have detected: "A change of at least +407 % (a rise) would
 * have been detectable with 80 % power; no fall would have been, not even to zero", then the months
 * of data each period would need for the observed change and for a moderate one.
 */
export function detectableText(row: OutcomeRow): string[] {
  const p = row.power;
  const power = powerLevel(row);
  if (row.before === 0) return [`With no cases before, no change of the rate can be said to be detectable with ${power} power.`];
  const rise = p.rise_ratio === null ? null : `${formatPercent((p.rise_ratio - 1) * 100)} (a rise)`;
  const fall = p.fall_ratio === null ? null : `${formatPercent((p.fall_ratio - 1) * 100)} (a fall)`;
  const either = [rise, fall].filter((x) => x !== null);
  const lines: string[] = [];
  if (either.length === 0) lines.push(`No change of the rate, not even a fall to zero or a 100-fold rise, would have been detectable with ${power} power.`);
  else {
    const none =
      p.fall_ratio === null ? "; no fall would have been, not even to zero" : p.rise_ratio === null ? "; no rise up to 100-fold would have been" : "";
    lines.push(`A change of at least ${either.join(" or ")} would have been detectable with ${power} power${none}.`);
  }
  const months = p.months_needed.map((m) => {
    const what = m.basis === "observed" ? `the observed change (${formatPercent((m.ratio - 1) * 100)})` : `a ${formatPercent((m.ratio - 1) * 100)} change`;
    return m.months === null ? `${what}: more than 50 years` : `${what}: ${formatNumber(m.months, 0)} months`;
  });
  if (months.length > 0)
    lines.push(
      `For a real change to be detected with ${power} power at the before period's monthly rate, each of two equal periods would need — ${months.join("; ")}.`,
    );
  return lines;
}

/** "3 → 8", or with periods of different lengths "117 in 276 days (39 per 92 days) → 34". */
export function countsText(c: { before: number; after: number; before_scaled: number }, days: { before: number; after: number }): string {
  if (days.before === days.after) return `${formatNumber(c.before)} → ${formatNumber(c.after)}`;
  return `${formatNumber(c.before)} in ${days.before} days (${formatNumber(c.before_scaled)} per ${days.after} days) → ${formatNumber(c.after)}`;
}
