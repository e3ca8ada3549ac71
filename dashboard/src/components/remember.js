// Selections that survive a redraw and travel in the address. Switching the language rebuilds every
// input (their labels change); each input made through `remember` starts from the value it last had
// on this page, or, on opening the page, from the address (`?month=2021-06&category=theft&fdr=false`),
// and writes every change back into the address, so a view can be bookmarked or shared as a link.

/** Query parameters that are not selections (the language switch reads its own). */
const NOT_SELECTIONS = new Set(["lang"]);

const memory = new Map(typeof location === "undefined" ? [] : selectionsIn(location.search));

/**
 * Makes an input with `make(previous)`, where `previous` is the value the input under `key` last
 * had (from the address when the page opened; undefined if neither), and records every later change
 * here and in the address. Returns the input.
 */
export function remember(key, make) {
  const input = make(memory.get(key));
  const record = () => {
    memory.set(key, input.value);
    writeToAddress(key, input.value);
  };
  record();
  input.addEventListener("input", record);
  return input;
}

/** `value` when `options` holds it, else `fallback` (a remembered value may not exist for new data). */
export function oneOf(options, value, fallback) {
  return options.includes(value) ? value : fallback;
}

/** The selections in a query string, as [key, value] pairs; see encodeSelection for the values. */
export function selectionsIn(search) {
  return [...new URLSearchParams(search)].filter(([key]) => !NOT_SELECTIONS.has(key)).map(([key, text]) => [key, decodeSelection(text)]);
}

/** A selection as query text: strings as they are; numbers, booleans and null in JSON ("0.05", "false"). */
export function encodeSelection(value) {
  return typeof value === "string" ? value : JSON.stringify(value ?? null);
}

/** The inverse of encodeSelection. A string that reads as a number or boolean is taken as one: the inputs' options never are such strings. */
export function decodeSelection(text) {
  if (text === "true" || text === "false" || text === "null" || /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(text)) return JSON.parse(text);
  return text;
}

function writeToAddress(key, value) {
  if (typeof history === "undefined" || typeof location === "undefined") return;
  const url = new URL(location.href);
  if (url.searchParams.get(key) === encodeSelection(value)) return;
  url.searchParams.set(key, encodeSelection(value));
  history.replaceState(history.state, "", url);
}
