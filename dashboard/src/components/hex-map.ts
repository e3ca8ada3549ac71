import * as Plot from "npm:@observablehq/plot";
import { geoMercator, select, zoom, type GeoProjection, type ZoomTransform } from "npm:d3";
import type { MapPlace, MunicipalityCollection, PolygonFeature } from "../../data-contract.js";
import { giveLabelsRoles, type ChartElement } from "./downloads.js";
import { cellAriaLabel, cellFeatures, placeOf, type Geometry, type Hexagon } from "./geo.js";
import { layoutPlaces, POLICE_SYMBOL_SIZE } from "./map-places.js";
import { CELL_STROKE, CELL_STROKE_WIDTH, MAP_FILL as OUTLINE_FILL } from "./palettes.js";
import { decodeView, encodeView, setHeld, type MapView, type ValueHolder } from "./map-view.js";
import { formatDistance, mercatorMetresPerPixel, mercatorScaleFor, scaleBar } from "./scale-bar.js";
import type { Strings } from "./strings.js";

/** The strings of a map. */
export type MapStrings = Pick<Strings, "lang" | "locale"> & {
  map: Pick<Strings["map"], "place" | "cell" | "outlines" | "hexagons" | "zoomIn" | "zoomOut" | "resetView" | "keys" | "police" | "placeNames" | "policeKey">;
};

export interface HexMapOptions<R extends { cell: string }> {
  /** The rows to draw, one per cell. */
  rows: readonly R[];
  /** Cell outlines (hexagonIndex of hexagons.json). */
  index: ReadonlyMap<string, Hexagon>;
  /** Municipality outlines, wound for d3 (rewindCollection). */
  outlines: MunicipalityCollection;
  /** The default view: a municipality's name, "cells" (the drawn cells, or `fit`), or anything else for all outlines. */
  focus: string;
  /** Cells the default view fits when `focus` is "cells" (default: the drawn ones), e.g. every cell hot in some month, so the view stays put while the month changes. */
  fit?: readonly string[];
  /** The value of a row that the `color` scale maps. */
  fill: (row: R) => unknown;
  color: Plot.ScaleOptions;
  /** Tooltip lines after the place: label → the row's text. */
  channels?: Record<string, (row: R) => unknown>;
  /** A short text written on the cell. */
  label?: (row: R) => string;
  /** Named places to label (places.json); none: no labels. */
  places?: readonly MapPlace[];
  /** Holds the view as address text (map-view.ts) across redraws and in the address; without it the view lasts as long as the map. */
  view?: ValueHolder<string | null>;
  /** The pinned cell, outlined; `onPin` is called with the cell clicked (or Enter on a focused cell), null when the pinned one is clicked again. */
  pinned?: string | null;
  onPin?: (cell: string | null) => void;
  tr: MapStrings;
  ariaLabel: string;
}

type Municipality = MunicipalityCollection["features"][number];

const OUTLINE_STROKE = "#8a8f98";
/** Police symbols: dark blue (9.9:1 on the outline fill) with a white "P", so shape and letter, not colour alone, say what it is. */
const POLICE_FILL = "#1d3f8f";
const LABEL_FILL = "#2b2f36";
/** Closest zoom, in ground metres per pixel (a street block is then about 100 px). */
const MIN_METRES_PER_PIXEL = 1;
/** Farthest zoom out, as a multiple of the default view's scale. */
const ZOOM_OUT_LIMIT = 4;
/** Keyboard steps: a zoom factor and a pan in pixels. */
const ZOOM_STEP = 1.5;
const PAN_STEP = 80;
/** The view of a map with nothing to draw (no outline, no cell): any view shows the same empty frame. */
const EMPTY_VIEW: MapView = { lon: 0, lat: 0, metresPerPixel: 1000 };
/** Space left around the default view's content, in pixels. */
const INSET = 10;

/**
 * A map of H3 cells over the municipality outlines, with no tile server: outlines, hexagons, place
 * labels and police stations are drawn by Plot on d3's Mercator, with a scale bar. `rows` have a `cell`
 * (drawn when `index`, from hexagonIndex(), has its outline); `fill(row)` gives the value the `color`
 * scale maps; `channels` ({label: row → text}) fill the tooltip after the cell's place name (its id where
 * no place is named near); `label(row)` optionally writes a short text on the cell.
 *
 * Pan and zoom with d3-zoom: drag and wheel, pinch and drag on touch, and on the focused map the arrow
 * keys, + and − (0 resets), besides the buttons. While a gesture lasts the drawn layers are only moved;
 * when it ends the map is drawn afresh for the new view, so labels, strokes, tooltips and the scale bar
 * are right at every scale. The view is kept in `view` (and through it in the address) as centre and
 * metres per pixel, so it does not depend on the window's width. Paths carry the classes
 * `dash-hexagons` and `dash-outlines`.
 */
export function hexMap<R extends { cell: string }>(options: HexMapOptions<R>, { width }: { width: number }): ChartElement {
  const { rows, index, outlines, focus, fit, tr, ariaLabel, view: holder, onPin } = options;
  const height = Math.min(680, Math.round(width * 0.75));
  const features = cellFeatures(rows, index);
  const fitted = fit
    ? cellFeatures(
        fit.map((cell) => ({ cell })),
        index,
      )
    : features;
  const focused = outlines.features.find((f) => f.properties.name === focus);
  // A study area given as a hull has no outlines: the drawn cells are then the only extent there is.
  const cells = focus === "cells" && fitted.length > 0 ? fitted : outlines.features.length === 0 ? features : [];
  const domain = focused ?? (cells.length > 0 ? around(cells) : outlines);
  const extent: [[number, number], [number, number]] = [
    [INSET, INSET],
    [width - INSET, height - INSET],
  ];
  const home = outlines.features.length > 0 || cells.length > 0 ? viewOf(geoMercator().fitExtent(extent, domain), width, height) : EMPTY_VIEW;
  // The municipality names serve only the whole-area view of a map with no place names.
  const nameMunicipalities = domain === outlines && !(options.places?.length ?? 0);
  let current = decodeView(holder?.value) ?? home;

  const figure = document.createElement("figure");
  figure.className = "dash-map";
  // Framework's stylesheet holds figures to 640 px; the map takes the width it was given.
  figure.style.maxWidth = "none";
  const toolbar = document.createElement("div");
  toolbar.className = "dash-map-tools";
  const button = (text: string, title: string, action: () => void) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "dash-download";
    // Named by its title (the symbol is hidden from assistive technology): exportable() gives any
    // aria-labelled element without a role the role of an image, which would hide a button.
    const symbol = document.createElement("span");
    symbol.setAttribute("aria-hidden", "true");
    symbol.textContent = text;
    b.append(symbol);
    b.title = title;
    b.onclick = action;
    toolbar.append(b);
  };
  let svg: SVGSVGElement;
  const zoomBy = (k: number) => behaviour.scaleBy(select(svg), k);
  button("+", tr.map.zoomIn, () => zoomBy(ZOOM_STEP));
  button("−", tr.map.zoomOut, () => zoomBy(1 / ZOOM_STEP));
  button("⟲", tr.map.resetView, () => show(home, true));

  const behaviour = zoom<SVGSVGElement, unknown>()
    .on("zoom", (event: { transform: ZoomTransform }) => layer(svg)?.setAttribute("transform", event.transform.toString()))
    .on("end", (event: { transform: ZoomTransform }) => {
      const t = event.transform;
      // A click is a gesture with no movement: redrawing then would remove the path before its click arrives.
      if (t.k === 1 && t.x === 0 && t.y === 0) return;
      const projection = projectionOf(current, width, height);
      const [lon, lat] = projection.invert!(t.invert([width / 2, height / 2]))!;
      const metresPerPixel = Math.max(MIN_METRES_PER_PIXEL, current.metresPerPixel / t.k);
      show({ lon: lon!, lat: Math.max(-84, Math.min(84, lat!)), metresPerPixel: Math.min(metresPerPixel, home.metresPerPixel * ZOOM_OUT_LIMIT) }, true);
    });

  /** Draws the map for `next` in place of the current drawing, keeping the keyboard focus on the map. */
  const show = (next: MapView, remember: boolean) => {
    const hadFocus = svg !== undefined && figure.contains(document.activeElement) && document.activeElement === svg;
    current = next;
    if (remember && holder) setHeld(holder, next === home ? null : encodeView(next));
    const drawn = draw(options, features, next, { width, height, nameMunicipalities });
    const nextSvg = plotSvg(drawn);
    if (svg === undefined) {
      // The first drawing: Plot's figure brings the legend along.
      if (drawn !== nextSvg) figure.append(...[...drawn.childNodes].filter((n) => n !== nextSvg));
      // The legend's swatches edged as the cells are: a pale swatch alone is barely seen on the page (WCAG 1.4.11).
      for (const rect of figure.querySelectorAll<SVGRectElement>("[class$='-swatch'] > svg > rect")) {
        rect.setAttribute("stroke", CELL_STROKE);
        rect.setAttribute("stroke-width", String(2 * CELL_STROKE_WIDTH));
      }
      figure.append(toolbar, nextSvg, key(options, tr));
    } else svg.replaceWith(nextSvg);
    svg = nextSvg;
    giveLabelsRoles(svg);
    svg.setAttribute("tabindex", "0");
    svg.setAttribute("aria-label", `${ariaLabel}. ${tr.map.keys}`);
    behaviour.scaleExtent([next.metresPerPixel / (home.metresPerPixel * ZOOM_OUT_LIMIT), next.metresPerPixel / MIN_METRES_PER_PIXEL]);
    select(svg).call(behaviour).on("dblclick.zoom", null);
    svg.addEventListener("keydown", (event) => keyboard(event as KeyboardEvent));
    // Plot's tooltip takes the pointer events of the marks; the cell under the pointer is the plot's value.
    if (onPin) {
      svg.addEventListener("click", () => {
        const cell = ((drawn as { value?: PolygonFeature<R> | null }).value ?? null)?.properties.cell;
        if (cell) onPin(cell === options.pinned ? null : cell);
      });
    }
    for (const path of svg.querySelectorAll<SVGPathElement>("g.dash-hexagons path")) {
      if (!onPin) continue;
      const cell = path.dataset.cell!;
      path.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          onPin(cell === options.pinned ? null : cell);
        }
      });
    }
    if (hadFocus) svg.focus();
  };

  const keyboard = (event: KeyboardEvent) => {
    const pan: Record<string, [number, number]> = { ArrowLeft: [PAN_STEP, 0], ArrowRight: [-PAN_STEP, 0], ArrowUp: [0, PAN_STEP], ArrowDown: [0, -PAN_STEP] };
    if (event.key === "+" || event.key === "=") zoomBy(ZOOM_STEP);
    else if (event.key === "-" || event.key === "_") zoomBy(1 / ZOOM_STEP);
    else if (event.key === "0") show(home, true);
    else if (pan[event.key]) behaviour.translateBy(select(svg), ...pan[event.key]!);
    else return;
    event.preventDefault();
  };

  show(current, false);
  return figure;
}

/** The Mercator that shows `view` in a frame of `width` × `height` pixels. */
function projectionOf(view: MapView, width: number, height: number): GeoProjection {
  return geoMercator()
    .center([view.lon, view.lat])
    .scale(mercatorScaleFor(view.metresPerPixel, view.lat))
    .translate([width / 2, height / 2]);
}

/** The view a fitted projection shows: its centre and metres per pixel there. */
function viewOf(projection: GeoProjection, width: number, height: number): MapView {
  const [lon, lat] = projection.invert!([width / 2, height / 2])!;
  return { lon: lon!, lat: lat!, metresPerPixel: mercatorMetresPerPixel(projection.scale(), lat!) };
}

/** The plot's own svg: Plot's figure puts its legends first, and a continuous legend (a ramp) is an svg too. */
function plotSvg(chart: ChartElement): SVGSVGElement {
  return chart instanceof SVGSVGElement ? chart : chart.querySelector<SVGSVGElement>(":scope > svg:last-of-type")!;
}

/** The group that holds every drawn layer, moved while a gesture lasts. */
function layer(svg: SVGSVGElement | undefined): SVGGElement | null {
  return svg?.querySelector<SVGGElement>(":scope > g.dash-zoom-layer") ?? null;
}

/** One drawing of the map at `view`: Plot's output with the layers grouped for moving and a scale bar. */
function draw<R extends { cell: string }>(
  { outlines, index, fill, color, channels, label, places, pinned, tr, ariaLabel }: HexMapOptions<R>,
  features: Array<PolygonFeature<R>>,
  view: MapView,
  { width, height, nameMunicipalities }: { width: number; height: number; nameMunicipalities: boolean },
): ChartElement {
  const projection = projectionOf(view, width, height);
  const hex = (f: PolygonFeature<R>) => f.properties;
  const tipChannels: Record<string, (row: R) => unknown> = { [tr.map.place]: (row) => placeOf(index, row.cell, tr.lang), ...channels };
  const layout = layoutPlaces(places ?? [], (p) => projection(p) as [number, number] | null, {
    width,
    height,
    metresPerPixel: view.metresPerPixel,
  });
  const pin = pinned ? features.filter((f) => f.properties.cell === pinned) : [];
  const labelText = { fill: LABEL_FILL, stroke: "#ffffff", strokeWidth: 3, fontWeight: 600, clip: "frame" as const };
  const chart = Plot.plot({
    width,
    height,
    margin: 0,
    ariaLabel,
    projection,
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
      // Under the hexagons so that they never hide a cell.
      nameMunicipalities
        ? Plot.text(
            outlines.features,
            Plot.centroid({ text: (d: Municipality) => d.properties.name, fill: "#4a4f57", stroke: OUTLINE_FILL, strokeWidth: 3, fontSize: 11 }),
          )
        : null,
      Plot.geo(features, {
        className: "dash-hexagons",
        ariaDescription: tr.map.hexagons,
        ariaLabel: (d: PolygonFeature<R>) => cellAriaLabel(d.properties.cell, hex(d), tipChannels, tr.map.cell),
        fill: (d: PolygonFeature<R>) => fill(hex(d)),
        stroke: CELL_STROKE,
        strokeWidth: CELL_STROKE_WIDTH,
        clip: "frame",
        channels: Object.fromEntries(Object.entries(tipChannels).map(([name, f]) => [name, (d: PolygonFeature<R>) => f(hex(d))])),
        tip: { format: { fill: false }, fontSize: 12 },
      }),
      pin.length > 0 ? Plot.geo(pin, { className: "dash-pinned", fill: "none", stroke: "#111317", strokeWidth: 3, clip: "frame" }) : null,
      // Place names above the cells, with a white halo: they name what the cells are near.
      Plot.text(
        layout.labels.filter((l) => l.anchor === "middle"),
        {
          ...labelText,
          className: "dash-place-labels",
          ariaDescription: tr.map.placeNames,
          x: (l: (typeof layout.labels)[number]) => l.place.position[0],
          y: (l: (typeof layout.labels)[number]) => l.place.position[1],
          text: (l: (typeof layout.labels)[number]) => l.text,
          fontSize: (l: (typeof layout.labels)[number]) => l.fontSize,
        },
      ),
      Plot.dot(layout.police, {
        className: "dash-police",
        ariaDescription: tr.map.police,
        x: (s: (typeof layout.police)[number]) => s.place.position[0],
        y: (s: (typeof layout.police)[number]) => s.place.position[1],
        symbol: "square",
        r: POLICE_SYMBOL_SIZE / 2.6,
        fill: POLICE_FILL,
        stroke: "#ffffff",
        strokeWidth: 1.5,
        ariaLabel: (s: (typeof layout.police)[number]) => `${tr.map.police}: ${s.text}`,
        title: (s: (typeof layout.police)[number]) => `${tr.map.police}: ${s.text}`,
        clip: "frame",
      }),
      Plot.text(layout.police, {
        x: (s: (typeof layout.police)[number]) => s.place.position[0],
        y: (s: (typeof layout.police)[number]) => s.place.position[1],
        text: () => "P",
        fill: "#ffffff",
        fontSize: 9,
        fontWeight: 700,
        ariaHidden: "true",
        clip: "frame",
      }),
      Plot.text(
        layout.labels.filter((l) => l.anchor === "start"),
        {
          ...labelText,
          x: (l: (typeof layout.labels)[number]) => l.place.position[0],
          y: (l: (typeof layout.labels)[number]) => l.place.position[1],
          dx: POLICE_SYMBOL_SIZE / 2 + 3,
          textAnchor: "start",
          text: (l: (typeof layout.labels)[number]) => l.text,
          fontSize: (l: (typeof layout.labels)[number]) => l.fontSize,
        },
      ),
      // The cells' own labels (the patrol ranks) last: a place name must not hide a rank.
      label
        ? Plot.text(
            features,
            Plot.centroid({
              className: "dash-cell-labels",
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
    ],
  });
  const svg = plotSvg(chart);
  const group = document.createElementNS("http://www.w3.org/2000/svg", "g");
  group.setAttribute("class", "dash-zoom-layer");
  group.append(...[...svg.childNodes].filter((n) => !(n instanceof SVGStyleElement)));
  svg.append(group, scaleBarElement(view, width, height, tr.locale), frame(width, height));
  // Names and symbols drawn over the cells let clicks and the pointer's tooltip through to the cell.
  for (const g of group.querySelectorAll(":scope > g:not(.dash-hexagons):not(.dash-outlines):not(.dash-police)")) g.setAttribute("pointer-events", "none");
  // Each cell names itself for clicks and is a tab stop whose label reads like its tooltip (WCAG 2.1.1).
  const paths = svg.querySelectorAll<SVGPathElement>("g.dash-hexagons path");
  paths.forEach((path, i) => {
    path.setAttribute("tabindex", "0");
    path.dataset.cell = features[i]!.properties.cell;
  });
  return chart;
}

const SVG_NS = "http://www.w3.org/2000/svg";

function svgElement(name: string, attributes: Record<string, string | number>): SVGElement {
  const element = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attributes)) element.setAttribute(k, String(v));
  return element;
}

/** The scale bar, bottom left: a round ground distance at the latitude of the map's centre. */
function scaleBarElement(view: MapView, width: number, height: number, locale: string): SVGElement {
  const bar = scaleBar(view.metresPerPixel, Math.min(160, width / 4));
  const text = formatDistance(bar.metres, locale);
  const [x, y] = [12, height - 14];
  const g = svgElement("g", { class: "dash-scale-bar", "aria-label": text, role: "img" });
  g.append(
    svgElement("rect", { x: x - 6, y: y - 20, width: bar.pixels + 12, height: 28, fill: "#ffffff", "fill-opacity": 0.85, rx: 3 }),
    svgElement("path", { d: `M${x},${y - 5}V${y}H${x + bar.pixels}V${y - 5}`, fill: "none", stroke: "#2b2f36", "stroke-width": 1.5 }),
  );
  const label = svgElement("text", { x: x + bar.pixels / 2, y: y - 8, "text-anchor": "middle", "font-size": 11, fill: "#2b2f36" });
  label.textContent = text;
  g.append(label);
  return g;
}

/** The frame around the map, drawn above the moved layers. */
function frame(width: number, height: number): SVGElement {
  return svgElement("rect", { x: 0.5, y: 0.5, width: width - 1, height: height - 1, fill: "none", stroke: "#d6d6d0", "aria-hidden": "true" });
}

/** The key under the map: what the police symbol means, where the map shows one. */
function key(options: { places?: readonly MapPlace[] }, tr: MapStrings): HTMLElement {
  const p = document.createElement("p");
  p.className = "small-note dash-map-key";
  if (options.places?.some((place) => place.kind === "police")) {
    const symbol = document.createElementNS(SVG_NS, "svg");
    for (const [k, v] of Object.entries({ width: 14, height: 14, viewBox: "0 0 14 14", "aria-hidden": "true" })) symbol.setAttribute(k, String(v));
    symbol.innerHTML = `<rect x="1" y="1" width="12" height="12" fill="${POLICE_FILL}" stroke="#fff"/><text x="7" y="10.5" text-anchor="middle" font-size="9" font-weight="700" fill="#fff">P</text>`;
    p.append(symbol, ` ${tr.map.policeKey} · `);
  }
  p.append(tr.map.keys);
  return p;
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
