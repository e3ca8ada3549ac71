import { html } from "npm:htl";
import type { YearlyRow } from "./aggregate.js";
import { csvButton, type CsvColumn, type DownloadStrings } from "./downloads.js";
import type { Strings } from "./strings.js";

/** The strings of the yearly table. */
export type YearlyTableStrings = DownloadStrings &
  Pick<Strings, "formatWithheld" | "categoryLabel"> & {
    overview: { year: string; total: string; yearlyTitle: string };
    common: { suppressedFootnote: (threshold: number) => string; withheld: string };
  };

/**
 * A table of incidents per year (rows) and category (columns) plus a total, with a CSV download;
 * `data` is the output of yearlyRows(). A withheld count (null: below the threshold, or withheld so
 * that another cannot be worked out by difference) shows as "withheld", not "< k".
 */
export function yearlyTable(
  data: YearlyRow[],
  { categories, threshold, tr }: { categories: readonly string[]; threshold: number; tr: YearlyTableStrings },
): HTMLElement {
  const columns = categories.filter((c) => c !== "all");
  const cell = ({ count }: { count: number | null } = { count: 0 }) => html`<td class="count">${tr.formatWithheld(count)}</td>`;
  const anySuppressed = data.some((row) => row.total.count === null || Object.values(row.cells).some((c) => c.count === null));
  const csv: Array<CsvColumn<YearlyRow>> = [
    { label: tr.overview.year, value: (row) => row.year },
    ...columns.map((c) => ({ label: tr.categoryLabel(c), value: (row: YearlyRow) => csvCount(row.cells[c]?.count ?? 0, tr) })),
    { label: tr.overview.total, value: (row) => csvCount(row.total.count, tr) },
  ];
  return html`<div class="yearly-table">
    <div class="dash-scroll"><table>
      <thead><tr><th>${tr.overview.year}</th>${columns.map((c) => html`<th class="count">${tr.categoryLabel(c)}</th>`)}<th class="count">${tr.overview.total}</th></tr></thead>
      <tbody>${data.map((row) => html`<tr><td>${row.year}</td>${columns.map((c) => cell(row.cells[c]))}${cell(row.total)}</tr>`)}</tbody>
    </table></div>
    ${anySuppressed ? html`<p class="small-note">${tr.common.suppressedFootnote(threshold)}</p>` : ""}
    <div class="dash-table-footer">${csvButton(data, csv, { name: tr.overview.yearlyTitle, tr })}</div>
  </div>`;
}

const csvCount = (count: number | null, tr: YearlyTableStrings) => (count === null ? tr.common.withheld : count);
