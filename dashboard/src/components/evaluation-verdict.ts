// The plain-words verdict that opens the Project evaluation page: for one project of evaluation.json,
// what it targeted, what it reached, and what the incident data can and cannot show about its
// outcome. Only the published figures are read; the wording is the language's (strings-*.ts,
// evaluation.verdict). Only type imports, so the tests run it in Node.
import type { EvaluationData, EvaluationIndicator, EvaluationOutcome, ProjectEvaluation } from "../../data-contract.js";
import type { AreaParts, Strings, UnitNames } from "./strings.js";

/**
 * What newer evaluation.json adds to an evaluation and its rows (etl/publish/evaluation-data.ts,
 * PublishedEvaluationExtras): the design rating, the placebo tests and the power. Older data have none.
 */
export interface EvaluationExtras {
  area_parts?: AreaParts | null;
  control_parts?: AreaParts | null;
  design?: { level: number; at_best: boolean; label: string; reason: string; to_raise: string[] } | null;
  placebo_tests?: Array<{
    category: string;
    kind: "in_time" | "in_space";
    placebos: number;
    compared: number;
    rank: number | null;
    p_value: number | null;
    share_as_large: number | null;
  }>;
}
export interface OutcomeExtras {
  detectable?: { power: number; rise_ratio: number | null; fall_ratio: number | null } | null;
}
/** A project of evaluation.json, with the extras of newer data where present. */
export type VerdictProject = Omit<EvaluationData["projects"][number], "evaluations"> & {
  evaluations: Array<Omit<ProjectEvaluation, "outcomes"> & EvaluationExtras & { outcomes: Array<EvaluationOutcome & OutcomeExtras> }>;
};

/** The verdict's sentences, in the page's language. */
export interface ProjectVerdict {
  targeted: string[];
  reached: string[];
  others: string | null;
  noFigure: string | null;
  outcome: Array<{ what: string; can: string[]; cannot: string[] }>;
}

/**
 * The verdict on `project` (a project of evaluation.json) in the language of `tr` (strings(lang)):
 * `targeted` and `reached` are sentences about the indicators that state a target; `others` sums up
 * the results stated without one (null when there are none); `outcome` has, per incident-based
 * evaluation, what was measured, what the figures can show and what they cannot. `units` are the
 * unit names of evaluation.json (`{persons: {en: [...], lt: [...]}}`), for numbers with agreeing nouns.
 */
export function projectVerdict(project: VerdictProject, tr: Strings, units: UnitNames = {}): ProjectVerdict {
  const v = tr.evaluation.verdict;
  const name = (i: EvaluationIndicator) => tr.dataText(i, "name");
  const withTarget = project.indicators.filter((i): i is EvaluationIndicator & { target: number } => i.target !== null);
  const targeted = withTarget.length
    ? withTarget.map((i) => v.target(name(i), tr.formatUnitCount(i.target, i.unit, units), tr.formatPeriod(i.period)))
    : [v.noTargets];
  const reached = withTarget.map((i) => reachedSentence(i, tr));
  const others = project.indicators.filter((i) => i.target === null && i.achieved !== null);
  const withBaseline = others.filter((i) => i.direction_met !== null);
  const othersSentence = others.length ? v.others(others.length, withBaseline.length, withBaseline.filter((i) => i.direction_met).length) : null;
  const noFigure = project.indicators.filter((i) => i.target === null && i.achieved === null).length;
  const outcome = project.evaluations.length ? project.evaluations.map((ev) => evaluationVerdict(ev, tr)) : [{ what: v.noEvaluation, can: [], cannot: [] }];
  return { targeted, reached, others: othersSentence, noFigure: noFigure ? v.noFigure(noFigure) : null, outcome };
}

/** One indicator with a target: its result (or the checkpoints' running total) against it. */
function reachedSentence(i: EvaluationIndicator, tr: Strings): string {
  const v = tr.evaluation.verdict;
  const name = tr.dataText(i, "name");
  const target = tr.formatCount(i.target);
  if (i.achieved !== null) {
    const key = i.target_met ? ((i.percent_of_target ?? 0) > 100 ? "exceeded" : "met") : "notReached";
    return v.reached(name, tr.formatQualified(i.achieved, i.achieved_qualifier), target, tr.formatPercent(i.percent_of_target), tr.evaluation.statuses[key]);
  }
  const last = i.checkpoints.at(-1);
  if (last && last.percent_of_target !== null)
    return v.checkpoints(name, tr.formatQualified(last.cumulative, last.cumulative_qualifier), target, tr.formatPercent(last.percent_of_target));
  return v.noResult(name);
}

/** What one before/after evaluation measured, what its figures can show and what they cannot. */
function evaluationVerdict(ev: VerdictProject["evaluations"][number], tr: Strings): ProjectVerdict["outcome"][number] {
  const v = tr.evaluation.verdict;
  const title = tr.dataText(ev, "title");
  if (ev.error) return { what: v.evaluationError(title), can: [], cannot: [] };
  // The totals over every case type when the evaluation has them; otherwise each case type.
  const totals = ev.outcomes.filter((o) => o.case_type === "all");
  const rows = totals.length ? totals : ev.outcomes;
  const what = rows.map((o) => {
    const direction = tr.evaluation.directions[o.desired_direction];
    const way = o.direction_met === null ? v.noChange : o.direction_met ? v.desired(direction) : v.against(direction);
    const label = o.case_type === "all" ? tr.categoryLabel(o.category) : `${tr.categoryLabel(o.category)}, ${tr.caseTypeLabel(o.case_type)}`;
    return v.measured(label, tr.areaLabel(ev.area, ev.area_parts), tr.formatCount(o.before), ev.before.label, tr.formatCount(o.after), ev.after.label, way);
  });
  const can = rows.map((o) => {
    const reading = exactReading(o, ev.confidence_level);
    return reading === "significant"
      ? v.significant(tr.formatP(o.exact_p))
      : reading === "borderline"
        ? borderlineSentence(o, ev.confidence_level, tr)
        : reading === "tooSmall"
          ? v.tooSmall
          : v.chance;
  });
  // What the design and the counts could have shown at all (fields of newer data; older data have none).
  if (ev.design) can.push(v.design(ev.design.level, ev.design.at_best, (tr.evaluation.smsLevels as Record<number, string | undefined>)[ev.design.level] ?? ""));
  for (const o of rows) {
    const d = o.detectable;
    if (!o.significant && d && (d.rise_ratio !== null || d.fall_ratio !== null))
      can.push(v.detectable(tr.formatShare(d.power), ratioPercent(d.rise_ratio, tr), ratioPercent(d.fall_ratio, tr)));
  }
  for (const t of ev.placebo_tests ?? []) {
    if (t.kind === "in_space" && t.rank !== null && rows.some((o) => o.category === t.category))
      can.push(v.placeboSpace(t.rank, t.compared + 1, tr.formatP(t.p_value), tr.formatP(1 / (t.compared + 1))));
  }
  const cannot = [ev.control ? v.controlLimits : v.noControl, v.registered];
  return { what: what.join(" "), can: [...new Set(can)], cannot };
}

/**
 * What the exact test says of an outcome row. `significant` is the evaluation module's one rule (p < α
 * and the interval excludes 1, etl/evaluation/statistics/rate-ratio-test.ts exactTestReading), so a
 * p below α without it is the border where the two exact methods disagree: the interval holds 1.
 */
export function exactReading(
  o: Pick<EvaluationOutcome, "significant" | "exact_p" | "too_small_to_show_change">,
  confidenceLevel: number,
): "significant" | "borderline" | "tooSmall" | "chance" {
  if (o.significant) return "significant";
  if (o.exact_p < 1 - confidenceLevel) return "borderline";
  return o.too_small_to_show_change ? "tooSmall" : "chance";
}

/** The borderline sentence with the row's p-value and interval in the page's language. */
export function borderlineSentence(o: Pick<EvaluationOutcome, "exact_p" | "ci_low" | "ci_high">, confidenceLevel: number, tr: Strings): string {
  const alpha = Number((1 - confidenceLevel).toPrecision(12));
  return tr.evaluation.verdict.borderline(
    tr.formatP(o.exact_p),
    tr.formatNumber(alpha, 2),
    tr.formatShare(confidenceLevel),
    tr.formatNumber(o.ci_low, 2),
    o.ci_high === null ? "∞" : tr.formatNumber(o.ci_high, 2),
  );
}

/** An after/before rate ratio as a signed percentage change ("+407 %"); null stays null. */
function ratioPercent(ratio: number | null | undefined, tr: Strings): string | null {
  return ratio === null || ratio === undefined
    ? null
    : tr
        .formatPercent((ratio - 1) * 100)
        .replace(/^(?=\d)/, "+")
        .replace(/^-/, "−");
}

/** A caveat in English and, where the data have it, Lithuanian. */
export interface CaveatText {
  en: string;
  lt: string | null;
}

/**
 * An evaluation's caveats with the one that says what the release rules left out (the withheld
 * categories, what "all" was counted without) taken apart: publish appends it last, worded by the
 * evaluation module (etl/evaluation/statistics/caveats.ts `withheld_sensitive`, the sentence the
 * reports print too), and the page shows it beside the areas instead of among the caveats.
 */
export function releaseNoteApart(ev: Pick<ProjectEvaluation, "caveats" | "caveats_lt"> & { withheld_categories?: string[]; all_excludes?: string[] }): {
  note: CaveatText | null;
  caveats: CaveatText[];
} {
  const caveats = ev.caveats.map((en, i) => ({ en, lt: ev.caveats_lt?.[i] ?? null }));
  if (!ev.withheld_categories?.length && !ev.all_excludes?.length) return { note: null, caveats };
  return { note: caveats.at(-1) ?? null, caveats: caveats.slice(0, -1) };
}
