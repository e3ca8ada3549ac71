import type { DuckDBConnection } from "@duckdb/node-api";
import { readLakeCounts, type LakeCounts } from "./lake-counts.ts";
import type { StudyArea } from "./lake-grid.ts";

/** How many of the lake's incidents lie in the study area's cells, and how many outside them. */
export interface StudyAreaCoverage {
  inside: number;
  outside: number;
}

/** The lake's incidents (every category and month) inside and outside the cells of `area`. */
export function studyAreaCoverage(area: Pick<StudyArea, "cells">, counts: Pick<LakeCounts, "cells" | "cell" | "count">): StudyAreaCoverage {
  const cells = new Set(area.cells);
  const inArea = Uint8Array.from(counts.cells, (cell) => (cells.has(cell) ? 1 : 0));
  let inside = 0;
  let outside = 0;
  for (let r = 0; r < counts.count.length; r++) {
    if (inArea[counts.cell[r]!]) inside += counts.count[r]!;
    else outside += counts.count[r]!;
  }
  return { inside, outside };
}

/**
 * The refusal of a study area that is another place's: `finding` says what was counted, and the
 * message adds the command line's advice. The Lambda restates it with its deployment's (a redeploy
 * with other context), which is why the two parts are kept apart.
 */
export class StudyAreaCoverageError extends Error {
  constructor(
    readonly finding: string,
    advice: string,
  ) {
    super(`${finding}. ${advice}`);
    this.name = "StudyAreaCoverageError";
  }
}

/**
 * Refuses a study area that holds fewer than half of the lake's incidents. The study area is meant
 * to be the place the exports cover; where most incidents fall outside it, it is another place's —
 * typically the bundled demo's municipalities met by another city's export, with no incident inside
 * — and every result (hot spots, forecasts, the dashboard's maps and title) would describe a place
 * the data barely touch. Half is the line because a real export of the project's own area may also
 * hold a fringe of incidents just across its boundary, never most of them; an export of a wider
 * region than the project's should be cut to it, or the study area widened.
 */
export function checkStudyAreaCoverage(area: Pick<StudyArea, "label">, coverage: StudyAreaCoverage): void {
  const total = coverage.inside + coverage.outside;
  if (total === 0 || 2 * coverage.inside >= total) return;
  const fmt = (n: number) => n.toLocaleString("en-GB");
  throw new StudyAreaCoverageError(
    `only ${fmt(coverage.inside)} of the lake's ${fmt(total)} incidents lie in the study area (${area.label}); ${fmt(coverage.outside)} fall outside it, ` +
      "so it is not the place these exports cover",
    "Use --hull to make the study area the incidents' own: `hotspots run --hull <export file>` records it in the lake with the export " +
      "(the same export ingested again adds nothing), so later commands keep it; `hotspots run --no-ingest --hull` uses it for that run only. " +
      "Or write a project configuration for this place (a copy of data/project.yaml with its title, study_area and places) and pass it with --config",
  );
}

/**
 * checkStudyAreaCoverage of a study area against the lake's counts (read once a process, see
 * readLakeCounts); a hull study area (`hullRing` set) holds the incidents by construction and is not checked.
 */
export async function checkLakeStudyArea(
  connection: DuckDBConnection,
  lake: { lakeDir: string; resolution: number },
  area: Pick<StudyArea, "cells" | "label">,
  hullRing: number | null | undefined,
): Promise<void> {
  if (hullRing != null) return;
  checkStudyAreaCoverage(area, studyAreaCoverage(area, await readLakeCounts(connection, lake.lakeDir, lake.resolution)));
}
