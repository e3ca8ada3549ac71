import { html } from "npm:htl";
import { remember } from "./remember.js";
import { valueHolder, type ValueHolder } from "./map-view.js";
import type { Strings } from "./strings.js";

/** What a page's map keeps besides its inputs: the pinned cell and the view, both null by default. */
export interface MapSelection {
  /** The pinned cell's id; hexMap outlines it and calls `onPin` when another is clicked. */
  pin: ValueHolder<string | null>;
  /** The map's view as address text (map-view.ts). */
  view: ValueHolder<string | null>;
}

/**
 * The pinned cell and the map's view of a page, kept across redraws (e.g. the language switch) and in
 * the address as `cell` and `view`, so that a link opens the same cell and view. One per page: every
 * map page keeps the same two keys, so a link reads the same way on each.
 */
export function mapSelection(): MapSelection {
  return {
    pin: remember("cell", (v) => valueHolder(typeof v === "string" ? v : null)),
    view: remember("view", (v) => valueHolder(typeof v === "string" ? v : null)),
  };
}

/** The pinned cell's details: the title's place, facts as [term, value] pairs and a note under them. */
export interface PinnedDetails {
  place: string;
  facts: ReadonlyArray<readonly [string, string | Node]>;
  note?: string;
}

export type PinnedStrings = { map: Pick<Strings["map"], "pinnedTitle" | "pinnedNone" | "unpin"> };

/**
 * The content of a page's pinned-cell card: the cell's place as title, an Unpin button and its facts,
 * or, with nothing pinned, how to pin one. The card itself is the page's (with `aria-live`), so that
 * a screen reader hears the new details when a cell is clicked.
 */
export function pinnedCell(details: PinnedDetails | null, { tr, onUnpin }: { tr: PinnedStrings; onUnpin: () => void }): HTMLElement {
  if (!details) return html`<p class="small-note">${tr.map.pinnedNone}</p>`;
  const unpin = html`<button type="button" class="dash-download">${tr.map.unpin}</button>`;
  unpin.onclick = onUnpin;
  return html`<div>
    <div class="dash-card-head"><h2>${tr.map.pinnedTitle(details.place)}</h2>${unpin}</div>
    <dl class="dash-facts">${details.facts.flatMap(([term, value]) => [html`<dt>${term}</dt>`, html`<dd>${value}</dd>`])}</dl>
    ${details.note ? html`<p class="small-note">${details.note}</p>` : ""}
  </div>`;
}
