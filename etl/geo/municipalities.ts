/**
 * Municipality boundaries: the product's own Lithuanian file (`data/geo/lt-municipalities.topojson`,
 * © OpenStreetMap contributors, ODbL) or any GeoJSON / TopoJSON of polygons with a `name` property.
 */
import { readFile } from "node:fs/promises";
import { feature } from "topojson-client";
import type { Topology } from "topojson-specification";

/** Polygons with a `name`, as GeoJSON (what the study area, the evaluation and the maps use). */
export interface MunicipalityCollection {
  type: "FeatureCollection";
  features: Array<{
    type: "Feature";
    properties: { name: string } & Record<string, unknown>;
    geometry: { type: "Polygon"; coordinates: number[][][] } | { type: "MultiPolygon"; coordinates: number[][][][] };
  }>;
}

/**
 * Decimals kept from a decoded TopoJSON. A quantised topology decodes to `x0 + i·k`, which carries
 * floating-point noise; rounding to 1e-6° (about 0.1 m) removes it and, for the bundled file (whose
 * quantisation step is a quarter of 1e-6°), gives back the source coordinates exactly.
 */
export const SOURCE_DECIMALS = 6;

/**
 * The last files decoded in this process, by their text: a monthly run reads the same boundaries in
 * the ingest, the study area, the evaluation and the briefing, and decoding the bundled TopoJSON costs
 * about 50 ms each time. Callers share the decoded collection and must not change it.
 */
const decoded = new Map<string, MunicipalityCollection>();
const DECODED_KEPT = 2;

/** Reads a boundaries file (GeoJSON or TopoJSON), failing with the path and what to do. */
export async function readMunicipalities(path: string): Promise<MunicipalityCollection> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new Error(
      `cannot read the municipality boundaries at ${path} (give a GeoJSON or TopoJSON file of polygons with a "name" property with --geo): ${(error as Error).message}`,
      { cause: error },
    );
  }
  const known = decoded.get(text);
  if (known) return known;
  const collection = parseMunicipalities(text, path);
  if (decoded.size >= DECODED_KEPT) decoded.delete(decoded.keys().next().value!);
  decoded.set(text, collection);
  return collection;
}

/** Parses GeoJSON (a FeatureCollection) or TopoJSON (every object of the topology) into features. */
export function parseMunicipalities(text: string, path: string): MunicipalityCollection {
  const doc = JSON.parse(text) as { type?: string };
  if (doc.type === "FeatureCollection") return doc as MunicipalityCollection;
  if (doc.type !== "Topology")
    throw new Error(`${path} is neither a GeoJSON FeatureCollection nor a TopoJSON Topology (its type is ${JSON.stringify(doc.type)})`);
  const topology = doc as Topology;
  const features = Object.values(topology.objects).flatMap((object) => {
    const decoded = feature(topology, object) as unknown as MunicipalityCollection | MunicipalityCollection["features"][number];
    return decoded.type === "FeatureCollection" ? decoded.features : [decoded];
  });
  for (const f of features) roundCoordinates(f.geometry.coordinates);
  return { type: "FeatureCollection", features };
}

type Nested = number[] | Nested[];
const scale = 10 ** SOURCE_DECIMALS;
/**
 * Rounds every coordinate of a decoded geometry in place (the decoder's arrays are this call's own;
 * a position rounded twice stays the same): a copy of every array took 60 ms of the 0.1 s decode.
 */
function roundCoordinates(value: Nested): void {
  if (value.length > 0 && typeof value[0] === "number") {
    const position = value as number[];
    for (let i = 0; i < position.length; i++) position[i] = Math.round(position[i]! * scale) / scale;
    return;
  }
  for (const part of value as Nested[]) roundCoordinates(part);
}
