import {html} from "npm:htl";
import {categoryLabel, formatCount, t} from "./strings.js";

/**
 * A table of incidents per year (rows) and category (columns) plus a total; `data` is the output of
 * yearlyRows(). Counts are suppressed at the yearly level, and a suppressed count shows as "< k".
 */
export function yearlyTable(data, {categories, threshold}) {
  const columns = categories.filter((c) => c !== "all");
  const cell = ({count} = {count: 0}) => html`<td class="count">${count === null ? `< ${threshold}` : formatCount(count)}</td>`;
  const anySuppressed = data.some((row) => row.total.count === null || Object.values(row.cells).some((c) => c.count === null));
  return html`<div class="yearly-table">
    <table>
      <thead><tr><th>${t.overview.year}</th>${columns.map((c) => html`<th class="count">${categoryLabel(c)}</th>`)}<th class="count">${t.overview.total}</th></tr></thead>
      <tbody>${data.map((row) => html`<tr><td>${row.year}</td>${columns.map((c) => cell(row.cells[c]))}${cell(row.total)}</tr>`)}</tbody>
    </table>
    ${anySuppressed ? html`<p class="small-note">${t.overview.suppressedFootnote(threshold)}</p>` : ""}
  </div>`;
}
