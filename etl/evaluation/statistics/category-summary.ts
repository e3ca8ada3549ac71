import { caseTypeLabel, categoryLabel, formatLevel, formatNumber, formatPercent, formatSigned } from "../format.ts";
import { ALL } from "./count-table.ts";
import type { OutcomeRow } from "./outcome-row.ts";
import { borderlineText, countsText, rowExactReading, tooSmallToShowChange } from "./verdict.ts";

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
      total.direction_met === null
        ? "no change"
        : total.direction_met
          ? `in the desired direction (${total.desired_direction})`
          : `against the desired direction (${total.desired_direction})`;
    const alpha = formatLevel(1 - total.exact_test.confidence_level);
    const conclusion =
      rowExactReading(total) === "borderline"
        ? `but not significant at the ${alpha} level. ${borderlineText(total)}`
        : tooSmallToShowChange(total)
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
