/**
 * The coordinate reference systems the reader knows, and where each is meant to be used: one place
 * for the source description's schema, the ingest's projections and describe's messages.
 */
// Projections the sources use, in PROJ.4 form (from the EPSG registry). LKS-94 / Lithuania TM is
// the grid of Lithuanian police registers; x is always the easting, y the northing.
const NAMED: Readonly<Record<string, { proj: string; name: string; area: string }>> = {
  "EPSG:4326": { proj: "+proj=longlat +datum=WGS84 +no_defs", name: "degrees (WGS84)", area: "the whole Earth" },
  "EPSG:3346": {
    proj: "+proj=tmerc +lat_0=0 +lon_0=24 +k=0.9998 +x_0=500000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
    name: "metres (LKS-94)",
    area: "Lithuania",
  },
  // Web Mercator, as ArcGIS services and Toronto's MCI export write X/Y.
  "EPSG:3857": {
    proj: "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs",
    name: "metres (Web Mercator)",
    area: "the whole Earth but the poles",
  },
};

/**
 * Any UTM zone: EPSG:326NN (WGS84, north), EPSG:327NN (WGS84, south) and EPSG:258NN (ETRS89, zones
 * 28–38: the grids of European police registers, e.g. 25832 in Germany and Norway's 25833; ETRS89
 * and WGS84 differ by under a metre, below any cell).
 */
const UTM = /^EPSG:(326|327|258)(\d\d)$/;
function utmZone(crs: string): { family: "326" | "327" | "258"; zone: number } | null {
  const match = UTM.exec(crs);
  if (!match) return null;
  const zone = Number(match[2]);
  const family = match[1] as "326" | "327" | "258";
  if (zone < 1 || zone > 60 || (family === "258" && (zone < 28 || zone > 38))) return null;
  return { family, zone };
}

/**
 * The CRSs tried without being named: by describe on metres it has no --crs for, and on a point that
 * fails its description's CRS, for its reason (each a grid some export of the tests uses).
 */
export const COMMON_CRS: ReadonlyArray<string> = ["EPSG:4326", "EPSG:3346", "EPSG:3857", "EPSG:32610", "EPSG:32634", "EPSG:32635"];

/** Whether the reader knows `crs`: one of NAMED or a UTM zone. */
export function isSupportedCrs(crs: string): boolean {
  return crs in NAMED || utmZone(crs) !== null;
}

/** What a source description's crs may be, for messages. */
export const SUPPORTED_CRS_TEXT =
  "EPSG:4326, EPSG:3346 (LKS-94), EPSG:3857 (Web Mercator) or a UTM zone: EPSG:326NN (WGS84 north), EPSG:327NN (south), EPSG:258NN (ETRS89, 28–38)";

/** The PROJ.4 definition of a supported CRS. */
export function definition(crs: string): string {
  const named = NAMED[crs];
  if (named) return named.proj;
  const utm = utmZone(crs);
  if (!utm) throw new RangeError(`unknown CRS ${crs}: ${SUPPORTED_CRS_TEXT}`);
  const datum = utm.family === "258" ? "+ellps=GRS80 +towgs84=0,0,0,0,0,0,0" : "+datum=WGS84";
  return `+proj=utm +zone=${utm.zone}${utm.family === "327" ? " +south" : ""} ${datum} +units=m +no_defs`;
}

/**
 * Whether WGS84 (lon, lat) lies where `crs` is meant to be used, so that metres which a grid reads
 * somewhere else on Earth (British National Grid read as LKS94 lands in DR Congo) are not taken for
 * it. LKS94: EPSG's area of use (Lithuania, 19.02–26.82° E, 53.89–56.45° N). A UTM zone: its
 * hemisphere (ETRS89's: Europe, 34–84° N), and within 6° of its central meridian — its own 6° band
 * and 3° beyond, since a place straddling a zone edge is written in one zone (Lithuania, 21–27° E,
 * in 34N). Web Mercator: the world it draws (±85.06°).
 */
export function withinAreaOfUse(crs: string, lon: number, lat: number): boolean {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return false;
  const utm = utmZone(crs);
  if (utm) {
    const band = Math.abs(lon - (-183 + 6 * utm.zone)) <= 6;
    if (utm.family === "327") return band && lat >= -80 && lat <= 0;
    return band && lat >= (utm.family === "258" ? 34 : 0) && lat <= 84;
  }
  if (crs === "EPSG:3346") return lon >= 19.02 && lon <= 26.82 && lat >= 53.89 && lat <= 56.45;
  if (crs === "EPSG:3857") return Math.abs(lat) <= 85.06;
  return Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}

/** Where `crs` is meant to be used, as withinAreaOfUse checks it (for messages). */
export function areaOfUse(crs: string): string {
  const utm = utmZone(crs);
  if (!utm) return NAMED[crs]?.area ?? crs;
  const meridian = -183 + 6 * utm.zone;
  const where = `near ${Math.abs(meridian)}° ${meridian < 0 ? "W" : "E"} (UTM zone ${utm.zone}${utm.family === "327" ? "S" : "N"})`;
  return utm.family === "258" ? `Europe ${where}` : `the ${utm.family === "327" ? "southern" : "northern"} hemisphere ${where}`;
}

/** "EPSG:3346 metres (LKS-94)", "EPSG:25832 metres (UTM 32N, ETRS89)". */
export function crsName(crs: string): string {
  const utm = utmZone(crs);
  if (!utm) return `${crs} ${NAMED[crs]?.name ?? ""}`.trim();
  return `${crs} metres (UTM ${utm.zone}${utm.family === "327" ? "S" : "N"}${utm.family === "258" ? ", ETRS89" : ""})`;
}
