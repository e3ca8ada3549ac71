import {html} from "npm:htl";
import {categoryLabel, formatCount, t} from "./strings.js";

/**
 * A table of incidents per year (rows) and category (columns) plus a total; `data` is the output of
 * yearlyTotals(). Sums that leave out suppressed counts carry a mark explained under the table.
 */
export function yearlyTable(data, {categories, threshold}) {
  const columns = categories.filter((c) => c !== "all");
  const cell = ({count, suppressed} = {count: 0, suppressed: 0}) =>
    html`<td class="count">${formatCount(count)}${suppressed ? html`<sup>${t.overview.suppressedMark}</sup>` : ""}</td>`;
  const anySuppressed = data.some((row) => row.total.suppressed > 0);
  return html`<div class="yearly-table">
    <table>
      <thead><tr><th>${t.overview.year}</th>${columns.map((c) => html`<th class="count">${categoryLabel(c)}</th>`)}<th class="count">${t.overview.total}</th></tr></thead>
      <tbody>${data.map((row) => html`<tr><td>${row.year}</td>${columns.map((c) => cell(row.cells[c]))}${cell(row.total)}</tr>`)}</tbody>
    </table>
    ${anySuppressed ? html`<p class="small-note">${t.overview.suppressedFootnote(threshold)}</p>` : ""}
  </div>`;
}
