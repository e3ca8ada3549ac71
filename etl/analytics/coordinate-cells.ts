import { getHexagonEdgeLengthAvg, latLngToCell } from "h3-js";

/**
 * The H3 cells of points at any resolution, so that a lake indexed at one resolution is analysed at
 * another without re-ingesting (issue 18): each point gets `latLngToCell` of its stored coordinates,
 * exactly the cell an ingest at that resolution would have given it. Not `cellToParent` of the stored
 * cell for coarser resolutions: H3's hierarchy is not geometrically nested (a parent hexagon is not
 * the union of its seven children), so the parent of a point's cell is not always the coarser cell
 * that contains the point, and results would then depend on the resolution the lake was ingested at.
 *
 * Returns the distinct cells sorted and, per point, the index of its cell in that list.
 */
export function cellsOfPoints(lat: Float64Array, lon: Float64Array, resolution: number): { cells: string[]; index: Uint32Array } {
  const first = new Map<string, number>();
  const raw = new Uint32Array(lat.length);
  for (let i = 0; i < lat.length; i++) {
    const cell = latLngToCell(lat[i]!, lon[i]!, resolution);
    let ix = first.get(cell);
    if (ix === undefined) first.set(cell, (ix = first.size));
    raw[i] = ix;
  }
  const cells = [...first.keys()].sort();
  const sortedIndex = new Uint32Array(cells.length);
  cells.forEach((cell, s) => (sortedIndex[first.get(cell)!] = s));
  return { cells, index: raw.map((ix) => sortedIndex[ix]!) };
}

/** Decimal places of a coordinate as stored (its shortest round-trip form); 17 for exponent forms such as 1e-7. */
export function decimalPlaces(x: number): number {
  const text = String(x);
  if (text.includes("e")) return 17;
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * Places past which coordinates are finer than every H3 cell (6: 0.11 m; resolution 15 edges are
 * 0.5 m): an ingest counts its rows by decimal places up to this many (see fewDecimalPlaces).
 */
export const FINEST_PLACES = 6;

/**
 * decimalPlaces(x), or FINEST_PLACES when it is at least that: the fewest places d with
 * round(x·10^d)/10^d === x (the double nearest a d-place decimal is that decimal's round trip). An
 * ingest counts every kept row so; String(x) took 2 s a million points, this one multiplication for
 * most (they have 6 or more places).
 */
export function fewDecimalPlaces(x: number): number {
  // Not a decimal of FINEST_PLACES − 1 places: FINEST_PLACES or more (most coordinates, one test).
  const coarser = 10 ** (FINEST_PLACES - 1);
  if (Math.round(x * coarser) / coarser !== x) return FINEST_PLACES;
  for (let d = 0, p = 1; d < FINEST_PLACES - 1; d++, p *= 10) if (Math.round(x * p) / p === x) return d;
  return FINEST_PLACES - 1;
}

/** Metres of latitude per degree (mean); east-west spacing is smaller by cos(latitude), so this is the larger of the two. */
const METRES_PER_DEGREE = 111_320;

/**
 * Points' weights by the decimal places of the finer of their two coordinates (index d: d places),
 * the basis of coordinateSpacingMetres; an ingest keeps its file's in the report
 * (`coordinate_decimals`), so that the lake's stored cells are checked without reading its rows.
 */
export function decimalPlacesWeights(lat: Float64Array, lon: Float64Array, weight: Float64Array): Float64Array {
  const byPlaces = new Float64Array(18);
  for (let i = 0; i < lat.length; i++) byPlaces[Math.max(decimalPlaces(lat[i]!), decimalPlaces(lon[i]!))]! += weight[i]!;
  return byPlaces;
}

/**
 * How finely most incidents' coordinates are placed, in metres: 10^-d degrees of latitude, where d
 * is the count-weighted median over points of the larger of their two coordinates' decimal places.
 * An export that rounds to 3 decimals places its points on a grid of about 111 m, whatever the cell
 * size; the median keeps a few more precise rows from hiding that. Trailing zeros are lost in the
 * stored number (55.930 reads as 55.93), which the median also absorbs.
 */
export function coordinateSpacingMetres(lat: Float64Array, lon: Float64Array, weight: Float64Array): number {
  return spacingOfDecimalPlaces(decimalPlacesWeights(lat, lon, weight));
}

/** Ingest reports' `coordinate_decimals` (rows by decimal places, see ingest-notes.ts), summed, as decimalPlacesWeights. */
export function decimalPlacesArray(...reports: ReadonlyArray<Readonly<Record<string, number>>>): Float64Array {
  const byPlaces = new Float64Array(18);
  for (const decimals of reports) for (const [places, rows] of Object.entries(decimals)) byPlaces[Number(places)]! += rows;
  return byPlaces;
}

/** coordinateSpacingMetres of points' decimalPlacesWeights (0: no points). */
export function spacingOfDecimalPlaces(byPlaces: ArrayLike<number>): number {
  let total = 0;
  for (let d = 0; d < byPlaces.length; d++) total += byPlaces[d]!;
  if (total === 0) return 0;
  let seen = 0;
  let d = 0;
  while (d < 17 && seen + (byPlaces[d] ?? 0) < total / 2) seen += byPlaces[d++] ?? 0;
  return METRES_PER_DEGREE * 10 ** -d;
}

/**
 * Refuses a resolution whose cells are smaller than the grid the coordinates are rounded to: the
 * average hexagon edge at `resolution` below the spacing of most points (see coordinateSpacingMetres).
 * Cells that small would follow the rounding of the export, not where incidents happened — most
 * would be empty and the rest would hold one rounded position each. The error names the finest
 * resolution the coordinates support.
 */
export function checkCoordinatePrecision(spacingMetres: number, resolution: number): void {
  const problem = coordinatePrecisionProblem(spacingMetres, resolution);
  if (problem !== undefined) throw new Error(problem);
}

/** checkCoordinatePrecision's refusal as a sentence, or undefined when the coordinates suffice (an ingest warns with it). */
export function coordinatePrecisionProblem(spacingMetres: number, resolution: number): string | undefined {
  const edge = getHexagonEdgeLengthAvg(resolution, "m");
  if (spacingMetres <= edge) return undefined;
  let finest = resolution;
  while (finest > 0 && getHexagonEdgeLengthAvg(finest, "m") < spacingMetres) finest--;
  return (
    `H3 resolution ${resolution} is finer than the incidents' coordinates: most are rounded to a grid of about ${Math.round(spacingMetres)} m, ` +
    `but resolution ${resolution} cells have edges of ${Math.round(edge)} m, so they would follow the rounding, not the incidents. ` +
    `Use --resolution ${finest} or coarser (h3_resolution in the configuration), or re-export the coordinates with more decimals`
  );
}
