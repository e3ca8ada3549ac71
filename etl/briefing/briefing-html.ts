/**
 * The briefing as one printable A4 page of self-contained HTML (no script, no external file): a map
 * of the patrol areas zoomed to where they are, with numbered areas, the study-area outline, the
 * larger places for orientation and a scale bar; then the areas in priority order with why and when,
 * and how the method did last month.
 */
import { cellToBoundary, greatCircleDistance } from "h3-js";
import { readStudyAreaLabel } from "../analytics/study-area-label.ts";
import type { DashboardMeta } from "../../dashboard/data-contract.ts";
import type { MunicipalityCollection } from "../geo/municipalities.ts";
import type { Place } from "../geo/places.ts";
import { TIME_BLOCKS, type BriefingArea, type BriefingData } from "./briefing-data.ts";
import type { BriefingStrings } from "./briefing-strings.ts";
import type { ReleasedParts } from "../publish/release-rules.ts";
import { escapeXml } from "../evaluation/report/svg.ts";
import { placeLabels, type Box, type MapLabel } from "./map-labels.ts";
import { labelBox, overlaps } from "../../dashboard/src/components/map-places.js";
import { localityLabels } from "../../dashboard/src/components/geo.js";
import { CONTENT_WIDTH_PX, PRINT, fitsOnePage, type PageBlock } from "./page-fit.ts";

/** Map drawing width in CSS pixels (A4's width less the margins is about 700 px); its height is the layout's. */
const MAP = { width: 700, padding: 0.08 };
/**
 * Map heights to try, largest first: a smaller map leaves room for another area's row. No smaller:
 * at 240 px a city's areas sat on one another (r4 T1); a page that does not fit lists fewer areas.
 */
const MAP_HEIGHTS = [360, 300] as const;
/** Places labelled on the map, by kind, largest first; at most this many. */
const LABEL_KINDS: ReadonlySet<string> = new Set(["city", "town", "suburb"]);
const MAX_LABELS = 14;
/** The place labels' font size and the area markers' radius, in map pixels (the stylesheet's). */
const PLACE_FONT_PX = 9;
const MARKER_RADIUS = 9;
/** The areas' names beside their markers: bold, a little larger than the places'; their boxes widened for bold (page-fit.ts's 1.12). */
const AREA_FONT_PX = 10;
const AREA_BOX_PX = AREA_FONT_PX * 1.12;
/** Last month's areas no longer selected named in "what changed"; the rest are counted. */
const MAX_FADING = 6;
/** The areas table's column widths as shares of the page (a fixed layout, so that page-fit.ts can wrap its cells). */
export const COLUMN_WIDTHS = [0.04, 0.16, 0.05, 0.11, 0.09, 0.19, 0.16, 0.2] as const;

export interface BriefingPage {
  data: BriefingData;
  strings: BriefingStrings;
  outlines: MunicipalityCollection;
  /**
   * A hull study area's outline (the dashboard's `meta.study_area_outline`), drawn where `outlines` is
   * empty so the cells do not float on a blank map; derived from the grid, not OpenStreetMap's.
   */
  studyAreaOutline?: DashboardMeta["study_area_outline"];
  places: readonly Place[];
}

/** How the page fits one A4 sheet: the first `areas` areas of the data listed, a map `mapHeight` pixels high. */
export interface BriefingLayout {
  areas: number;
  mapHeight: number;
}

/**
 * The most areas (highest priorities first), then the largest map, that fit one printed page
 * (page-fit.ts) in every language given: the languages' pages list the same areas on the same map;
 * at least one area, on the smallest map, where nothing fits.
 */
export function briefingLayout(pages: BriefingPage | readonly BriefingPage[]): BriefingLayout {
  const all = Array.isArray(pages) ? (pages as readonly BriefingPage[]) : [pages as BriefingPage];
  if (all.length === 0) return { areas: 0, mapHeight: MAP_HEIGHTS[0] };
  const total = Math.min(...all.map((p) => p.data.areas.length));
  for (let areas = total; areas >= Math.min(1, total); areas--)
    for (const mapHeight of MAP_HEIGHTS) if (all.every((page) => fitsOnePage(pageBlocks(pageParts(page, { areas, mapHeight }))))) return { areas, mapHeight };
  return { areas: Math.min(1, total), mapHeight: MAP_HEIGHTS.at(-1)! };
}

/** The page, with the layout that fits (`layout` to draw another). */
export function briefingHtml(page: BriefingPage, layout: BriefingLayout = briefingLayout(page)): string {
  const parts = pageParts(page, layout);
  const t = page.strings;
  return `<!doctype html>
<html lang="${t.lang}">
<head>
<meta charset="utf-8">
<title>${escapeXml(parts.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeXml(parts.title)}</h1><p class="meta">${escapeXml(parts.studyArea)}</p></header>
<main>
<p>${escapeXml(parts.lead)}</p>
<figure>
<figcaption><strong>${escapeXml(t.mapTitle)}</strong> — ${escapeXml(t.mapNote)}</figcaption>
${parts.map.svg}
${parts.attribution === null ? "" : `<p class="note">${escapeXml(parts.attribution)}</p>`}
</figure>
<h2>${escapeXml(t.areasTitle)}</h2>
<table>
<colgroup>${COLUMN_WIDTHS.map((w) => `<col style="width:${(w * 100).toFixed(0)}%">`).join("")}</colgroup>
<thead><tr>${parts.header.map((c) => `<th scope="col">${escapeXml(c)}</th>`).join("")}</tr></thead>
<tbody>
${parts.rows.map((cells) => `<tr>${cells.map((c, i) => (i === 1 ? `<th scope="row">${escapeXml(c)}</th>` : `<td>${escapeXml(c)}</td>`)).join("")}</tr>`).join("\n")}
</tbody>
</table>
${parts.more === null ? "" : `<p class="note">${escapeXml(parts.more)}</p>`}
<p class="note">${escapeXml(t.selectionNote)}</p>
<h2>${escapeXml(t.changesTitle)}</h2>
<p>${escapeXml(parts.changes)}</p>
<h2>${escapeXml(t.performanceTitle)}</h2>
<p>${escapeXml(parts.performance)}</p>
<p class="note">${escapeXml(parts.basis)}</p>
</main>
</body>
</html>
`;
}

/** The page's texts and map with the layout's areas listed. */
interface PageParts {
  title: string;
  studyArea: string;
  lead: string;
  mapTitle: string;
  map: { svg: string; height: number; labels: number; outlines: number };
  attribution: string | null;
  areasTitle: string;
  header: string[];
  rows: string[][];
  /** What of the selection the table leaves out (drawn pale on the map only), or null when it lists every area. */
  more: string | null;
  selectionNote: string;
  changesTitle: string;
  changes: string;
  performanceTitle: string;
  performance: string;
  basis: string;
}

function pageParts({ data: all, strings: t, outlines, studyAreaOutline, places }: BriefingPage, layout: BriefingLayout): PageParts {
  const data = { ...all, areas: all.areas.slice(0, layout.areas) };
  const number = new Intl.NumberFormat(t.locale, { maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(t.locale, { style: "percent", maximumFractionDigits: 0 });
  const count = (n: number | null) => (n === null ? t.withheld : number.format(n));
  // Single cells are not areas of neighbouring cells: the lead counts them apart (every group is numbered alike below).
  const sizes = new Map<number, number>();
  for (const c of data.mapCells) sizes.set(c.priority, (sizes.get(c.priority) ?? 0) + 1);
  const listed = new Set(data.areas.map((a) => a.priority));
  const extra = [...sizes.keys()].filter((p) => !listed.has(p)).length;
  const lead = t.lead({
    month: t.month(data.month),
    areas: [...sizes.values()].filter((n) => n > 1).length,
    singleCells: [...sizes.values()].filter((n) => n === 1).length,
    cells: data.cells,
    share: data.areaShare === null ? "?" : percent.format(data.areaShare),
    method: data.chosenMethod === null ? "?" : t.method(data.chosenMethod),
    reason: data.selectionReason,
    runnerUp: data.runnerUp,
  });
  const map = mapSvg(data, outlines, outlines.features.length === 0 ? (studyAreaOutline ?? null) : null, places, t, layout.mapHeight);
  return {
    title: t.title(data.month),
    studyArea: t.studyArea(readStudyAreaLabel(data.studyArea)),
    lead,
    mapTitle: `${t.mapTitle} — ${t.mapNote}`,
    map,
    // Credit OpenStreetMap only for what of it the page shows: place labels or area names, outlines.
    attribution: t.attribution({ places: map.labels > 0 || data.areas.some((a) => a.namedByPlace), outlines: map.outlines > 0 }),
    areasTitle: t.areasTitle,
    header: Object.values(t.columns),
    rows: data.areas.map((area) => areaCells(area, t, count, number)),
    more: extra > 0 ? t.moreAreas(extra) : null,
    selectionNote: t.selectionNote,
    changesTitle: t.changesTitle,
    changes: changes(data, t),
    performanceTitle: t.performanceTitle,
    performance: performance(data, t, percent, number),
    basis: t.basis({
      from: t.month(data.from),
      to: t.month(data.to),
      zone: data.timeZone,
      threshold: data.suppressionThreshold,
      rounded: data.roundedTo,
      sensitive: data.sensitiveCategories.map((c) => t.category(c).toLowerCase()),
    }),
  };
}

/** The page with `layout` as page-fit.ts measures it, top to bottom. */
export function briefingBlocks(page: BriefingPage, layout: BriefingLayout): PageBlock[] {
  return pageBlocks(pageParts(page, layout));
}

function pageBlocks(parts: PageParts): PageBlock[] {
  const figureMargins = 2 * PRINT.figureMarginPt * (96 / 72);
  return [
    { kind: "h1", text: parts.title },
    { kind: "note", text: parts.studyArea },
    { kind: "body", text: parts.lead },
    { kind: "body", text: parts.mapTitle },
    { kind: "fixed", heightPx: (parts.map.height * CONTENT_WIDTH_PX) / MAP.width + figureMargins },
    ...(parts.attribution === null ? [] : [{ kind: "note", text: parts.attribution } as const]),
    { kind: "h2", text: parts.areasTitle },
    { kind: "table", widths: COLUMN_WIDTHS, header: parts.header, rows: parts.rows },
    ...(parts.more === null ? [] : [{ kind: "note", text: parts.more } as const]),
    { kind: "note", text: parts.selectionNote },
    { kind: "h2", text: parts.changesTitle },
    { kind: "body", text: parts.changes },
    { kind: "h2", text: parts.performanceTitle },
    { kind: "body", text: parts.performance },
    { kind: "note", text: parts.basis },
  ];
}

function areaCells(area: BriefingArea, t: BriefingStrings, count: (n: number | null) => string, number: Intl.NumberFormat): string[] {
  const mix = area.mix
    .slice(0, 3)
    .map((m) => `${t.category(m.category)} ${count(m.count)}`)
    .join(", ");
  const patterns = Object.entries(area.patterns)
    .sort((a, b) => b[1] - a[1])
    .map(([name, cells]) => t.patternCells(name, cells))
    .join(", ");
  return [
    String(area.priority),
    area.plan === "new" ? `${area.name[t.lang]} (${t.newArea})` : area.name[t.lang],
    number.format(area.areaKm2),
    `${count(area.lastMonth)} (${t.change[area.lastMonthChange]})`,
    count(area.last12),
    mix || "—",
    when(area, t, count),
    patterns || t.noPattern,
  ];
}

/** The time blocks and weekdays holding the most incidents (only among released figures), and the rest in brief. */
function when(area: BriefingArea, t: BriefingStrings, count: (n: number | null) => string): string {
  const peaks = (released: ReleasedParts, labels: readonly string[]) => {
    const known = released.parts.flatMap((n, i) => (n === null ? [] : [[n, labels[i]!] as const]));
    if (known.length === 0) return null;
    const top = Math.max(...known.map(([n]) => n));
    return known
      .filter(([n]) => n === top)
      .map(([, label]) => label)
      .join(", ");
  };
  // Every incident dated to the day or month only (police.uk's months, day-only exports): nothing is too few, there are no times.
  if (area.untimed) return t.untimed(count(area.last12));
  const blocks = peaks(area.timeBlocks, TIME_BLOCKS);
  const days = peaks(area.weekdays, t.weekdays);
  const main = blocks === null || days === null ? t.noTimes : t.peak(blocks, days);
  return area.withoutTimeOfDay === null ? main : `${main} (${t.withoutTime(count(area.withoutTimeOfDay))})`;
}

/** New, intensifying, easing and fading areas against last month's plan, each as "#priority name". */
function changes(data: BriefingData, t: BriefingStrings): string {
  const previous = t.month(data.changes.previousMonth ?? data.to);
  const list = (areas: readonly BriefingArea[]) => (areas.length === 0 ? t.none : areas.map((a) => `${a.priority} ${a.name[t.lang]}`).join("; "));
  if (data.changes.previousMonth === null) return t.noPreviousPlan(previous);
  return t.changes({
    previous,
    rebuilt: data.changes.previousPlan === "rebuilt",
    added: list(data.areas.filter((a) => a.plan === "new")),
    intensifying: list(data.areas.filter((a) => a.lastMonthChange === "intensifying")),
    easing: list(data.areas.filter((a) => a.lastMonthChange === "easing")),
    fading: fading(data.changes.fading, t),
  });
}

/** Last month's areas no longer selected: the first few named, the rest counted (a city may drop many at once). */
function fading(areas: ReadonlyArray<{ en: string; lt: string }>, t: BriefingStrings): string {
  if (areas.length === 0) return t.none;
  const named = areas.slice(0, MAX_FADING).map((n) => n[t.lang]);
  return areas.length > MAX_FADING ? `${named.join("; ")} ${t.andMore(areas.length - MAX_FADING)}` : named.join("; ");
}

function performance(data: BriefingData, t: BriefingStrings, percent: Intl.NumberFormat, number: Intl.NumberFormat): string {
  const last = data.lastMonth;
  if (!last)
    return data.tooFewMonths
      ? t.tooFewMonths(
          number.format(data.tooFewMonths.months),
          number.format(data.tooFewMonths.minHistoryMonths),
          number.format(data.tooFewMonths.minHistoryMonths + 1),
        )
      : t.noPerformance;
  // Withheld where a list caught fewer incidents than the threshold (the rate times the month's count would give them back);
  // the sentence compares the two lists, so with either withheld the month's result is.
  const { method, baseline } = last;
  if (method.hitRate === null || method.pai === null || baseline.hitRate === null || baseline.pai === null) return t.performanceWithheld(t.month(last.month));
  return t.performance({
    month: t.month(last.month),
    share: data.areaShare === null ? "?" : percent.format(data.areaShare),
    hitRate: percent.format(method.hitRate),
    pai: number.format(method.pai),
    baselineHitRate: percent.format(baseline.hitRate),
    baselinePai: number.format(baseline.pai),
  });
}

/**
 * An equirectangular map (x scaled by cos of the middle latitude: true to scale at city size) of the
 * selected cells' extent: listed areas dark, the rest pale, each listed area's number at its centre.
 */
function mapSvg(
  data: BriefingData,
  outlines: MunicipalityCollection,
  studyAreaOutline: DashboardMeta["study_area_outline"],
  places: readonly Place[],
  t: BriefingStrings,
  height: number,
): { svg: string; height: number; labels: number; outlines: number } {
  const MAP_HEIGHT = height;
  const rings = data.mapCells.map((c) => ({ ...c, ring: cellToBoundary(c.cell) }));
  const polygons = (g: { type: "Polygon"; coordinates: number[][][] } | { type: "MultiPolygon"; coordinates: number[][][][] }) =>
    g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  const outlineRings = outlines.features.flatMap((f) => polygons(f.geometry)).flat();
  // Not counted in `outlines`: the attribution credits OpenStreetMap for its boundaries, and this one is the grid's.
  const hullRings = studyAreaOutline?.geometry === undefined ? [] : polygons(studyAreaOutline.geometry).flat();
  // The frame holds the whole study area (its outline) and every selected cell: the reader sees where in it the areas are.
  const lats = [...rings.flatMap((r) => r.ring.map(([lat]) => lat)), ...[...outlineRings, ...hullRings].flatMap((ring) => ring.map((p) => p[1]!))];
  const lons = [...rings.flatMap((r) => r.ring.map(([, lon]) => lon)), ...[...outlineRings, ...hullRings].flatMap((ring) => ring.map((p) => p[0]!))];
  let [south, north, west, east] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  const k = Math.cos((((south + north) / 2) * Math.PI) / 180);
  // Widen the shorter side to the drawing's aspect ratio, then pad.
  const aspect = MAP.width / MAP_HEIGHT;
  const [w, h] = [(east - west) * k, north - south];
  if (w / h < aspect) [west, east] = grow(west, east, ((h * aspect) / k - (east - west)) / 2);
  else [south, north] = grow(south, north, (w / aspect - h) / 2);
  [west, east] = grow(west, east, (east - west) * MAP.padding);
  [south, north] = grow(south, north, (north - south) * MAP.padding);
  const x = (lon: number) => ((lon - west) / (east - west)) * MAP.width;
  const y = (lat: number) => ((north - lat) / (north - south)) * MAP_HEIGHT;
  const path = (ring: readonly (readonly number[])[], lonLat: boolean) =>
    `M${ring.map((p) => (lonLat ? `${x(p[0]!).toFixed(1)},${y(p[1]!).toFixed(1)}` : `${x(p[1]!).toFixed(1)},${y(p[0]!).toFixed(1)}`)).join("L")}Z`;

  const listed = new Map(data.areas.map((a) => [a.priority, a]));
  const outlinePaths = outlineRings.map((ring) => `<path d="${path(ring, true)}"/>`);
  const hullPaths = hullRings.map((ring) => `<path d="${path(ring, true)}"/>`);
  const cells = rings.map((r) => `<path class="${listed.has(r.priority) ? "area" : "other"}" d="${path(r.ring, false)}"/>`).join("");
  const inside = (p: Place) => p.lat > south && p.lat < north && p.lon > west && p.lon < east;
  const scaleBox: Box = [0, MAP_HEIGHT - 40, 24 + MAP.width / 5, MAP_HEIGHT];
  const { markers, names: areaNames } = areaMarkers(
    [...listed.values()].map((a) => ({ priority: a.priority, x: x(a.centre[1]), y: y(a.centre[0]), name: mapName(a.name[t.lang]) })),
    [scaleBox],
    { width: MAP.width, height: MAP_HEIGHT },
  );
  // A marker moved off its area (another's sat there) points back to the area's centre with a thin line.
  const numbers = markers
    .map(
      ({ priority, cx, cy, x: ax, y: ay }) =>
        `<g class="label">${cx === ax && cy === ay ? "" : `<path class="leader" d="M${ax.toFixed(1)},${ay.toFixed(1)}L${cx.toFixed(1)},${cy.toFixed(1)}"/>`}<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="${MARKER_RADIUS}"/><text x="${cx.toFixed(1)}" y="${cy.toFixed(1)}" dy="0.35em">${priority}</text></g>`,
    )
    .join("");
  const areaLabels = areaNames.map((l) => `<text class="area-name" x="${l.x.toFixed(1)}" y="${l.y.toFixed(1)}" dy="0.35em">${escapeXml(l.text)}</text>`);
  // Place names stay off the markers, the areas' names, the scale bar (at most a fifth of the width, bottom left) and each other.
  const taken: Box[] = [
    ...markers.map(({ cx, cy }): Box => [cx - MARKER_RADIUS - 1, cy - MARKER_RADIUS - 1, cx + MARKER_RADIUS + 1, cy + MARKER_RADIUS + 1]),
    ...areaNames.map((l) => labelBox(l.text, l.x, l.y, AREA_BOX_PX)),
    scaleBox,
  ];
  const placeCandidates = places
    .filter((p) => LABEL_KINDS.has(p.kind) && inside(p))
    .sort((a, b) => (b.population ?? 0) - (a.population ?? 0) || a.name.localeCompare(b.name))
    .map((p) => ({ text: p.name, x: x(p.lon), y: y(p.lat) }));
  // No place to draw (a city without a places file): the localities that name the map's cells, as the dashboard's maps label them.
  const candidates =
    placeCandidates.length > 0 ? placeCandidates : localityCandidates(data.mapLocalities).map((l) => ({ text: l.text, x: x(l.lon), y: y(l.lat) }));
  const labels = placeLabels(candidates, taken, { width: MAP.width, height: MAP_HEIGHT, fontSize: PLACE_FONT_PX, max: MAX_LABELS }).map(
    (l) => `<text class="place" x="${l.x.toFixed(1)}" y="${l.y.toFixed(1)}" dy="0.35em">${escapeXml(l.text)}</text>`,
  );
  const svg = `<svg viewBox="0 0 ${MAP.width} ${MAP_HEIGHT}" width="${MAP.width}" height="${MAP_HEIGHT}" role="img" aria-label="${escapeXml(t.mapTitle)}">
<rect class="sea" width="${MAP.width}" height="${MAP_HEIGHT}"/>
<g class="outline">${outlinePaths.join("")}${hullPaths.join("")}</g>
<g class="cells">${cells}</g>
<g>${labels.join("")}</g>
<g>${numbers}</g>
<g>${areaLabels.join("")}</g>
${scaleBar(south, north, west, east, MAP_HEIGHT, t)}
</svg>`;
  // `labels` counts OpenStreetMap's places only: the attribution credits them, not the export's localities.
  return { svg, height: MAP_HEIGHT, labels: placeCandidates.length > 0 ? labels.length : 0, outlines: outlinePaths.length };
}

/** An area's name as the map draws it: its first part ("Senamiestis" of "Senamiestis, Šiauliai"); none for coordinates. */
function mapName(name: string): string | null {
  if (/^-?\d+(\.\d+)?, -?\d+(\.\d+)?$/.test(name)) return null;
  return name.split(", ")[0]!;
}

/**
 * The areas' numbered markers, in priority order, each at its area's centre or, where that would
 * overlap a marker already placed or leave the map, at the nearest free point on rings around it;
 * then each area's name beside its marker (right, left, above or below) where it covers no marker,
 * no other name and nothing in `taken`. Exported for its test: no two markers overlap.
 */
export function areaMarkers(
  areas: ReadonlyArray<{ priority: number; x: number; y: number; name: string | null }>,
  taken: readonly Box[],
  frame: { width: number; height: number },
): { markers: Array<{ priority: number; x: number; y: number; cx: number; cy: number }>; names: MapLabel[] } {
  const r = MARKER_RADIUS;
  const gap = 2 * r + 2;
  const box = (cx: number, cy: number): Box => [cx - r - 1, cy - r - 1, cx + r + 1, cy + r + 1];
  const inFrame = (b: Box) => b[0] >= 0 && b[1] >= 0 && b[2] <= frame.width && b[3] <= frame.height;
  const markers: Array<{ priority: number; x: number; y: number; cx: number; cy: number }> = [];
  const free = (cx: number, cy: number) =>
    inFrame(box(cx, cy)) && !taken.some((t) => overlaps(t, box(cx, cy))) && markers.every((m) => Math.hypot(m.cx - cx, m.cy - cy) >= gap);
  for (const a of areas) {
    // Clamped into the frame first: a centre near the edge keeps its marker whole.
    const [x, y] = [Math.min(Math.max(a.x, r + 1), frame.width - r - 1), Math.min(Math.max(a.y, r + 1), frame.height - r - 1)];
    let spot: [number, number] | null = free(x, y) ? [x, y] : null;
    for (let ring = 1; spot === null && ring <= 12; ring++)
      for (let k = 0; k < 6 * ring && spot === null; k++) {
        const angle = (2 * Math.PI * k) / (6 * ring) - Math.PI / 2;
        const [cx, cy] = [x + ring * gap * Math.cos(angle), y + ring * gap * Math.sin(angle)];
        if (free(cx, cy)) spot = [cx, cy];
      }
    const [cx, cy] = spot ?? [x, y];
    markers.push({ priority: a.priority, x: a.x, y: a.y, cx, cy });
  }
  const boxes: Box[] = [...taken, ...markers.map((m) => box(m.cx, m.cy))];
  const names: MapLabel[] = [];
  for (const [i, a] of areas.entries()) {
    if (a.name === null) continue;
    const { cx, cy } = markers[i]!;
    const w = labelBox(a.name, 0, 0, AREA_BOX_PX)[2] * 2;
    const spots: Array<[number, number]> = [
      [cx + r + 3 + w / 2, cy],
      [cx - r - 3 - w / 2, cy],
      [cx, cy - r - 3 - AREA_FONT_PX / 2 - 1],
      [cx, cy + r + 3 + AREA_FONT_PX / 2 + 1],
    ];
    for (const [lx, ly] of spots) {
      const b = labelBox(a.name, lx, ly, AREA_BOX_PX);
      if (!inFrame(b) || boxes.some((o) => overlaps(o, b))) continue;
      boxes.push(b);
      names.push({ text: a.name, x: lx, y: ly });
      break;
    }
  }
  return { markers, names };
}

/** A scale bar of a round length about a fifth of the map's width. */
function scaleBar(south: number, north: number, west: number, east: number, height: number, t: BriefingStrings): string {
  const mid = (south + north) / 2;
  const widthKm = greatCircleDistance([mid, west], [mid, east], "km");
  const target = widthKm / 5;
  const magnitude = 10 ** Math.floor(Math.log10(target));
  const km =
    [1, 2, 5, 10]
      .map((m) => m * magnitude)
      .filter((v) => v <= target)
      .at(-1) ?? magnitude;
  const px = (km / widthKm) * MAP.width;
  const [x0, y0] = [16, height - 18];
  return `<g class="scale"><path d="M${x0},${y0 - 5}V${y0}H${(x0 + px).toFixed(1)}V${y0 - 5}"/><text x="${x0 + px / 2}" y="${y0 - 8}">${km} ${t.scale}</text></g>`;
}

function grow(low: number, high: number, by: number): [number, number] {
  return [low - by, high + by];
}

const P = PRINT;
const STYLE = `
@page { size: A4; margin: ${P.page.marginTopMm}mm ${P.page.marginSideMm}mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: ${P.bodyPt}pt; line-height: ${P.lineHeight}; color: #1a1a1a; margin: 0 auto; max-width: ${P.page.widthMm - 2 * P.page.marginSideMm}mm; }
h1 { font-size: ${P.h1Pt}pt; line-height: ${P.headingLineHeight}; margin: 0 0 2pt; }
h2 { font-size: ${P.h2Pt}pt; line-height: ${P.headingLineHeight}; margin: ${P.h2MarginPt[0]}pt 0 ${P.h2MarginPt[1]}pt; }
p { margin: ${P.paragraphMarginPt}pt 0; }
.meta, .note { color: #444; font-size: ${P.notePt}pt; }
figure { margin: ${P.figureMarginPt}pt 0; }
svg { display: block; width: 100%; height: auto; border: 1px solid #bbb; box-sizing: border-box; }
.sea { fill: #f4f4f1; }
.outline path { fill: #ffffff; stroke: #777; stroke-width: 0.8; }
.cells .area { fill: #b2182b; stroke: #fff; stroke-width: 0.5; }
.cells .other { fill: #f4a582; stroke: #fff; stroke-width: 0.5; }
/* A halo by text-shadow, not a stroke: Chromium prints a stroked text (paint-order: stroke) twice into
   the PDF, once per paint, and the PDF's text then reads every label doubled. */
.place { font-size: ${PLACE_FONT_PX}px; fill: #333; text-anchor: middle; text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 1px #fff; }
.label circle { fill: #fff; stroke: #1a1a1a; stroke-width: 1.2; }
.label text { font-size: 10px; font-weight: bold; text-anchor: middle; }
.label .leader { fill: none; stroke: #1a1a1a; stroke-width: 0.8; }
.area-name { font-size: ${AREA_FONT_PX}px; font-weight: bold; fill: #1a1a1a; text-anchor: middle; text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 1px #fff; }
.scale path { fill: none; stroke: #1a1a1a; stroke-width: 1.5; }
.scale text { font-size: 9px; text-anchor: middle; }
table { border-collapse: collapse; table-layout: fixed; width: 100%; font-size: ${P.tablePt}pt; line-height: ${P.tableLineHeight}; }
th, td { border-bottom: 1px solid #ccc; padding: ${P.cellPaddingPt[0]}pt ${P.cellPaddingPt[1]}pt; text-align: left; vertical-align: top; overflow-wrap: break-word; }
thead th { border-bottom: 1.5px solid #1a1a1a; }
tbody th { font-weight: bold; }
tr { break-inside: avoid; }
`;

/** The map's locality labels, largest first: the dashboard's rule (localityLabels) over the cells' outlines. */
function localityCandidates(cells: BriefingData["mapLocalities"]): Array<{ text: string; lat: number; lon: number }> {
  const index = new Map(
    cells.map(({ cell, name }) => [
      cell,
      { geometry: { type: "Polygon" as const, coordinates: [cellToBoundary(cell, true)] }, municipality: null, place: { en: name, lt: name }, locality: name },
    ]),
  );
  return localityLabels(index)
    .sort((a, b) => (b.population ?? 0) - (a.population ?? 0) || a.name.localeCompare(b.name))
    .map((l) => ({ text: l.name, lon: l.position[0], lat: l.position[1] }));
}
