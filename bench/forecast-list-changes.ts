/**
 * Why a candidate wins or loses against last-12-months at one area share: month by month, the cells
 * its list takes that the baseline's does not and the ones it leaves out, with each cell's count over
 * the 12 months before (what the baseline ranks by) and the incidents each set then caught. A
 * diagnostic for the issue-14 figures (`forecast-datasets.ts`), on the same lakes and study areas
 * (`forecast-dataset-grids.ts`).
 *
 *   npx tsx bench/forecast-list-changes.ts --only tempe --resolution 9 --method 'stacked(kde(b=1,h=24),w=0.5)' --share 0.05 --months 12
 *   npx tsx bench/forecast-list-changes.ts --only tempe --resolution 9 --method 'stacked(kde(b=1,h=24),w=0.5)' --blocks 6
 *
 * `--blocks n` summarises instead the last n 12-month blocks (counted back from the last month): per
 * block, the swapped cells' mean count over the 12 months before each month and over the 12 before
 * those (months 13–24), the incidents the dropped and the added cells caught, and the net; then how
 * much each span of history held: the share of the block's incidents in the top share of the cells
 * ranked by their count over months 1–12 before each month and by months 13–24 before it. A method
 * with a longer memory than the baseline's gains where months 13–24 still hold about as much as
 * months 1–12, and loses where they stop holding it (hot spots that moved).
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
const blocks = option("--blocks") === undefined ? null : Number(option("--blocks"));

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
if (blocks !== null) {
  summariseBlocks(blocks);
  process.exit(0);
}
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

/** The `--blocks` summary (see the header): swaps per 12-month block, and what months 1–12 and 13–24 before each month held. */
function summariseBlocks(count: number): void {
  const n = grid.cells.length;
  const span = (c: number, from: number, to: number) => {
    let s = 0;
    for (let t = Math.max(0, from); t < to; t++) s += grid.counts[t * n + c]!;
    return s;
  };
  const spanCounts = (from: number, to: number) => Float64Array.from({ length: n }, (_, c) => span(c, from, to));
  const last = grid.months.length;
  for (let b = count - 1; b >= 0; b--) {
    const from = last - 12 * (b + 1);
    if (from < 24) continue;
    const s = { dropped: 0, droppedRecent: 0, droppedOlder: 0, droppedCaught: 0, added: 0, addedRecent: 0, addedOlder: 0, addedCaught: 0 };
    let incidents = 0;
    let inRecentTop = 0;
    let inOlderTop = 0;
    for (let t = from; t < from + 12; t++) {
      const actual = monthSlice(grid, t);
      const theirs = list(baseline!(t));
      const mine = list(candidate!(t));
      const inTheirs = new Set(theirs);
      const inMine = new Set(mine);
      for (const c of theirs.filter((x) => !inMine.has(x))) {
        s.dropped++;
        s.droppedRecent += span(c, t - 12, t);
        s.droppedOlder += span(c, t - 24, t - 12);
        s.droppedCaught += actual[c]!;
      }
      for (const c of mine.filter((x) => !inTheirs.has(x))) {
        s.added++;
        s.addedRecent += span(c, t - 12, t);
        s.addedOlder += span(c, t - 24, t - 12);
        s.addedCaught += actual[c]!;
      }
      // Ties by cell id: the persistence of the counts themselves, not of a method's tie-break.
      const caught = (cells: number[]) => cells.reduce((sum, c) => sum + actual[c]!, 0);
      inRecentTop += caught(list({ score: spanCounts(t - 12, t), tieBreak: null }));
      inOlderTop += caught(list({ score: spanCounts(t - 24, t - 12), tieBreak: null }));
      incidents += actual.reduce((sum, v) => sum + v, 0);
    }
    const mean = (x: number, k: number) => (k > 0 ? (x / k).toFixed(2) : "–");
    console.log(
      `${grid.months[from]} – ${grid.months[from + 11]}: ${incidents} incidents; ` +
        `dropped ${s.dropped} cell-months (mean count months 1–12 ${mean(s.droppedRecent, s.dropped)}, 13–24 ${mean(s.droppedOlder, s.dropped)}) caught ${s.droppedCaught}; ` +
        `added ${s.added} (${mean(s.addedRecent, s.added)}, ${mean(s.addedOlder, s.added)}) caught ${s.addedCaught}; net ${s.addedCaught - s.droppedCaught}; ` +
        `share in the top ${100 * share} % by months 1–12 ${(inRecentTop / incidents).toFixed(3)}, by months 13–24 ${(inOlderTop / incidents).toFixed(3)}`,
    );
  }
}
