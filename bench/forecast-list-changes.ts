/**
 * Why a candidate wins or loses against last-12-months at one area share: month by month, the cells
 * its list takes that the baseline's does not and the ones it leaves out, with each cell's count over
 * the 12 months before (what the baseline ranks by) and the incidents each set then caught. A
 * diagnostic for the issue-14 figures (`forecast-datasets.ts`), on the same lakes and study areas
 * (`forecast-dataset-grids.ts`).
 *
 *   npx tsx bench/forecast-list-changes.ts --only tempe --resolution 9 --method 'stacked(kde(b=1,h=24),w=0.5)' --share 0.05 --months 12
 */
import { ALL_OFFENCES, monthSlice } from "../etl/analytics/cell-month-grid.ts";
import { cellAreasKm2, cellsForAreaShare, rankCells } from "../etl/analytics/cell-selection.ts";
import { BASELINE_METHOD, candidateScorer, candidatesNamed, scoringContext } from "../etl/analytics/forecast-candidates.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import type { CellScores } from "../etl/analytics/patrol-scores.ts";
import { DATASETS, datasetGrid, datasetLake } from "./forecast-dataset-grids.ts";

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const only = option("--only") ?? "";
const data = DATASETS.find((d) => d.name.includes(only));
if (data === undefined) throw new Error(`no data set matches --only '${only}'; known: ${DATASETS.map((d) => d.name).join(", ")}`);
const resolution = Number(option("--resolution") ?? 9);
const method = option("--method");
if (method === undefined) throw new Error("give --method with a candidate label, e.g. --method 'stacked(kde(b=1,h=24),w=0.5)'");
const share = Number(option("--share") ?? 0.05);
const months = Number(option("--months") ?? 12);

const settings = await datasetLake(data, resolution);
const grid = await datasetGrid(data, settings, option("--category") ?? ALL_OFFENCES);
const context = scoringContext(grid, kRingWeights(grid.cells, settings.k));
const [baseline, candidate] = candidatesNamed([BASELINE_METHOD, method]).map((c) => candidateScorer(c, context));
const areas = cellAreasKm2(grid.cells);
const list = (score: CellScores) => {
  const order = rankCells(score.score, score.tieBreak);
  return Array.from(order.subarray(0, cellsForAreaShare(order, areas, share)));
};
console.log(`${data.name} r${resolution}: ${grid.cells.length} cells; ${method} against ${BASELINE_METHOD} at ${100 * share} % of the area`);
for (let t = Math.max(1, grid.months.length - months); t < grid.months.length; t++) {
  const actual = monthSlice(grid, t);
  const b = baseline!(t);
  const mine = list(candidate!(t));
  const theirs = list(b);
  const inTheirs = new Set(theirs);
  const inMine = new Set(mine);
  const added = mine.filter((c) => !inTheirs.has(c));
  const dropped = theirs.filter((c) => !inMine.has(c));
  const caught = (cells: number[]) => cells.reduce((s, c) => s + actual[c]!, 0);
  const counts = (cells: number[]) =>
    cells
      .map((c) => b.score[c]!)
      .sort((x, y) => y - x)
      .join(",");
  const total = actual.reduce((s, v) => s + v, 0);
  console.log(
    `${grid.months[t]}: ${total} incidents; baseline list ${theirs.length} cells caught ${caught(theirs)}, ${method} ${mine.length} caught ${caught(mine)}; ` +
      `swapped ${added.length}: added cells caught ${caught(added)} (12-month counts ${counts(added) || "–"}), dropped cells ${caught(dropped)} (counts ${counts(dropped) || "–"})`,
  );
}
