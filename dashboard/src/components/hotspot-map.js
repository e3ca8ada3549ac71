import * as Plot from "npm:@observablehq/plot";
import {rewindCollection, rewindFeature} from "./geo.js";
import {BINS, t} from "./strings.js";

/** Fill of each bin in BINS order: reds for hot, blues for cold (ColorBrewer RdBu). */
export const BIN_COLORS = ["#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"];

/**
 * Map of one month's significant H3 cells over the municipality outlines. `data.cells` are
 * hotspotFeatures() (properties cell, z, bin); `data.municipalities` is municipalities.json. The
 * projection is fitted to the outlines, or to `data.extent` (a GeoJSON object) when given; a tip
 * shows the cell, its z-score and its bin.
 */
export function hotspotMap({cells, municipalities, extent}, {width}) {
  const outlines = rewindCollection(municipalities);
  const hexagons = cells.map(rewindFeature);
  const domain = extent?.features?.length ? rewindCollection(extent) : outlines;
  return Plot.plot({
    width,
    ariaLabel: t.hotspots.mapAriaLabel,
    projection: {type: "mercator", domain, inset: 8},
    color: {type: "ordinal", domain: BINS, range: BIN_COLORS, legend: true, tickFormat: (bin) => t.binLabels[bin]},
    marks: [
      Plot.geo(outlines, {
        ariaDescription: t.hotspots.outlinesDescription,
        ariaLabel: (d) => d.properties.name,
        fill: "var(--theme-background-alt)",
        stroke: "var(--theme-foreground-muted)",
        strokeWidth: 1
      }),
      Plot.geo(hexagons, {
        ariaDescription: t.hotspots.hexagonsDescription,
        ariaLabel: (d) => `${d.properties.cell} ${t.binLabels[d.properties.bin]}`,
        fill: (d) => d.properties.bin,
        stroke: "var(--theme-foreground-faint)",
        strokeWidth: 0.5,
        channels: {
          [t.hotspots.cell]: (d) => d.properties.cell,
          [t.hotspots.z]: (d) => d.properties.z.toFixed(2),
          [t.hotspots.bin]: (d) => t.binLabels[d.properties.bin]
        },
        tip: {format: {fill: false, x: false, y: false}}
      }),
      // Names only when the whole municipalities are in view: zoomed in, a centroid can fall
      // inside another municipality.
      domain === outlines
        ? Plot.text(
            outlines.features,
            Plot.centroid({
              text: (d) => d.properties.name,
              fill: "var(--theme-foreground-muted)",
              stroke: "var(--theme-background-alt)",
              fontSize: 11
            })
          )
        : null
    ]
  });
}
