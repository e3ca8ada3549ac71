// Types of evaluation-verdict.js, for the TypeScript tests (the pages use the JavaScript as is).
import type { EvaluationData } from "../../data-contract.js";
import type { Strings, UnitNames } from "./strings.js";

export interface ProjectVerdict {
  targeted: string[];
  reached: string[];
  others: string | null;
  noFigure: string | null;
  outcome: Array<{ what: string; can: string[]; cannot: string[] }>;
}
export function projectVerdict(project: EvaluationData["projects"][number], tr: Strings, units?: UnitNames): ProjectVerdict;
