import { caveatText, testedComparisons, type Caveat } from "../statistics/caveats.ts";
import { categorySummaries } from "../statistics/category-summary.ts";
import type { ProjectOutcome, ProjectReport } from "../lake/project-report.ts";
import type { EvaluationResult } from "../lake/run-evaluation.ts";
import { withheldCategories } from "./withheld-categories.ts";
import { ALL } from "../statistics/count-table.ts";
import { perLocalityWithheld } from "../../publish/release-rules.ts";

/**
 * A project report as it may be shared: the release rules of etl/publish/release-rules.ts applied to
 * the files `hotspots report` writes. A sensitive category is released only as a whole municipality's
 * figure, by the rule the dashboard's evaluation data follow too (withheldInEvaluation): where any
 * area of an evaluation (area, control, buffer, the buffer's control) is smaller, that category's
 * rows, summaries, history, time series, placebos, synthetic control, cross-checks and caveats are
 * left out, "all offences" was counted without every sensitive category (run-evaluation.ts
 * `all_excludes`) — and is left out too where the project publishes a figure of its own for the area
 * (ProjectOutcome `projectFigures`), which it less ours would give the sensitive count — and a caveat
 * names what was withheld. Counts below the suppression threshold are kept:
 * an evaluation's counts are a whole project area's totals over a whole period, the figures a project
 * itself reports (the dashboard publishes them too). The lake's tables keep everything; only what
 * leaves it is filtered.
 */
export function releasableReport(report: ProjectReport, sensitive: ReadonlySet<string>): ProjectReport {
  return { ...report, outcomes: report.outcomes.map((o) => withoutDonorWeights(releasableOutcome(o, sensitive), sensitive)) };
}

/**
 * The outcome without the donor weights of a synthetic control whose per-locality figures may not be
 * published (release-rules.ts perLocalityWithheld: a sensitive category, or an "all" that counts one),
 * as the dashboard's evaluation data leave them out; the rest of the synthetic control stays.
 */
function withoutDonorWeights(outcome: ProjectOutcome, sensitive: ReadonlySet<string>): ProjectOutcome {
  const allExcludes = outcome.result?.all_excludes ?? [];
  return {
    ...outcome,
    syntheticControls: outcome.syntheticControls.map((s) =>
      !s.control.refused && perLocalityWithheld(s.category, allExcludes, { sensitive }) ? { ...s, control: { ...s.control, weights: [] } } : s,
    ),
  };
}

/**
 * Whether a cross-check of `caseType` may be shown: it sets the seed's figures beside the lake's count
 * of one outcome row of that case type (project-report.ts crossChecks: the first), so none of that case
 * type's rows may be of a withheld category — which row it is then does not matter.
 */
export function crossCheckShown(
  caseType: string,
  rows: ReadonlyArray<{ case_type: string | null; category: string | null }>,
  withheld: ReadonlySet<string>,
): boolean {
  const own = rows.filter((r) => r.case_type === caseType);
  return own.length > 0 && own.every((r) => r.category !== null && !withheld.has(r.category));
}

function releasableOutcome(outcome: ProjectOutcome, sensitive: ReadonlySet<string>): ProjectOutcome {
  const result = outcome.result;
  if (!result) return outcome;
  const withheld = new Set(withheldCategories(result, outcome.projectFigures, sensitive));
  const note = releaseNote(
    withheld,
    result.outcomes.map((r) => r.category),
    result.all_excludes,
  );
  if (!note) return outcome;
  const shown = (category: string) => !withheld.has(category);
  const outcomes = result.outcomes.filter((r) => shown(r.category));
  return {
    ...outcome,
    spec: { ...outcome.spec, categories: outcome.spec.categories.filter(shown) },
    result: {
      ...result,
      outcomes,
      summary: categorySummaries(outcomes),
      history: result.history?.filter((h) => shown(h.category)) ?? null,
      ...withReleaseNote(releasedCaveats(result, withheld), note),
    },
    crossChecks: outcome.crossChecks.filter((c) => crossCheckShown(c.case_type, result.outcomes, withheld)),
    timeSeries: outcome.timeSeries.filter((t) => shown(t.category)),
    spacePlacebos: outcome.spacePlacebos.filter((p) => shown(p.category)),
    syntheticControls: outcome.syntheticControls.filter((s) => shown(s.category)),
  };
}

/**
 * The caveats reworded without the withheld categories' figures (a small-count caveat keeps its other
 * rows; one about a withheld category alone is left out). The lake's notes hold these too, as the
 * dashboard publishes them as written (lake/evaluation-tables.ts noteTableRows).
 */
export function releasedCaveats(
  result: Pick<EvaluationResult, "caveats" | "caveats_lt" | "caveat_codes" | "outcomes">,
  withheld: ReadonlySet<string>,
): Pick<EvaluationResult, "caveats" | "caveats_lt" | "caveat_codes"> {
  if (withheld.size === 0) return { caveats: result.caveats, caveats_lt: result.caveats_lt, caveat_codes: result.caveat_codes };
  const kept: Array<{ code: Caveat | null; en: string; lt: string }> = [];
  result.caveats.forEach((en, i) => {
    const code = result.caveat_codes[i] ?? null;
    const released = code && releasedCaveat(code, withheld, result.outcomes);
    if (code && !released) return;
    kept.push(released ? { code: released, en: caveatText("en", released), lt: caveatText("lt", released) } : { code, en, lt: result.caveats_lt[i]! });
  });
  return { caveats: kept.map((k) => k.en), caveats_lt: kept.map((k) => k.lt), caveat_codes: kept.map((k) => k.code) };
}

/**
 * The caveat that says what an evaluation's release withholds, with its English and Lithuanian text
 * (the reports' and the dashboard's): the `withheld` categories, and the sensitive ones its "all
 * offences" was counted without (its `all_excludes`) where "all" is among its `categories` — shown so
 * counted, or withheld ("all" among `withheld`: beside the project's own figure). Null when there is
 * neither.
 */
export function releaseNote(
  withheld: Iterable<string>,
  categories: Iterable<string>,
  allExcludes: readonly string[],
): { code: Caveat; en: string; lt: string } | null {
  const all = [...categories].includes(ALL);
  const named = [...withheld];
  const code: Caveat = {
    code: "withheld_sensitive",
    params: { categories: named.filter((c) => c !== ALL), all_excludes: all ? [...allExcludes] : [], all_withheld: named.includes(ALL) },
  };
  if (code.params.categories.length === 0 && code.params.all_excludes.length === 0) return null;
  return { code, en: caveatText("en", code), lt: caveatText("lt", code) };
}

/** The caveats with the one that says what was withheld. */
function withReleaseNote(
  caveats: Pick<EvaluationResult, "caveats" | "caveats_lt" | "caveat_codes">,
  note: { code: Caveat; en: string; lt: string },
): Pick<EvaluationResult, "caveats" | "caveats_lt" | "caveat_codes"> {
  return {
    caveats: [...caveats.caveats, note.en],
    caveats_lt: [...caveats.caveats_lt, note.lt],
    caveat_codes: [...caveats.caveat_codes, note.code],
  };
}

/** A caveat without the withheld categories, or null when it is about them alone. */
function releasedCaveat(caveat: Caveat, withheld: ReadonlySet<string>, rows: EvaluationResult["outcomes"]): Caveat | null {
  switch (caveat.code) {
    case "many_tests": {
      // How many comparisons had incidents would tell that a withheld category had some: count the shown ones.
      const tested = testedComparisons(rows.filter((r) => !withheld.has(r.category)));
      return tested > 1 ? { code: "many_tests", params: { ...caveat.params, tested } } : null;
    }
    case "small_counts": {
      const rows = caveat.params.rows.filter((r) => !withheld.has(r.category));
      return rows.length > 0 ? { code: "small_counts", params: { rows } } : null;
    }
    case "detection":
    case "pre_trend":
      return withheld.has(caveat.params.category) ? null : caveat;
    default:
      return caveat;
  }
}
