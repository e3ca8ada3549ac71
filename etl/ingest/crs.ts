/**
 * The coordinate reference systems the reader knows, and where each is meant to be used: one place
 * for the source description's schema, the ingest's projections and describe's messages.
 */
import proj4 from "proj4";

/** [west, south, east, north] in WGS84 degrees. */
type Box = readonly [number, number, number, number];

/**
 * Projections the sources use, in PROJ.4 form, with the EPSG registry's area of use (its bounding
 * box), whether EPSG orders its axes northing first (the X of LKS-94, LKS-92, L-EST97, PUWG 1992,
 * SWEREF99 TM and Gauss-Krüger is the northing, as their exports often name it), the time zones of its country (a box holds its neighbours too: Sweden's holds Oslo) and a short name. x is always the easting, y the northing, whatever axis order EPSG gives.
 * Each definition is checked against a published point pair in test/crs-national-grids.test.ts.
 * Datum shifts are the registry's Helmert parameters (proj4 loads no grid files): RD New's are
 * good to about a metre, the British National Grid's to a few metres (OSTN15, the exact shift, is a
 * grid file) — well below the size of a cell either way.
 */
const NAMED: Readonly<Record<string, { proj: string; name: string; area: string; box?: Box; zones?: readonly string[]; northingFirst?: boolean }>> = {
  "EPSG:4326": { proj: "+proj=longlat +datum=WGS84 +no_defs", name: "degrees (WGS84)", area: "the whole Earth" },
  // LKS-94 / Lithuania TM: the grid of Lithuanian police registers.
  "EPSG:3346": {
    proj: "+proj=tmerc +lat_0=0 +lon_0=24 +k=0.9998 +x_0=500000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
    name: "metres (LKS-94)",
    area: "Lithuania",
    box: [19.02, 53.89, 26.82, 56.45],
    zones: ["Europe/Vilnius"],
    northingFirst: true,
  },
  "EPSG:3059": {
    proj: "+proj=tmerc +lat_0=0 +lon_0=24 +k=0.9996 +x_0=500000 +y_0=-6000000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
    name: "metres (LKS-92 / Latvia TM)",
    area: "Latvia",
    box: [19.06, 55.67, 28.24, 58.09],
    zones: ["Europe/Riga"],
    northingFirst: true,
  },
  "EPSG:3301": {
    proj: "+proj=lcc +lat_0=57.5175539305556 +lon_0=24 +lat_1=59.3333333333333 +lat_2=58 +x_0=500000 +y_0=6375000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
    name: "metres (L-EST97, Estonia)",
    area: "Estonia",
    box: [20.37, 57.52, 28.2, 60.0],
    zones: ["Europe/Tallinn"],
    northingFirst: true,
  },
  "EPSG:2180": {
    proj: "+proj=tmerc +lat_0=0 +lon_0=19 +k=0.9993 +x_0=500000 +y_0=-5300000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
    name: "metres (PUWG 1992, Poland)",
    area: "Poland",
    box: [14.14, 49.0, 24.15, 55.93],
    zones: ["Europe/Warsaw"],
    northingFirst: true,
  },
  "EPSG:3067": {
    proj: "+proj=utm +zone=35 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
    name: "metres (ETRS-TM35FIN, Finland)",
    area: "Finland",
    box: [19.08, 58.84, 31.59, 70.09],
    zones: ["Europe/Helsinki", "Europe/Mariehamn"],
  },
  "EPSG:3006": {
    proj: "+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
    name: "metres (SWEREF99 TM, Sweden)",
    area: "Sweden",
    box: [10.03, 54.96, 24.17, 69.07],
    zones: ["Europe/Stockholm"],
    northingFirst: true,
  },
  // Amersfoort to WGS 84 (4), EPSG 4833: EPSG gives its rotations in the coordinate-frame sense, in
  // microradians; +towgs84 takes arc-seconds in the position-vector sense (read literally, the shift is 150 m off).
  "EPSG:28992": {
    proj: "+proj=sterea +lat_0=52.1561605555556 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000 +ellps=bessel +towgs84=565.4171,50.3319,465.5524,-0.398957,0.343988,-1.87740,4.0725 +units=m +no_defs",
    name: "metres (RD New, Netherlands)",
    area: "the Netherlands",
    box: [3.2, 50.75, 7.22, 53.7],
    zones: ["Europe/Amsterdam"],
  },
  "EPSG:27700": {
    proj: "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs",
    name: "metres (British National Grid)",
    area: "Great Britain",
    box: [-9.01, 49.75, 2.01, 61.01],
    zones: ["Europe/London", "Europe/Isle_of_Man"],
  },
  "EPSG:2154": {
    proj: "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
    name: "metres (Lambert-93, France)",
    area: "France",
    box: [-9.86, 41.15, 10.38, 51.56],
    zones: ["Europe/Paris"],
  },
  // DHDN 3-degree Gauss-Krüger zones 2–5: the zone's digit leads each easting, so zones never overlap in value.
  ...Object.fromEntries(
    [2, 3, 4, 5].map((zone) => [
      `EPSG:${31464 + zone}`,
      {
        proj: `+proj=tmerc +lat_0=0 +lon_0=${3 * zone} +k=1 +x_0=${zone}500000 +y_0=0 +ellps=bessel +towgs84=598.1,73.7,418.2,0.202,0.045,-2.455,6.7 +units=m +no_defs`,
        name: `metres (Gauss-Krüger zone ${zone}, Germany)`,
        area: "Germany",
        box: [5.86, 47.27, 15.04, 55.09] as Box,
        zones: ["Europe/Berlin", "Europe/Busingen"],
        northingFirst: true,
      },
    ]),
  ),
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

/** A CRS given as a PROJ string (`+proj=lcc …`), for a grid that has no EPSG code here. */
const isProjString = (crs: string) => crs.trimStart().startsWith("+proj=");

/**
 * The CRSs tried without being named: by describe on metres it has no --crs for, and on a point that
 * fails its description's CRS, for its reason: every named grid, and the UTM zones some export of the
 * tests uses (10N, 34N, 35N: any other zone must be given).
 */
export const COMMON_CRS: ReadonlyArray<string> = [...Object.keys(NAMED), "EPSG:32610", "EPSG:32634", "EPSG:32635"];

/**
 * Why `crs` cannot be a source's CRS, or null when it can: one of NAMED, a UTM zone, or a PROJ string
 * that proj4 reads and that gives a position for its own origin (a missing parameter or grid file
 * gives none: proj4 then writes NaN for every point).
 */
export function crsProblem(crs: string): string | null {
  if (crs in NAMED || utmZone(crs) !== null) return null;
  if (!isProjString(crs)) return `unknown CRS ${crs}: give one of ${SUPPORTED_CRS_TEXT}`;
  let projection: { lat0?: number; long0?: number };
  try {
    projection = proj4.Proj(crs) as { lat0?: number; long0?: number };
    proj4(crs, NAMED["EPSG:4326"]!.proj);
  } catch (error) {
    return `proj4 cannot read the PROJ string "${crs}"${error instanceof Error && error.message ? ` (${error.message})` : ""}: check +proj= names a projection and each parameter is +name=value`;
  }
  const origin: [number, number] = [((projection.long0 ?? 0) * 180) / Math.PI, ((projection.lat0 ?? 0) * 180) / Math.PI];
  const roundTrip = (): boolean => {
    try {
      const [x, y] = proj4(NAMED["EPSG:4326"]!.proj, crs, origin) as [number, number];
      const [lon, lat] = proj4(crs, NAMED["EPSG:4326"]!.proj, [x, y]) as [number, number];
      return Math.abs(lon - origin[0]) <= 1e-6 && Math.abs(lat - origin[1]) <= 1e-6;
    } catch {
      return false; // proj4 refuses the NaN its own forward step wrote
    }
  };
  if (!roundTrip())
    return `the PROJ string "${crs}" gives no position for its own origin (${origin[1]}° N, ${origin[0]}° E): a parameter is missing (lat_0, lat_1 …) or names a grid file (+nadgrids), which the reader cannot load; write the parameters as the EPSG registry gives them, with +towgs84 for the datum`;
  return null;
}

/** Whether the reader knows `crs`: one of NAMED, a UTM zone or a usable PROJ string. */
export function isSupportedCrs(crs: string): boolean {
  return crsProblem(crs) === null;
}

/** What a source description's crs may be, for messages. */
export const SUPPORTED_CRS_TEXT = `${Object.entries(NAMED)
  .map(([code, { name }]) => `${code} (${name.replace(/^\w+ \((.*)\)$/, "$1")})`)
  .join(
    ", ",
  )}, a UTM zone: EPSG:326NN (WGS84 north), EPSG:327NN (south), EPSG:258NN (ETRS89, 28–38), or any other grid as a PROJ string ("+proj=lcc +lat_1=… +towgs84=…", from the EPSG registry)`;

/** The PROJ.4 definition of a supported CRS. */
export function definition(crs: string): string {
  const named = NAMED[crs];
  if (named) return named.proj;
  if (isProjString(crs)) return crs;
  const utm = utmZone(crs);
  if (!utm) throw new RangeError(`unknown CRS ${crs}: ${SUPPORTED_CRS_TEXT}`);
  const datum = utm.family === "258" ? "+ellps=GRS80 +towgs84=0,0,0,0,0,0,0" : "+datum=WGS84";
  return `+proj=utm +zone=${utm.zone}${utm.family === "327" ? " +south" : ""} ${datum} +units=m +no_defs`;
}

/**
 * Whether WGS84 (lon, lat) lies where `crs` is meant to be used, so that metres which a grid reads
 * somewhere else on Earth (British National Grid read as LKS94 lands in DR Congo) are not taken for
 * it. A national grid: EPSG's area of use (its bounding box). A UTM zone: its hemisphere (ETRS89's:
 * Europe, 34–84° N), and within 6° of its central meridian — its own 6° band and 3° beyond, since a
 * place straddling a zone edge is written in one zone (Lithuania, 21–27° E, in 34N). Web Mercator:
 * the world it draws (±85.06°). A PROJ string states no area: anywhere (the source's bounds decide).
 */
export function withinAreaOfUse(crs: string, lon: number, lat: number): boolean {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return false;
  const utm = utmZone(crs);
  if (utm) {
    const band = Math.abs(lon - (-183 + 6 * utm.zone)) <= 6;
    if (utm.family === "327") return band && lat >= -80 && lat <= 0;
    return band && lat >= (utm.family === "258" ? 34 : 0) && lat <= 84;
  }
  const box = NAMED[crs]?.box;
  if (box) return lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3];
  if (crs === "EPSG:3857") return Math.abs(lat) <= 85.06;
  return Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}

/** Whether `crs` is one country's grid (an area of use of its own), not a worldwide or banded one. */
export function isNationalGrid(crs: string): boolean {
  return NAMED[crs]?.box !== undefined;
}

/**
 * The IANA time zones of a national grid's country, or undefined for a worldwide or banded grid: a
 * point read in the grid must lie in one of them (tz-lookup's zone of the point) to be in its country.
 */
export function countryZones(crs: string): readonly string[] | undefined {
  return NAMED[crs]?.zones;
}

/** Whether the grid's own axis order is (northing, easting): an export's X may then be the northing. */
export function namesNorthingFirst(crs: string): boolean {
  return NAMED[crs]?.northingFirst === true;
}

/** Where `crs` is meant to be used, as withinAreaOfUse checks it (for messages). */
export function areaOfUse(crs: string): string {
  if (isProjString(crs)) return "the area the source's bounds give (a PROJ string states none)";
  const utm = utmZone(crs);
  const named = NAMED[crs];
  if (!utm) return named?.box ? `${named.area} (${named.box.join(", ")})` : (named?.area ?? crs);
  const meridian = -183 + 6 * utm.zone;
  const where = `near ${Math.abs(meridian)}° ${meridian < 0 ? "W" : "E"} (UTM zone ${utm.zone}${utm.family === "327" ? "S" : "N"})`;
  return utm.family === "258" ? `Europe ${where}` : `the ${utm.family === "327" ? "southern" : "northern"} hemisphere ${where}`;
}

/** "EPSG:3346 metres (LKS-94)", "EPSG:25832 metres (UTM 32N, ETRS89)", or the PROJ string quoted. */
export function crsName(crs: string): string {
  if (isProjString(crs)) return `the PROJ string "${crs}"`;
  const utm = utmZone(crs);
  if (!utm) return `${crs} ${NAMED[crs]?.name ?? ""}`.trim();
  return `${crs} metres (UTM ${utm.zone}${utm.family === "327" ? "S" : "N"}${utm.family === "258" ? ", ETRS89" : ""})`;
}

/** The short name of a grid for lists: "LKS-94", "UTM 35N", "Web Mercator". */
export function shortName(crs: string): string {
  return crsName(crs).replace(/^\S+ (metres|degrees) \((.*?)(, ETRS89)?\)$/, "$2");
}
