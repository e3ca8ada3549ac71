import { basename } from "node:path";
import { DEFAULTS } from "../config.ts";
import { municipalityRings, type MunicipalityRings } from "../geo/municipality-index.ts";
import { readMunicipalities, type MunicipalityCollection } from "../geo/municipalities.ts";
import type { SourceDescription } from "./source-description.ts";

/** What an ingest checks rows' municipalities against, and the sentence its report gives for it. */
export interface MunicipalityCheck {
  /** The boundaries to check against; absent when the check is skipped. */
  rings?: MunicipalityRings;
  /** `checked against …`, or `skipped: …` with the reason (QualityReport.municipality_check). */
  note: string;
}

/**
 * Decides whether rows that name a municipality are checked against boundaries (issue 21: a point in
 * Latvia inside the source's bounding box was ingested as "Šiaulių m. sav."). Skipped, with the reason,
 * when the source gives no municipality, when no boundaries are given (`null`), or when the source's
 * bounds do not meet the boundaries at all (an export from another country: the product's own
 * boundaries are Lithuania's). `boundaries` undefined: the product's Lithuanian boundaries.
 */
export async function municipalityCheck(source: SourceDescription, boundaries: string | null | undefined): Promise<MunicipalityCheck> {
  if (source.columns.municipality === undefined) return { note: "skipped: the source description maps no municipality" };
  if (boundaries === null) return { note: "skipped: no municipality boundaries were given" };
  const path = boundaries ?? DEFAULTS.municipalitiesGeoJson;
  const rings = await loadRings(path);
  const [west, south, east, north] = source.bounds;
  const [bWest, bSouth, bEast, bNorth] = rings.bounds;
  if (west > bEast || east < bWest || south > bNorth || north < bSouth) {
    return {
      note: `skipped: the source's bounds [${source.bounds.join(", ")}] lie outside the municipality boundaries (${rings.origin}); give this place's boundaries to check rows' municipalities`,
    };
  }
  return { rings, note: `checked against ${rings.origin} (rows naming a municipality it does not have are not checked)` };
}

// A command ingests many files against the same boundaries: readMunicipalities decodes a file's text
// once, and its rings are kept with that decoded collection — by content, not by path, so a file
// rewritten in place gives its new rings.
const ringsOf = new WeakMap<MunicipalityCollection, MunicipalityRings>();
async function loadRings(path: string): Promise<MunicipalityRings> {
  const collection = await readMunicipalities(path);
  let rings = ringsOf.get(collection);
  if (!rings) ringsOf.set(collection, (rings = municipalityRings(collection, basename(path))));
  return rings;
}
