import type { EvaluationIndicator } from "../../dashboard/data-contract.js";

/** An indicator of the evaluation page's data with no figures (every figure null) but those in `figures`. */
export function indicator(id: string, figures: Partial<EvaluationIndicator> = {}): EvaluationIndicator {
  return {
    id,
    name: `Indicator ${id}`,
    name_lt: `Rodiklis ${id}`,
    kind: "process",
    unit: "persons",
    baseline: null,
    baseline_period: null,
    target: null,
    achieved: null,
    achieved_qualifier: null,
    period: "2019",
    desired_direction: "increase",
    percent_of_target: null,
    target_met: null,
    change_from_baseline: null,
    percent_change_from_baseline: null,
    direction_met: null,
    checkpoints: [],
    note: null,
    ...figures,
  };
}
