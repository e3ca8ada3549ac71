// Selections that survive a redraw. Switching the language rebuilds every input (their labels
// change); each input made through `remember` starts from the value it last had on this page.

const memory = new Map();

/**
 * Makes an input with `make(previous)`, where `previous` is the value the input under `key` last
 * had (undefined the first time), and records every later change. Returns the input.
 */
export function remember(key, make) {
  const input = make(memory.get(key));
  memory.set(key, input.value);
  input.addEventListener("input", () => memory.set(key, input.value));
  return input;
}

/** `value` when `options` holds it, else `fallback` (a remembered value may not exist for new data). */
export function oneOf(options, value, fallback) {
  return options.includes(value) ? value : fallback;
}
