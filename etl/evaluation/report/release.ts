import { caveatText, testedComparisons, type Caveat } from "../statistics/caveats.ts";
import { categorySummaries } from "../statistics/category-summary.ts";
import type { ProjectOutcome, ProjectReport } from "../lake/project-report.ts";
import type { EvaluationResult } from "../lake/run-evaluation.ts";

/**
 * A project report as it may be shared: the release rules of etl/publish/release-rules.ts applied to
 * the files `hotspots report` writes. A sensitive category is released only as a whole municipality's
 * figure (as the dashboard's evaluation page releases it), so where any area of an evaluation (area,
 * control, buffer) is smaller, that category's rows, summaries, history, time series, placebos,
 * synthetic control, cross-checks and caveats are left out, and a caveat names what was withheld.
 * Counts below the suppression threshold are kept: an evaluation's counts are a whole project area's
 * totals over a whole period, the figures a project itself reports (the dashboard publishes them too).
 * The lake's tables keep everything; only what leaves it is filtered.
 */
export function releasableReport(report: ProjectReport, sensitive: ReadonlySet<string>): ProjectReport {
  return { ...report, outcomes: report.outcomes.map((o) => releasableOutcome(o, sensitive)) };
}

/** The categories of an evaluation that may not be shown: sensitive ones, unless every area is a municipality. */
export function withheldCategories(result: EvaluationResult, sensitive: ReadonlySet<string>): string[] {
  const areas = [result.area, result.control, result.buffer, result.buffer_control].filter((a) => a !== null);
  if (areas.every((a) => a.kind === "municipality")) return [];
  return [...new Set(result.outcomes.map((r) => r.category))].filter((c) => sensitive.has(c)).sort();
}

function releasableOutcome(outcome: ProjectOutcome, sensitive: ReadonlySet<string>): ProjectOutcome {
  const result = outcome.result;
  if (!result) return outcome;
  const withheld = new Set(withheldCategories(result, sensitive));
  if (withheld.size === 0) return outcome;
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
      ...withWithheldNote(releasedCaveats(result, withheld), withheld),
    },
    // A cross-check compares the first row of its case type (project-report.ts crossChecks).
    crossChecks: outcome.crossChecks.filter((c) => shown(result.outcomes.find((r) => r.case_type === c.case_type)?.category ?? "")),
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

/** The caveats with the one that says what was withheld. */
function withWithheldNote(
  caveats: Pick<EvaluationResult, "caveats" | "caveats_lt" | "caveat_codes">,
  withheld: ReadonlySet<string>,
): Pick<EvaluationResult, "caveats" | "caveats_lt" | "caveat_codes"> {
  const note: Caveat = { code: "withheld_sensitive", params: { categories: [...withheld] } };
  return {
    caveats: [...caveats.caveats, caveatText("en", note)],
    caveats_lt: [...caveats.caveats_lt, caveatText("lt", note)],
    caveat_codes: [...caveats.caveat_codes, note],
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
