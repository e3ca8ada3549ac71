import * as Inputs from "npm:@observablehq/inputs";
import { html } from "npm:htl";
import { csvButton, type DownloadStrings } from "./downloads.js";

/** The key of the pin column (no row has it). */
const PIN_KEY = "__pin";

/** A column of a {@link dataTable}, typed by the row field it shows. */
export type TableColumn<R> = {
  [K in keyof R & string]: {
    key: K;
    label: string;
    /** The displayed text (default: the value). */
    format?: (value: R[K], row: R) => string | Node;
    /** The value written to the CSV (default: the raw `row[key]`). */
    csv?: (row: R) => unknown;
    width?: number | string;
    align?: "left" | "right" | "center";
  };
}[keyof R & string];

/** The strings a table needs: its CSV button's and the text shown when there is no row. */
export type TableStrings = DownloadStrings & { locale: string; common: { noRows: string } };

export interface DataTableOptions {
  tr: TableStrings;
  /** The CSV file's name (without extension). */
  name: string;
  sort?: string;
  reverse?: boolean;
  /** Rows visible before scrolling. */
  rows?: number;
  height?: number;
}

/** A first column of buttons that pin a row's item elsewhere on the page (e.g. a cell on the map); the pinned row is highlighted and listed first. */
export interface TablePin<R> {
  isPinned: (row: R) => boolean;
  onPin: (row: R) => void;
  /** The buttons' text and each one's accessible name. */
  text: string;
  /** The column's header: a header cell left empty has no accessible name (axe: empty-table-header). */
  header: string;
  label: (row: R) => string;
}

/**
 * A sortable table with a CSV download of all its rows. `columns` are
 * `{key, label, format?, csv?, width?}`: `format(value, row)` gives the displayed text (default: the
 * value), `csv(row)` the value written to the CSV (default: the raw `row[key]`). Numeric columns are
 * right-aligned by Inputs.table. With no rows it says so in the page's language (Inputs.table would
 * say "No results." in English).
 */
export function dataTable<R>(
  rows: R[],
  columns: Array<TableColumn<R>>,
  { tr, name, sort, reverse = false, rows: visible = 12, height, pin }: DataTableOptions & { pin?: TablePin<R> },
): HTMLElement {
  if (rows.length === 0) return html`<p class="small-note dash-no-rows">${tr.common.noRows}</p>`;
  // The pinned row first, so that it is in view without scrolling (Inputs.table draws rows as they scroll in).
  // Inputs.table leaves a cell empty where the row has no value: the pin column gets one to format.
  const shown = pin ? [...rows.filter((r) => pin.isPinned(r)), ...rows.filter((r) => !pin.isPinned(r))].map((r) => ({ ...r, [PIN_KEY]: true })) : rows;
  const pinColumn: Record<string, (value: unknown, i: number, data: readonly R[]) => Node> = pin
    ? {
        [PIN_KEY]: (_: unknown, i: number, data: readonly R[]) => {
          const row = data[i]!;
          const pinned = pin.isPinned(row);
          const button = html`<button type="button" class="dash-pin" aria-pressed=${pinned ? "true" : "false"} aria-label=${pin.label(row)}>${pin.text}</button>`;
          button.onclick = () => pin.onPin(row);
          return button;
        },
      }
    : {};
  const table = Inputs.table(shown, {
    columns: [...(pin ? [PIN_KEY] : []), ...columns.map((c) => c.key)],
    header: { ...(pin ? { [PIN_KEY]: pin.header } : {}), ...Object.fromEntries(columns.map((c) => [c.key, c.label])) },
    format: {
      ...pinColumn,
      ...Object.fromEntries(
        columns.flatMap((c) => {
          // Inputs.table passes the cell's value, which is row[c.key]: the type the column declares.
          const format = c.format as ((value: unknown, row: R) => string | Node) | undefined;
          return format ? [[c.key, (value: unknown, i: number, data: readonly R[]) => format(value, data[i]!)]] : [];
        }),
      ),
    },
    width: Object.fromEntries(columns.flatMap((c) => (c.width ? [[c.key, c.width]] : []))),
    align: Object.fromEntries(columns.flatMap((c) => (c.align ? [[c.key, c.align]] : []))),
    locale: tr.locale,
    sort,
    reverse,
    rows: visible,
    height,
    select: false,
    layout: "auto",
  });
  // The table scrolls inside its own box: keyboard users need to reach it to scroll (WCAG 2.1.1).
  table.tabIndex = 0;
  // Inputs.table titles each header with its column's key ("hit_rate", "__pin"): a tooltip of internal names.
  for (const th of table.querySelectorAll("thead th[title]")) th.removeAttribute("title");
  const csvColumns = columns.map((c) => ({ label: c.label, value: c.csv ?? ((row: R) => row[c.key]) }));
  return html`<div class="dash-table">${table}<div class="dash-table-footer">${csvButton(rows, csvColumns, { name, tr })}</div></div>`;
}
