// Types of evaluation-exports.js, for the TypeScript tests (the pages use the JavaScript as is).
import type { EvaluationIndicator, EvaluationOutcome } from "../../data-contract.js";
import type { Strings, UnitNames } from "./strings.js";

export interface CsvColumn<R> {
  label: string;
  value: (row: R) => string | number | null;
}
export function indicatorCsvColumns(
  tr: Strings,
  options: { units?: UnitNames; status: (indicator: EvaluationIndicator) => string },
): Array<CsvColumn<EvaluationIndicator>>;
export function outcomeCsvColumns(tr: Strings, options: { before: string; after: string; level: string }): Array<CsvColumn<EvaluationOutcome>>;
