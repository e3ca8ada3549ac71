import { gridDisk } from "h3-js";

/**
 * The cells of `other` that are, or touch, a cell of `area` (H3 neighbours, one ring): where a
 * comparison area's incidents lie next to the evaluation area's. Next door, a control takes in crime
 * displaced from the project area and benefits diffusing out of it, so it is no clean comparison.
 */
export function borderingCells(area: readonly string[], other: readonly string[]): string[] {
  const near = new Set(area.flatMap((cell) => gridDisk(cell, 1)));
  return other.filter((cell) => near.has(cell));
}
