import * as Plot from "npm:@observablehq/plot";
import {cellFeatures, placeOf} from "./geo.js";

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
export function hexMap({rows, index, outlines, focus, fill, color, channels, label, tr, ariaLabel}, {width}) {
  const features = cellFeatures(rows, index);
  const focused = outlines.features.find((f) => f.properties.name === focus);
  const domain = focused ?? (focus === "cells" && features.length > 0 ? around(features) : outlines);
  const whole = domain === outlines;
  const hex = (f) => f.properties;
  const tipChannels = {[tr.map.place]: (row) => placeOf(index, row.cell, tr.lang), ...channels};
  const map = Plot.plot({
    width,
    height: Math.min(680, Math.round(width * 0.75)),
    ariaLabel,
    projection: {type: "mercator", domain, inset: 10},
    color,
    marks: [
      Plot.geo(outlines, {
        className: "dash-outlines",
        ariaDescription: tr.map.outlines,
        ariaLabel: (d) => d.properties.name,
        fill: OUTLINE_FILL,
        stroke: OUTLINE_STROKE,
        strokeWidth: 1,
        clip: "frame"
      }),
      // Names only when the whole area is in view (zoomed in, a centroid can fall outside the frame),
      // under the hexagons so that they never hide a cell.
      whole
        ? Plot.text(outlines.features, Plot.centroid({text: (d) => d.properties.name, fill: "#4a4f57", stroke: OUTLINE_FILL, strokeWidth: 3, fontSize: 11}))
        : null,
      Plot.geo(features, {
        className: "dash-hexagons",
        ariaDescription: tr.map.hexagons,
        ariaLabel: (d) =>
          `${d.properties.cell} ${Object.values(tipChannels)
            .map((f) => f(hex(d)))
            .join(" ")}`,
        fill: (d) => fill(hex(d)),
        stroke: CELL_STROKE,
        strokeWidth: 0.6,
        clip: "frame",
        channels: Object.fromEntries(Object.entries(tipChannels).map(([name, f]) => [name, (d) => f(hex(d))])),
        tip: {format: {fill: false}, fontSize: 12}
      }),
      label
        ? Plot.text(
            features,
            Plot.centroid({text: (d) => label(hex(d)), fill: "#ffffff", stroke: "#00000088", strokeWidth: 2, fontSize: 10, fontWeight: 600, clip: "frame"})
          )
        : null,
      Plot.frame({stroke: "#d6d6d0"})
    ]
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
function around(features) {
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features) {
    for (const [lon, lat] of f.geometry.coordinates.flat(f.geometry.type === "Polygon" ? 1 : 2)) {
      west = Math.min(west, lon);
      east = Math.max(east, lon);
      south = Math.min(south, lat);
      north = Math.max(north, lat);
    }
  }
  const widen = (lo, hi, span) => {
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
      [east, south]
    ]
  };
}

/** Smallest zoomed extent, in degrees of longitude and latitude (about 10 × 8 km at Šiauliai). */
const MIN_SPAN = [0.16, 0.07];
/** Margin around the cells, as a share of their extent. */
const MARGIN = 0.08;
