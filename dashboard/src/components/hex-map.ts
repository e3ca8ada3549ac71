import * as Plot from "npm:@observablehq/plot";
import type { MunicipalityCollection, PolygonFeature } from "../../data-contract.js";
import type { ChartElement } from "./downloads.js";
import { cellFeatures, placeOf, type Geometry, type Hexagon } from "./geo.js";
import type { Strings } from "./strings.js";

/** The strings of a map. */
export type MapStrings = Pick<Strings, "lang"> & { map: { place: string; outlines: string; hexagons: string } };

export interface HexMapOptions<R extends { cell: string }> {
  /** The rows to draw, one per cell. */
  rows: readonly R[];
  /** Cell outlines (hexagonIndex of hexagons.json). */
  index: ReadonlyMap<string, Hexagon>;
  /** Municipality outlines, wound for d3 (rewindCollection). */
  outlines: MunicipalityCollection;
  /** A municipality's name, "cells", or anything else for all outlines. */
  focus: string;
  /** The value of a row that the `color` scale maps. */
  fill: (row: R) => unknown;
  color: Plot.ScaleOptions;
  /** Tooltip lines after the place: label → the row's text. */
  channels?: Record<string, (row: R) => unknown>;
  /** A short text written on the cell. */
  label?: (row: R) => string;
  tr: MapStrings;
  ariaLabel: string;
}

type Municipality = MunicipalityCollection["features"][number];

const OUTLINE_FILL = "#f2f2ef";
const OUTLINE_STROKE = "#8a8f98";
/** Cell edges at 4.4:1 against the outline fill: the palest bins alone are 1.2:1, and WCAG 1.4.11 asks 3:1 for map symbols. */
const CELL_STROKE = "#6b6f76";

/**
 * A map of H3 cells over the municipality outlines, with no tile server: the outlines and hexagons
 * are drawn by Plot's geo mark. `rows` have a `cell` (drawn when `index`, from hexagonIndex(), has its
 * outline); `fill(row)` gives the value the `color` scale maps; `channels` ({label: row → text}) fill
 * the tooltip after the cell's place name (its id where no place is named near); `label(row)` optionally writes a short text on the cell. `focus` zooms: a municipality
 * name fits the map to it, "cells" to the drawn cells, anything else to all outlines (then the
 * municipalities are named). Paths carry the classes `dash-hexagons` and `dash-outlines`.
 */
export function hexMap<R extends { cell: string }>(
  { rows, index, outlines, focus, fill, color, channels, label, tr, ariaLabel }: HexMapOptions<R>,
  { width }: { width: number },
): ChartElement {
  const features = cellFeatures(rows, index);
  const focused = outlines.features.find((f) => f.properties.name === focus);
  const domain = focused ?? (focus === "cells" && features.length > 0 ? around(features) : outlines);
  const whole = domain === outlines;
  const hex = (f: PolygonFeature<R>) => f.properties;
  const tipChannels: Record<string, (row: R) => unknown> = { [tr.map.place]: (row) => placeOf(index, row.cell, tr.lang), ...channels };
  const map = Plot.plot({
    width,
    height: Math.min(680, Math.round(width * 0.75)),
    ariaLabel,
    projection: { type: "mercator", domain, inset: 10 },
    color,
    marks: [
      Plot.geo(outlines, {
        className: "dash-outlines",
        ariaDescription: tr.map.outlines,
        ariaLabel: (d: Municipality) => d.properties.name,
        fill: OUTLINE_FILL,
        stroke: OUTLINE_STROKE,
        strokeWidth: 1,
        clip: "frame",
      }),
      // Names only when the whole area is in view (zoomed in, a centroid can fall outside the frame),
      // under the hexagons so that they never hide a cell.
      whole
        ? Plot.text(
            outlines.features,
            Plot.centroid({ text: (d: Municipality) => d.properties.name, fill: "#4a4f57", stroke: OUTLINE_FILL, strokeWidth: 3, fontSize: 11 }),
          )
        : null,
      Plot.geo(features, {
        className: "dash-hexagons",
        ariaDescription: tr.map.hexagons,
        ariaLabel: (d: PolygonFeature<R>) =>
          `${d.properties.cell} ${Object.values(tipChannels)
            .map((f) => f(hex(d)))
            .join(" ")}`,
        fill: (d: PolygonFeature<R>) => fill(hex(d)),
        stroke: CELL_STROKE,
        strokeWidth: 0.6,
        clip: "frame",
        channels: Object.fromEntries(Object.entries(tipChannels).map(([name, f]) => [name, (d: PolygonFeature<R>) => f(hex(d))])),
        tip: { format: { fill: false }, fontSize: 12 },
      }),
      label
        ? Plot.text(
            features,
            Plot.centroid({
              text: (d: PolygonFeature<R>) => label(hex(d)),
              fill: "#ffffff",
              stroke: "#00000088",
              strokeWidth: 2,
              fontSize: 10,
              fontWeight: 600,
              clip: "frame",
            }),
          )
        : null,
      Plot.frame({ stroke: "#d6d6d0" }),
    ],
  });
  // Keyboard access: every cell is a tab stop whose label reads like its tooltip (WCAG 2.1.1).
  for (const path of map.querySelectorAll("g.dash-hexagons path")) path.setAttribute("tabindex", "0");
  return map;
}

/**
 * The corners of a box around the features, with a margin of MARGIN of its size and widened to at
 * least MIN_SPAN degrees each way, so that a handful of cells still shows the streets around them
 * instead of filling the map. A MultiPoint, not a polygon: d3 would bend a polygon's edges along great
 * circles and cut off cells in the corners.
 */
function around(features: ReadonlyArray<{ geometry: Geometry }>): { type: "MultiPoint"; coordinates: Array<[number, number]> } {
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features) {
    for (const [lon, lat] of positions(f.geometry)) {
      west = Math.min(west, lon);
      east = Math.max(east, lon);
      south = Math.min(south, lat);
      north = Math.max(north, lat);
    }
  }
  const widen = (lo: number, hi: number, span: number): [number, number] => {
    const margin = (hi - lo) * MARGIN;
    [lo, hi] = [lo - margin, hi + margin];
    return hi - lo >= span ? [lo, hi] : [(lo + hi - span) / 2, (lo + hi + span) / 2];
  };
  [west, east] = widen(west, east, MIN_SPAN[0]);
  [south, north] = widen(south, north, MIN_SPAN[1]);
  return {
    type: "MultiPoint",
    coordinates: [
      [west, south],
      [west, north],
      [east, north],
      [east, south],
    ],
  };
}

/** Every corner of a Polygon or MultiPolygon. */
function* positions(geometry: Geometry): Iterable<[number, number]> {
  if (geometry.type === "Polygon") for (const ring of geometry.coordinates) yield* ring;
  else for (const polygon of geometry.coordinates) for (const ring of polygon) yield* ring;
}

/** Smallest zoomed extent, in degrees of longitude and latitude (about 10 × 8 km at Šiauliai). */
const MIN_SPAN: readonly [lon: number, lat: number] = [0.16, 0.07];
/** Margin around the cells, as a share of their extent. */
const MARGIN = 0.08;
