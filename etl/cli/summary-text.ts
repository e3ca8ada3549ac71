import { leftOutText, SPARSE_MONTH_SHARE } from "../analytics/lake-months.ts";
import { evaluateText } from "../evaluation/lake/evaluate-stage.ts";
import type { PublishSummary } from "../publish/dashboard-data.ts";
import type { PipelineSummary } from "../stages.ts";
import { analyticsText } from "./analytics-text.ts";
import { monthList, type Removal } from "../ingest/export-removal.ts";

/** Everything a run did (each stage's summary, and whether the site was built); `--json` prints exactly this object. */
export type RunSummary = Omit<PipelineSummary, "publish"> & { publish?: PublishSummary & { built: boolean } };

const BIN_LABELS: Record<string, string> = {
  "3": "hot 99 %",
  "2": "hot 95 %",
  "1": "hot 90 %",
  "-1": "cold 90 %",
  "-2": "cold 95 %",
  "-3": "cold 99 %",
};
const fmt = (n: number) => n.toLocaleString("en-GB");

/** The closing summary for people: what was read, kept, refused and found. */
export function summaryText(summary: RunSummary): string {
  const lines = [`Lake: ${summary.lake}`];
  const { ingest, analyse, publish } = summary;
  if (ingest) {
    const warned = ingest.files.reduce((sum, f) => sum + Object.values(f.warnings).reduce((a, n) => a + n, 0), 0);
    lines.push(
      `Ingest: ${fmt(ingest.rows_read)} rows read, ${fmt(ingest.rows_ingested)} ingested, ${fmt(ingest.rows_quarantined)} quarantined${warned ? `, ${fmt(warned)} kept with a warning` : ""}`,
    );
    for (const f of ingest.files) {
      const reasons = Object.entries(f.quarantine_reasons).map(([code, n]) => `${code} ${fmt(n)}`);
      const warnings = Object.entries(f.warnings).map(([code, n]) => `${code} ${fmt(n)}`);
      const months = f.months.length > 0 ? `months ${f.months[0]} … ${f.months.at(-1)}` : "no rows ingested";
      lines.push(
        `  ${f.file}: ${months}${reasons.length ? `; quarantined: ${reasons.join(", ")}` : ""}${warnings.length ? `; warnings: ${warnings.join(", ")}` : ""}`,
      );
      // Every month an ingest took out of the lake is said (a new version without them, or a superseded export).
      for (const r of (f as { removed?: Removal[] }).removed ?? []) {
        lines.push(`    removed from the lake: export '${r.export}' months ${monthList(r.months)} (${fmt(r.rows)} incidents)`);
      }
      // A skipped municipality check is said, so that no one takes the rows' municipalities as checked.
      if (f.municipality_check?.startsWith("skipped")) lines.push(`    municipality check ${f.municipality_check}`);
      for (const note of f.notes ?? []) lines.push(`    warning: ${note}`);
    }
  }
  if (summary.context) {
    const c = summary.context;
    lines.push(`Context: ${fmt(c.exposure)} exposure figures, ${fmt(c.projects)} projects, ${fmt(c.indicators)} indicators, ${fmt(c.checkpoints)} checkpoints`);
  }
  if (analyse) {
    lines.push(
      `Hot spots: ${fmt(analyse.months)} months (${analyse.first_month ?? "–"} … ${analyse.last_month ?? "–"}) × ${fmt(analyse.cells)} cells = ${fmt(analyse.cell_months)} cell-months`,
      `  months recomputed ${fmt(analyse.months_recomputed)}, kept ${fmt(analyse.months_kept)}${analyse.months_kept > 0 ? " (incidents and parameters unchanged; --full recomputes them)" : ""}`,
      `  incidents inside the study area ${fmt(analyse.incidents_in_study_area)}, outside ${fmt(analyse.incidents_outside_study_area)}` +
        (analyse.incidents_before_first_month > 0
          ? `; ${fmt(analyse.incidents_before_first_month)} in the months before ${analyse.first_month}, not analysed (each holds under ${SPARSE_MONTH_SHARE * 100} % of a typical month's incidents: late reports or mistyped years)`
          : ""),
    );
    // Months after the analysed ones (analysisEnd), their incidents as analyseStage released them.
    for (const m of analyse.months_not_analysed ?? [])
      lines.push(
        `  ${leftOutText({ ...m, incidents: m.incidents ?? 0 }, m.incidents === null ? "withheld: fewer than the suppression threshold" : fmt(m.incidents))}; its incidents stay in the lake`,
      );
    if (analyse.gap_months.length > 0) {
      const gaps = analyse.gap_months;
      lines.push(
        `  warning: ${gaps.length === 1 ? `${gaps[0]} holds` : `${fmt(gaps.length)} months (${gaps.length <= 4 ? gaps.join(", ") : `${gaps.slice(0, 3).join(", ")} … ${gaps.at(-1)}`}) hold`} ` +
          "far fewer incidents than a typical month, more than chance explains: they are analysed as a fall in crime. If an export misses them, ingest it (hotspots ingest), then run again",
      );
    }
    lines.push(`  all offences, cell-months of all ${fmt(analyse.months)} months by confidence bin (without FDR / with FDR):`);
    for (const bin of ["3", "2", "1", "-1", "-2", "-3"]) {
      lines.push(
        `    ${BIN_LABELS[bin]!.padEnd(10)} ${fmt(analyse.hot_spot_cell_months_by_bin[bin] ?? 0).padStart(7)} / ${fmt(analyse.hot_spot_cell_months_by_bin_fdr[bin] ?? 0)}`,
      );
    }
  }
  if (summary.analytics) lines.push(...analyticsText(summary.analytics));
  if (summary.evaluate) lines.push(evaluateText(summary.evaluate));
  if (publish) {
    const size = Object.values(publish.files).reduce((s, n) => s + n, 0);
    lines.push(
      `Dashboard data: ${Object.keys(publish.files).length} files, ${fmt(Math.round(size / 1024))} KiB, ${fmt(publish.suppressed_counts)} small counts suppressed${publish.built ? "; site built" : ""}`,
    );
  }
  return lines.join("\n");
}
