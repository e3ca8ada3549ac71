import type { EvaluationResult } from "../lake/run-evaluation.ts";
import type { DesignRating } from "../statistics/design-rating.ts";
import { timeSeriesText, type CategoryTimeSeries } from "../its/outcome-time-series.ts";
import { designLines } from "./evaluation-design.ts";
import { releaseNote } from "./release.ts";

/** An evaluation with the rating of its design (and its time series when asked), as `hotspots evaluate` reports it. */
export type RatedEvaluation = EvaluationResult & { design: DesignRating; time_series?: CategoryTimeSeries[] | null };

/**
 * The evaluation for people: areas, periods, design rating, the summary lines, each row's verdict, the
 * caveats, and last, where its "all offences" was counted without the sensitive categories, the
 * sentence the reports and the dashboard say it in (release.ts releaseNote). Nothing is withheld here:
 * the command shows the lake's figures to the analyst who runs it.
 */
export function evaluationText(result: RatedEvaluation): string {
  const allNote = releaseNote(
    [],
    result.outcomes.map((r) => r.category),
    result.all_excludes,
  );
  const period = (p: EvaluationResult["before"]) => `${p.label} (${p.windows.map((w) => `${w.first} … ${w.last}`).join(", ")}; ${p.days} days)`;
  const lines = [
    `Evaluation area: ${result.area.selection} (${result.area.kind})`,
    ...(result.control ? [`Control area: ${result.control.selection}`] : []),
    ...(result.buffer ? [`Buffer area: ${result.buffer.selection}`] : []),
    ...(result.buffer_control ? [`Buffer control area: ${result.buffer_control.selection}`] : []),
    `Before: ${period(result.before)}`,
    `After:  ${period(result.after)}`,
    "",
    "Design",
    ...designLines(result.design).map((s) => `  ${s}`),
    "",
    "Summary",
    ...result.summary.map((s) => `  ${s}`),
    "",
    "By category and case type",
    ...result.outcomes.map((r) => `  ${r.verdict}`),
    "",
    ...(result.time_series ? ["Monthly history", ...result.time_series.map((t) => `  ${timeSeriesText(t, result.confidence_level)}`), ""] : []),
    "Caveats",
    ...[...result.caveats, ...(allNote ? [allNote.en] : [])].map((c) => `  - ${c}`),
  ];
  return lines.join("\n");
}
