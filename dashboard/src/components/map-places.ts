// Which named places a map labels at its current scale, and where, so that no two labels overlap.
// Pure: positions come from the caller's projection, sizes are estimated from the text (a canvas
// measure would tie the tests to a browser), and the choice is greedy by importance, the usual
// cartographic label placement: cities first, then towns, city parts, villages; within a kind the
// larger population first. Police stations get a symbol (drawn first, it is a point feature whose
// position matters) and their name only when zoomed in and free.
import type { MapPlace } from "../../data-contract.js";

/**
 * How each kind is labelled: the largest scale (metres per pixel) at which it is, its font size and its
 * rank (lower wins a collision). Cities are always named; towns from a district's scale (about 60–250
 * m/px); city parts and villages only zoomed in, where they do not crowd each other out.
 */
export const LABEL_STYLE: Readonly<Record<string, { maxMetresPerPixel: number; fontSize: number; rank: number }>> = {
  city: { maxMetresPerPixel: Infinity, fontSize: 14, rank: 0 },
  town: { maxMetresPerPixel: 250, fontSize: 12, rank: 1 },
  suburb: { maxMetresPerPixel: 40, fontSize: 11, rank: 2 },
  quarter: { maxMetresPerPixel: 40, fontSize: 11, rank: 2 },
  neighbourhood: { maxMetresPerPixel: 20, fontSize: 11, rank: 3 },
  village: { maxMetresPerPixel: 60, fontSize: 10, rank: 4 },
  police: { maxMetresPerPixel: 25, fontSize: 10, rank: 5 },
};

/** Average glyph width of the map's sans-serif font as a share of its size (bold Latin text measures 0.55–0.62). */
const GLYPH_WIDTH = 0.6;
/** Free space kept around a label, in pixels. */
const PADDING = 2;
/** Side of a police-station symbol, in pixels. */
export const POLICE_SYMBOL_SIZE = 12;

/** A screen rectangle: left, top, right, bottom. */
export type Box = readonly [number, number, number, number];

export interface PlaceLabel {
  place: MapPlace;
  /** The place's name (placeName). */
  text: string;
  /** Anchor of the text in pixels: its centre, or its left end for a police station's label. */
  x: number;
  y: number;
  anchor: "middle" | "start";
  fontSize: number;
  box: Box;
}

export interface PoliceSymbol {
  place: MapPlace;
  text: string;
  x: number;
  y: number;
}

export interface PlaceLayout {
  labels: PlaceLabel[];
  police: PoliceSymbol[];
}

/**
 * The name a map labels a place by: its own name, in every language, as the tables, the pinned cell's
 * card and the briefing name the cells near it (etl/geo/place-names.ts describeLocation). One rule for
 * both, so that the name a table gives ("Besarabija, Šiauliai") is the one found on the map, not an
 * English one ("Bessarabia Suburb") beside it.
 */
export function placeName(place: MapPlace): string {
  return place.name;
}

/** The box a label of `text` covers, centred on (x, y) or starting at x, with PADDING around it. */
export function labelBox(text: string, x: number, y: number, fontSize: number, anchor: "middle" | "start" = "middle"): Box {
  const width = text.length * fontSize * GLYPH_WIDTH;
  const left = anchor === "middle" ? x - width / 2 : x;
  return [left - PADDING, y - fontSize / 2 - PADDING, left + width + PADDING, y + fontSize / 2 + PADDING];
}

export function overlaps(a: Box, b: Box): boolean {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

/**
 * The labels and police symbols of a map `width` × `height` pixels at `metresPerPixel`: places whose
 * kind is labelled at that scale ({@link LABEL_STYLE}), inside the frame, none overlapping another or
 * a police symbol, chosen greedily by rank and population. `project` gives a place's pixel position
 * (null when it cannot be drawn).
 */
export function layoutPlaces(
  places: readonly MapPlace[],
  project: (position: [number, number]) => [number, number] | null,
  { width, height, metresPerPixel }: { width: number; height: number; metresPerPixel: number },
): PlaceLayout {
  const inFrame = (b: Box) => b[0] >= 0 && b[1] >= 0 && b[2] <= width && b[3] <= height;
  const taken: Box[] = [];
  const free = (b: Box) => inFrame(b) && !taken.some((t) => overlaps(t, b));
  const located = places.flatMap((place) => {
    const style = LABEL_STYLE[place.kind];
    const at = style ? project(place.position) : null;
    return style && at ? [{ place, style, x: at[0], y: at[1] }] : [];
  });

  const police: PoliceSymbol[] = [];
  const half = POLICE_SYMBOL_SIZE / 2;
  for (const p of located.filter((p) => p.place.kind === "police")) {
    const box: Box = [p.x - half, p.y - half, p.x + half, p.y + half];
    if (!free(box)) continue;
    taken.push(box);
    police.push({ place: p.place, text: placeName(p.place), x: p.x, y: p.y });
  }

  const labels: PlaceLabel[] = [];
  const ranked = located
    .filter((p) => metresPerPixel <= p.style.maxMetresPerPixel)
    .sort((a, b) => a.style.rank - b.style.rank || (b.place.population ?? 0) - (a.place.population ?? 0));
  for (const { place, style, x, y } of ranked) {
    const text = placeName(place);
    const isPolice = place.kind === "police";
    if (isPolice && !police.some((s) => s.place === place)) continue;
    const anchor = isPolice ? "start" : "middle";
    const lx = isPolice ? x + half + 3 : x;
    const box = labelBox(text, lx, y, style.fontSize, anchor);
    if (!free(box)) continue;
    taken.push(box);
    labels.push({ place, text, x: lx, y, anchor, fontSize: style.fontSize, box });
  }
  return { labels, police };
}
