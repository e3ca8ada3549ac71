// Scale-bar arithmetic for the maps, which use d3's Mercator (Plot's "mercator" projection). Mercator
// is conformal: at latitude φ a pixel covers the same ground distance in every direction, R·cos φ / s
// metres for a projection of scale s (pixels per radian of longitude), and that distance changes with
// latitude, so the bar is computed at the latitude of the map's centre. R is the mean Earth radius
// (IUGG, 6,371,008.8 m), the one haversine distances use; test/map-places.test.ts checks the bar
// against haversine distances between points d3's own projection inverts.

/** Mean Earth radius in metres (IUGG). */
export const EARTH_RADIUS_M = 6_371_008.8;

const RADIANS = Math.PI / 180;

/** Ground metres one screen pixel covers at `latitude` (degrees) on a d3 Mercator of scale `scale` (pixels per radian). */
export function mercatorMetresPerPixel(scale: number, latitude: number): number {
  if (!(scale > 0) || Math.abs(latitude) >= 90)
    throw new Error(`scale bar: needs a positive projection scale and a latitude inside (−90°, 90°), got ${scale} and ${latitude}`);
  return (EARTH_RADIUS_M * Math.cos(latitude * RADIANS)) / scale;
}

/** The d3 Mercator scale (pixels per radian) at which a pixel covers `metresPerPixel` at `latitude`: the inverse of mercatorMetresPerPixel. */
export function mercatorScaleFor(metresPerPixel: number, latitude: number): number {
  if (!(metresPerPixel > 0) || Math.abs(latitude) >= 90) {
    throw new Error(`scale bar: needs positive metres per pixel and a latitude inside (−90°, 90°), got ${metresPerPixel} and ${latitude}`);
  }
  return (EARTH_RADIUS_M * Math.cos(latitude * RADIANS)) / metresPerPixel;
}

/** A scale bar: the ground distance it stands for and its length on screen. */
export interface ScaleBar {
  metres: number;
  pixels: number;
}

/**
 * The longest bar of a round length (1, 2 or 5 times a power of ten metres) that fits in
 * `maxPixels` at `metresPerPixel`.
 */
export function scaleBar(metresPerPixel: number, maxPixels: number): ScaleBar {
  if (!(metresPerPixel > 0) || !(maxPixels > 0))
    throw new Error(`scale bar: needs positive metres per pixel and width, got ${metresPerPixel} and ${maxPixels}`);
  const most = metresPerPixel * maxPixels;
  const power = 10 ** Math.floor(Math.log10(most));
  const metres = [5, 2, 1].map((m) => m * power).find((m) => m <= most) ?? power;
  return { metres, pixels: metres / metresPerPixel };
}

/** A bar's length in words of `locale`: metres below 1 km ("500 m"), else kilometres ("2 km", "1,5 km" in Lithuanian). */
export function formatDistance(metres: number, locale: string): string {
  if (metres < 1000) return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(metres)} m`;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(metres / 1000)} km`;
}
