// Types of geo.js, for the TypeScript tests (the pages use the JavaScript as is).
import type { FeatureCollection, HexagonCollection, PolygonFeature, Ring } from "../../data-contract.js";

type Geometry = PolygonFeature<unknown>["geometry"];
export function signedArea(ring: Ring): number;
export function rewindGeometry<G extends Geometry>(geometry: G): G;
export function rewindFeature<P>(feature: PolygonFeature<P>): PolygonFeature<P>;
export function rewindCollection<P>(collection: FeatureCollection<P>): FeatureCollection<P>;
export function hexagonIndex(hexagons: HexagonCollection): Map<string, { geometry: Geometry; municipality: string | null }>;
export function cellFeatures<R extends { cell: string }>(rows: R[], index: Map<string, { geometry: Geometry }>): Array<PolygonFeature<R>>;
