import * as Inputs from "npm:@observablehq/inputs";
import {html} from "npm:htl";
import {csvButton} from "./downloads.js";

/**
 * A sortable table with a CSV download of all its rows. `columns` are
 * `{key, label, format?, csv?, width?}`: `format(value, row)` gives the displayed text (default: the
 * value), `csv(row)` the value written to the CSV (default: the raw `row[key]`). Numeric columns are
 * right-aligned by Inputs.table. With no rows it says so in the page's language (Inputs.table would
 * say "No results." in English).
 */
export function dataTable(rows, columns, {tr, name, sort, reverse = false, rows: visible = 12, height}) {
  if (rows.length === 0) return html`<p class="small-note dash-no-rows">${tr.common.noRows}</p>`;
  const table = Inputs.table(rows, {
    columns: columns.map((c) => c.key),
    header: Object.fromEntries(columns.map((c) => [c.key, c.label])),
    format: Object.fromEntries(columns.filter((c) => c.format).map((c) => [c.key, (value, i, data) => c.format(value, data[i])])),
    width: Object.fromEntries(columns.filter((c) => c.width).map((c) => [c.key, c.width])),
    align: Object.fromEntries(columns.filter((c) => c.align).map((c) => [c.key, c.align])),
    locale: tr.locale,
    sort,
    reverse,
    rows: visible,
    height,
    select: false,
    layout: "auto"
  });
  // The table scrolls inside its own box: keyboard users need to reach it to scroll (WCAG 2.1.1).
  table.tabIndex = 0;
  const csvColumns = columns.map((c) => ({label: c.label, value: c.csv ?? ((row) => row[c.key])}));
  return html`<div class="dash-table">${table}<div class="dash-table-footer">${csvButton(rows, csvColumns, {name, tr})}</div></div>`;
}
