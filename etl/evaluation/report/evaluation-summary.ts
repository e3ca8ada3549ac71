import { ALL } from "../statistics/count-table.ts";
import { caseTypeLabel, categoryLabel, formatLevel, formatNumber, formatPercent, formatSigned } from "../format.ts";
import type { OutcomeRow } from "../statistics/outcome-evaluation.ts";
import type { EvaluationResult } from "../lake/run-evaluation.ts";
import { countsText, tooSmallToShowChange } from "../statistics/verdict.ts";

/**
 * One line per offence category: the total and its split by case type ("3 → 8 (2 + 1 → 5 + 3 by
 * case type: …)"), the rate ratio with its interval, both tests, and the conclusion they allow —
 * stated plainly when the counts are too small to show any change.
 */
export function categorySummaries(rows: readonly OutcomeRow[]): string[] {
  const categories = [...new Set(rows.map((r) => r.category))];
  return categories.map((category) => {
    const total = rows.find((r) => r.category === category && r.case_type === ALL)!;
    const parts = rows.filter((r) => r.category === category && r.case_type !== ALL);
    const split =
      parts.length > 1
        ? ` (${parts.map((p) => formatNumber(p.before)).join(" + ")} → ${parts.map((p) => formatNumber(p.after)).join(" + ")} by case type: ${parts.map((p) => caseTypeLabel(p.case_type)).join(" + ")})`
        : "";
    const level = formatLevel(total.exact_test.confidence_level);
    const ratio =
      total.rate_ratio === null
        ? "no rate ratio (nothing before)"
        : `after/before ratio ${total.rate_ratio.toFixed(3)} (${level} CI [${precise(total.exact_test.ci_low, 6)}, ${precise(total.exact_test.ci_high, 6)}])`;
    const direction =
      total.direction_met === null ? "no change" : total.direction_met ? `in the desired direction (${total.desired_direction})` : `against the desired direction (${total.desired_direction})`;
    const alpha = formatLevel(1 - total.exact_test.confidence_level);
    const conclusion = tooSmallToShowChange(total)
      ? "but counts this small cannot show a significant change"
      : total.significant
        ? `and significant at the ${alpha} level`
        : `but not significant at the ${alpha} level`;
    return (
      `${categoryLabel(category)}: ${countsText(total, total.days)}${split}, ${formatSigned(total.change)} (${formatPercent(total.percent_change)}); ` +
      `${ratio}; exact conditional (binomial) two-sided p = ${precise(total.exact_test.p_value, 10)}, E-test p = ${precise(total.e_test.p_value, 10)}; ${direction}, ${conclusion}.`
    );
  });
}

// Summary figures keep enough digits to be checked against R or scipy (p = 0.2265625, not 0.227).
const precise = (x: number | null, digits: number) => (x === null ? "∞" : String(Number(x.toPrecision(digits))));

/** The evaluation for people: areas, periods, the summary lines, each row's verdict, the caveats. */
export function evaluationText(result: EvaluationResult): string {
  const period = (p: EvaluationResult["before"]) => `${p.label} (${p.windows.map((w) => `${w.first} … ${w.last}`).join(", ")}; ${p.days} days)`;
  const lines = [
    `Evaluation area: ${result.area.selection} (${result.area.kind})`,
    ...(result.control ? [`Control area: ${result.control.selection}`] : []),
    ...(result.buffer ? [`Buffer area: ${result.buffer.selection}`] : []),
    ...(result.buffer_control ? [`Buffer control area: ${result.buffer_control.selection}`] : []),
    `Before: ${period(result.before)}`,
    `After:  ${period(result.after)}`,
    "",
    "Summary",
    ...result.summary.map((s) => `  ${s}`),
    "",
    "By category and case type",
    ...result.outcomes.map((r) => `  ${r.verdict}`),
    "",
    "Caveats",
    ...result.caveats.map((c) => `  - ${c}`),
  ];
  return lines.join("\n");
}
