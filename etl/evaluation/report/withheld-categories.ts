import { withheldInEvaluation } from "../../publish/release-rules.ts";
import type { EvaluationResult } from "../lake/run-evaluation.ts";

/**
 * The categories of an evaluation that may not be shown (withheldInEvaluation over its areas and the
 * figures the project publishes itself for its area, `projectFigures`: ProjectOutcome's).
 */
export function withheldCategories(result: EvaluationResult, projectFigures: readonly string[], sensitive: ReadonlySet<string>): string[] {
  const areas = [result.area, result.control, result.buffer, result.buffer_control];
  return withheldInEvaluation(
    result.outcomes.map((r) => r.category),
    areas.map((a) => a && { kind: a.kind }),
    { excludes: result.all_excludes, projectFigures },
    { sensitive },
  );
}
