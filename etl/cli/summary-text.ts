import type { AnalyseSummary } from "../analytics/analyse-lake.ts";
import type { IngestStageSummary } from "../pipeline.ts";
import type { PublishSummary } from "../publish/dashboard-data.ts";

/** Everything a run did; `--json` prints exactly this object. */
export interface RunSummary {
  lake: string;
  ingest?: IngestStageSummary;
  analyse?: AnalyseSummary;
  publish?: PublishSummary & { built: boolean };
}

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
    lines.push(`Ingest: ${fmt(ingest.rows_read)} rows read, ${fmt(ingest.rows_ingested)} ingested, ${fmt(ingest.rows_quarantined)} quarantined`);
    for (const f of ingest.files) {
      const reasons = Object.entries(f.quarantine_reasons).map(([code, n]) => `${code} ${fmt(n)}`);
      lines.push(`  ${f.file}: months ${f.months[0] ?? "–"} … ${f.months.at(-1) ?? "–"}${reasons.length ? `; quarantined: ${reasons.join(", ")}` : ""}`);
    }
  }
  if (analyse) {
    lines.push(
      `Hot spots: ${fmt(analyse.months)} months (${analyse.first_month ?? "–"} … ${analyse.last_month ?? "–"}) × ${fmt(analyse.cells)} cells = ${fmt(analyse.cell_months)} cell-months`,
      `  incidents inside the study area ${fmt(analyse.incidents_in_study_area)}, outside ${fmt(analyse.incidents_outside_study_area)}`,
      `  all offences, cell-months by confidence bin (without FDR / with FDR):`,
    );
    for (const bin of ["3", "2", "1", "-1", "-2", "-3"]) {
      lines.push(`    ${BIN_LABELS[bin]!.padEnd(10)} ${fmt(analyse.hot_spot_cell_months_by_bin[bin] ?? 0).padStart(7)} / ${fmt(analyse.hot_spot_cell_months_by_bin_fdr[bin] ?? 0)}`);
    }
  }
  if (publish) {
    const size = Object.values(publish.files).reduce((s, n) => s + n, 0);
    lines.push(`Dashboard data: ${Object.keys(publish.files).length} files, ${fmt(Math.round(size / 1024))} KiB, ${fmt(publish.suppressed_counts)} small counts suppressed${publish.built ? "; site built" : ""}`);
  }
  return lines.join("\n");
}
