/**
 * The maps' colours against WCAG: every drawn cell stands out from the map's land and the page by
 * at least 3:1 (1.4.11, non-text contrast), by its fill or else by its edge; and each emerging
 * hot-spot pattern has a symbol besides its colour (1.4.1). Contrast ratios by axe-core's colour
 * utilities (WCAG 2 relative luminance), the engine the browser tests run on the built site.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { BIN_COLORS, CELL_STROKE, CELL_STROKE_WIDTH, MAP_FILL, PATTERN_COLORS, PATTERN_SYMBOLS, patternSymbol } from "../dashboard/src/components/palettes.js";

/** The part of axe-core's `commons.color` used here (axe-core declares no types for it). */
interface AxeColor {
  Color: new () => { parseString(text: string): void };
  getContrast(a: object, b: object): number;
}
const { color } = (createRequire(import.meta.url)("axe-core") as { commons: { color: AxeColor } }).commons;

function contrast(a: string, b: string): number {
  const [x, y] = [new color.Color(), new color.Color()];
  x.parseString(a);
  y.parseString(b);
  return color.getContrast(x, y);
}

/** What lies under a cell: the municipalities' fill, or the page's white outside them (a hull study area). */
const BACKGROUNDS = [MAP_FILL, "#ffffff"];
const FILLS = [...BIN_COLORS, ...PATTERN_COLORS.map(([, fill]) => fill)];

describe("map contrast (WCAG 1.4.11)", () => {
  it("computes WCAG contrast ratios as published", () => {
    // WCAG 2.1 understanding docs: black on white 21:1; #767676 on white is the palest grey at 4.5:1 (4.54).
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 6);
    expect(contrast("#767676", "#ffffff")).toBeCloseTo(4.54, 2);
    expect(contrast("#ffffff", "#ffffff")).toBeCloseTo(1, 6);
  });

  it("sets every drawn cell off from the map by at least 3:1, by its fill or its edge", () => {
    for (const background of BACKGROUNDS) {
      for (const fill of FILLS) {
        const best = Math.max(contrast(fill, background), contrast(CELL_STROKE, background));
        expect({ fill, background, best: best >= 3 }).toEqual({ fill, background, best: true });
      }
    }
    // The edge is what carries the palest fills, so it must be drawn at least a pixel wide.
    expect(FILLS.some((fill) => contrast(fill, MAP_FILL) < 3)).toBe(true);
    expect(CELL_STROKE_WIDTH).toBeGreaterThanOrEqual(1);
  });
});

describe("emerging pattern symbols (WCAG 1.4.1)", () => {
  it("gives each kind of pattern its own symbol, the same for hot and cold", () => {
    const patterns = PATTERN_COLORS.map(([p]) => p);
    const symbols = patterns.map(patternSymbol);
    expect(symbols.every((s) => s.trim().length > 0)).toBe(true);
    const kinds = new Map(patterns.map((p) => [p.replace(/_(hot|cold)_spot$/, ""), new Set<string>()]));
    patterns.forEach((p, i) => kinds.get(p.replace(/_(hot|cold)_spot$/, ""))!.add(symbols[i]!));
    expect(kinds.size).toBe(8);
    expect([...kinds.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set(symbols).size).toBe(kinds.size);
    expect(Object.keys(PATTERN_SYMBOLS).sort()).toEqual([...kinds.keys()].sort());
    expect(patternSymbol("no_pattern")).toBe("");
  });
});
