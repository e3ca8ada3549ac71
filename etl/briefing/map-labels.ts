/**
 * Where the briefing map names places: no label over another, over an area's numbered marker or the
 * scale bar, or past the map's edge. The boxes and the overlap test are the dashboard map's own
 * (dashboard/src/components/map-places.ts: a label's box estimated from its text); the briefing's map
 * is fixed, so the choice is greedy in the caller's order (largest places first), and a label whose
 * point is taken moves up to two lines above or below it (a city's name off the markers of its centre).
 */
import { labelBox, overlaps, type Box } from "../../dashboard/src/components/map-places.js";

export type { Box };

export interface MapLabel {
  text: string;
  /** The label's centre: the text is drawn centred on it, horizontally and vertically. */
  x: number;
  y: number;
}

/** The labels drawn, at most `max`, in the order given; `taken`: what they must not cover (markers, scale bar). */
export function placeLabels(
  candidates: readonly MapLabel[],
  taken: readonly Box[],
  { width, height, fontSize, max }: { width: number; height: number; fontSize: number; max: number },
): MapLabel[] {
  const boxes = [...taken];
  const inFrame = (b: Box) => b[0] >= 0 && b[1] >= 0 && b[2] <= width && b[3] <= height;
  const step = fontSize + 4;
  const shifts = [0, -step, step, -2 * step, 2 * step];
  const placed: MapLabel[] = [];
  for (const { text, x, y } of candidates) {
    if (placed.length === max) break;
    for (const shift of shifts) {
      const box = labelBox(text, x, y + shift, fontSize);
      if (!inFrame(box) || boxes.some((b) => overlaps(b, box))) continue;
      boxes.push(box);
      placed.push({ text, x, y: y + shift });
      break;
    }
  }
  return placed;
}
