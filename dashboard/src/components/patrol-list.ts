// The patrol page's list of one method's ranked cells, cut where the release rules withhold a rank.
import type { PatrolForecast } from "../../data-contract.js";
import type { Strings } from "./strings.js";

export type PatrolCell = PatrolForecast["cells"][number];

/** What the patrol page lists of one method's ranking, and what it leaves out. */
export interface PatrolList {
  /** Ranks 1, 2, … up to the first withheld rank (excluded): the cells a patrol plan may follow in order. */
  shown: PatrolCell[];
  /** The first withheld rank, or null where none is withheld. */
  firstWithheld: number | null;
  /** Ranks the release rules withheld (`forecast.withheld[method]`). */
  withheld: number;
  /** Published cells ranked below the first withheld rank, left out of the list. */
  below: number;
  /** The share of the study area the shown cells cover (0 when none is shown). */
  shownShare: number;
}

/**
 * One method's ranked cells as the page lists them. The publish step leaves out the cells whose
 * ranking rests on 1 to threshold − 1 incidents (etl/publish/patrol-data.ts) and keeps those ranked
 * below them; listed straight on, a cell with no incident would read as the next priority after a
 * gap nobody sees. So the list stops at the first withheld rank: the first gap in 1, 2, 3, …, or,
 * where the published ranks have none, the rank after the last one when some are withheld.
 */
export function patrolList(forecast: Pick<PatrolForecast, "cells" | "withheld"> | null, method: string): PatrolList {
  const ranked = (forecast?.cells ?? []).filter((c) => c.method === method).sort((a, b) => a.rank - b.rank);
  const withheld = forecast?.withheld?.[method] ?? 0;
  let n = 0;
  while (n < ranked.length && ranked[n]!.rank === n + 1) n++;
  const firstWithheld = n < ranked.length || withheld > 0 ? n + 1 : null;
  const shown = ranked.slice(0, n);
  return { shown, firstWithheld, withheld, below: ranked.length - n, shownShare: shown.at(-1)?.cumulative_area_share ?? 0 };
}

/**
 * Why "selected" is the method it is, in the page's language: the method a backtest chose, or the
 * baseline and why it was kept (the reasons of etl/analytics/forecast-selection.ts). No margin or gain
 * is published where the choice had no runner-up to compare with.
 */
export function chosenText(tr: Strings, month: string, chosen: NonNullable<PatrolForecast["chosen"]>): string {
  const pctOrNone = (x: number | null) => (x === null ? tr.patrol.noRunnerUp : tr.formatMargin(x, 1));
  if (chosen.reason === "too little history") return tr.patrol.chosenTooShort;
  // Months enough, but the baseline's list never hit: not a short history.
  if (chosen.reason === "baseline never hit") return tr.patrol.chosenNeverHit(tr.formatCount(chosen.months));
  // Margin and gain withheld: a backtest month they average over is withheld, and they would give it back (release-rules.ts).
  const withheld = chosen.withheld === true && chosen.runner_up !== null;
  if (chosen.reason === "baseline best in backtest")
    return chosen.runner_up === null
      ? tr.patrol.chosenBaselineAlone
      : withheld
        ? tr.patrol.chosenBaselineWithheld(tr.methodLabel(chosen.runner_up))
        : tr.patrol.chosenBaseline(pctOrNone(chosen.margin), tr.methodLabel(chosen.runner_up));
  if (withheld) return tr.patrol.chosenWithheld(month, tr.methodLabel(chosen.method), tr.methodLabel(chosen.runner_up!), tr.formatCount(chosen.months));
  return tr.patrol.chosen(
    month,
    tr.methodLabel(chosen.method),
    pctOrNone(chosen.margin),
    chosen.runner_up ? tr.methodLabel(chosen.runner_up) : tr.patrol.noRunnerUp,
    pctOrNone(chosen.gain_over_baseline),
    tr.formatCount(chosen.months),
  );
}
