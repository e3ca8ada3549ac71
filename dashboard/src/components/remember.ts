// Selections that survive a redraw and travel in the address. Switching the language rebuilds every
// input (their labels change); each input made through `remember` starts from the value it last had
// on this page, or, on opening the page, from the address (`?month=2021-06&category=theft&fdr=false`),
// and writes every change back into the address, so a view can be bookmarked or shared as a link.
// The address carries only what differs from the page's defaults: nothing for null (no pinned cell,
// the default map view) nor for an input's `fallback` (the value it opens with when the address has none).

/** A value an input can hold and the address can carry. */
export type Selection = string | number | boolean | null;

/** An input element (Observable Inputs make them) with the value it currently shows. */
export type ValueInput = EventTarget & { value: unknown };

/** Query parameters that are not selections (the language switch reads its own). */
const NOT_SELECTIONS = new Set(["lang"]);

const memory = new Map<string, unknown>(typeof location === "undefined" ? [] : selectionsIn(location.search));

/**
 * Makes an input with `make(previous)`, where `previous` is the value the input under `key` last
 * had (from the address when the page opened; undefined if neither), and records every later change
 * here and in the address. A value equal to `fallback` (the input's default), or null, is left out of
 * the address. Give no fallback where the default moves with the data (the latest month): a shared
 * link then still opens the month it was made on. Returns the input.
 */
export function remember<T extends ValueInput>(key: string, make: (previous: unknown) => T, { fallback }: { fallback?: Selection } = {}): T {
  const input = make(memory.get(key));
  const record = () => {
    memory.set(key, input.value);
    const omitted = input.value === null || input.value === undefined || (fallback !== undefined && encodeSelection(input.value) === encodeSelection(fallback));
    writeToAddress(key, omitted ? null : input.value);
  };
  record();
  input.addEventListener("input", record);
  return input;
}

/** `value` when `options` holds it, else `fallback` (a remembered value may not exist for new data). */
export function oneOf<T>(options: readonly T[], value: unknown, fallback: T): T {
  return (options as readonly unknown[]).includes(value) ? (value as T) : fallback;
}

/** The selections in a query string, as [key, value] pairs; see encodeSelection for the values. */
export function selectionsIn(search: string): Array<[string, Selection]> {
  return [...new URLSearchParams(search)].filter(([key]) => !NOT_SELECTIONS.has(key)).map(([key, text]) => [key, decodeSelection(text)]);
}

/** A selection as query text: strings as they are; numbers, booleans and null in JSON ("0.05", "false"). */
export function encodeSelection(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value ?? null);
}

/** The inverse of encodeSelection. A string that reads as a number or boolean is taken as one: the inputs' options never are such strings. */
export function decodeSelection(text: string): Selection {
  if (text === "true" || text === "false" || text === "null" || /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(text)) return JSON.parse(text) as Selection;
  return text;
}

/** Writes `value` under `key` into the address; null removes the key. */
function writeToAddress(key: string, value: unknown): void {
  if (typeof history === "undefined" || typeof location === "undefined") return;
  const url = new URL(location.href);
  const text = value === null ? null : encodeSelection(value);
  if (url.searchParams.get(key) === text) return;
  if (text === null) url.searchParams.delete(key);
  else url.searchParams.set(key, text);
  history.replaceState(history.state, "", url);
}
