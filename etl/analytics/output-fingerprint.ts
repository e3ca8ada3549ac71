import { createHash } from "node:crypto";
import type { Manifest } from "../lake/manifest.ts";
import type { EntryExtras } from "../lake/table-writer.ts";
import { incidentFingerprints, inputFingerprint, parametersFingerprint } from "./hot-spot-freshness.ts";

/**
 * The fingerprints the manifest records with an analytics output file (emerging hot spots,
 * forecasts, backtests; hot spots get theirs per month in hot-spot-freshness.ts), so a reader or a
 * later run can tell whether the file still answers the question it would ask now:
 * - `parameters_sha256`: everything besides the incidents that changes the rows — the stage's
 *   parameters (resolution, k, method options, study-area label…), the category, the lake's time
 *   zone (it cuts the months), and the study area's cells (a changed boundary file keeps its label);
 * - `input_sha256`: the incident partitions (keys and checksums) of every month the output read,
 *   so a corrected export of any of those months changes it and one of a later month does not.
 * Call it inside the writer's commit (after recovery), with that commit's manifest.
 */
export function outputFingerprints(
  manifest: Manifest,
  parameters: Record<string, unknown>,
  input: { category: string; cells: readonly string[]; months: readonly string[] },
): Required<EntryExtras> {
  const cells = input.cells.every((c, i) => i === 0 || input.cells[i - 1]! < c) ? input.cells : [...input.cells].sort();
  const byMonth = incidentFingerprints(manifest);
  return {
    parameters_sha256: parametersFingerprint({
      ...parameters,
      category: input.category,
      time_zone: manifest.timezone,
      study_area_cells: cells.length,
      study_area_sha256: sha256(cells.join("\n")),
    }),
    input_sha256: sha256(input.months.map((month) => `${month} ${inputFingerprint(byMonth, month)}\n`).join("")),
  };
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
