// Types of geo.js, for the TypeScript tests (the pages use the JavaScript as is).
import type { FeatureCollection, PolygonFeature, Ring } from "../../data-contract.js";

type Geometry = PolygonFeature<unknown>["geometry"];
export function signedArea(ring: Ring): number;
export function rewindGeometry<G extends Geometry>(geometry: G): G;
export function rewindFeature<P>(feature: PolygonFeature<P>): PolygonFeature<P>;
export function rewindCollection<P>(collection: FeatureCollection<P>): FeatureCollection<P>;
