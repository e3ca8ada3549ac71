// Colours shared by the charts. Concrete values (no CSS variables), so downloaded SVGs look the same.

/** The maps' land: the fill of the municipality outlines (outside them the page's white). */
export const MAP_FILL = "#f2f2ef";

/**
 * Every drawn cell's edge, and its legend swatch's: 4.5:1 against MAP_FILL and 5.0:1 against white, where the palest fills
 * (the 90 % bins, a new hot spot) are about 1.2:1, so the edge, not the fill, sets a cell off from no
 * cell (WCAG 1.4.11, 3:1 for graphics; test/dashboard-palettes.test.ts checks every fill). One pixel wide:
 * a thinner line is antialiased to a paler grey and loses the contrast on screen.
 */
export const CELL_STROKE = "#6b6f76";
export const CELL_STROKE_WIDTH = 1;

/** Fill of each Gi* bin in BINS order (3 … −3): reds for hot, blues for cold (ColorBrewer RdBu). */
export const BIN_COLORS: readonly string[] = ["#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"];

/** Tableau 10 plus two, so that up to twelve categories get distinct colours. */
export const CATEGORY_COLORS: readonly string[] = [
  "#4e79a7",
  "#f28e2c",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc949",
  "#af7aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ab",
  "#8cd17d",
  "#2f4b7c",
];

/** Series colours for a few lines or bars (municipalities, methods, areas). */
export const SERIES_COLORS: readonly string[] = ["#4e79a7", "#e15759", "#59a14f", "#f28e2c", "#af7aa1", "#76b7b2"];

/** Emerging hot-spot patterns in legend order, with their fills: warm for hot, cool for cold. */
export const PATTERN_COLORS: ReadonlyArray<readonly [pattern: string, fill: string]> = [
  ["new_hot_spot", "#ffd92f"],
  ["consecutive_hot_spot", "#fdae61"],
  ["intensifying_hot_spot", "#67000d"],
  ["persistent_hot_spot", "#d7301f"],
  ["diminishing_hot_spot", "#f4a3a8"],
  ["sporadic_hot_spot", "#f46d43"],
  ["oscillating_hot_spot", "#9e4a9c"],
  ["historical_hot_spot", "#8c6d31"],
  ["new_cold_spot", "#b8e186"],
  ["consecutive_cold_spot", "#74add1"],
  ["intensifying_cold_spot", "#08306b"],
  ["persistent_cold_spot", "#4575b4"],
  ["diminishing_cold_spot", "#abd9e9"],
  ["sporadic_cold_spot", "#41b6c4"],
  ["oscillating_cold_spot", "#807dba"],
  ["historical_cold_spot", "#4d9221"],
];

/**
 * A symbol per kind of pattern, the same for hot and cold (warm or cool fills tell those apart),
 * written on each cell and before each legend entry, so that a pattern is never told by colour
 * alone (WCAG 1.4.1). Shapes that say something where they can (▲ intensifying, ▼ diminishing,
 * ○ no longer hot or cold), from the Unicode blocks every system font has; the same in every language.
 */
export const PATTERN_SYMBOLS: Readonly<Record<string, string>> = {
  new: "★",
  consecutive: "»",
  intensifying: "▲",
  persistent: "■",
  diminishing: "▼",
  sporadic: "∴",
  oscillating: "≈",
  historical: "○",
};

/** The symbol of an emerging hot-spot pattern ("intensifying_cold_spot" → "▲"); "" for no pattern. */
export function patternSymbol(pattern: string): string {
  return PATTERN_SYMBOLS[pattern.replace(/_(hot|cold)_spot$/, "")] ?? "";
}
