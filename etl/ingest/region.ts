/**
 * How far a police export's points may lie from one another: the one distance describe's bounds and
 * the ingest's placeholder check share.
 */
import { greatCircleDistance } from "h3-js";

/**
 * How far from the points' median a real incident of one export can lie. A police unit's export
 * covers at most a region (a city with its district, a county, a small country's police district:
 * Lithuania is 370 km across, so its farthest town lies within 300 km of any median inside it), so
 * every plausible point is within this distance; what lies beyond is a placeholder ((-1, -1), a
 * projected (0, 0)), x and y swapped (over 300 km away except within ~2° of the line lat = lon), or a
 * typing mistake. Not a spread statistic of the points: a city and its outlying towns (Šiauliai and
 * Kuršėnai, 20 km apart) are two clusters, whose far-out fences (3 IQR) cut off the smaller one.
 */
export const REGION_KM = 300;

/** Great-circle distance in km between two [lon, lat] points (h3-js, on the authalic sphere). */
export function kmBetween([lon1, lat1]: readonly [number, number], [lon2, lat2]: readonly [number, number]): number {
  return greatCircleDistance([lat1, lon1], [lat2, lon2], "km");
}
