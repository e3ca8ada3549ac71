import { CITY, DISTRICT, PLACES, type Municipality } from "../../data/generator/places.ts";
import type { StudyArea } from "../../data/generator/boundaries.ts";
import { cumulativeOf, type Random } from "./random.ts";

/** Categories of the synthetic data with their overall shares (about those of the bundled data). */
export const CATEGORY_SHARES = {
  theft: 25,
  burglary: 8,
  robbery: 2,
  assault: 11,
  domestic_violence: 14,
  sexual_offence: 0.5,
  drug_possession: 6.5,
  public_order: 14,
  vehicle_crime: 5.5,
  fraud: 6,
  criminal_damage: 7,
} as const;
export type SyntheticCategory = keyof typeof CATEGORY_SHARES;
export const CATEGORIES = Object.keys(CATEGORY_SHARES) as SyntheticCategory[];

/**
 * A hot spot of the synthetic data: a centre with a Gaussian spread, a pull that grows or shrinks
 * over the years and swings with the seasons, a mix of categories of its own, and possibly a first
 * month before which it does not exist (a new hot spot). Together they give the emerging-hot-spot
 * classification, the backtest and FDR something to find.
 */
export interface Cluster {
  lat: number;
  lon: number;
  spreadMetres: number;
  municipality: Municipality;
  locality: string;
  weight: number;
  /** Factor per year (e.g. 1.2: +20 % a year). */
  growth: number;
  seasonalAmplitude: number;
  /** Month (1–12) of the seasonal peak. */
  peakMonth: number;
  /** Month index from which the cluster is active (0 = from the start). */
  firstMonth: number;
  /** Running sums of category weights, in the order of CATEGORIES. */
  categories: Float64Array;
}

/**
 * The clusters: the 21 real places of the demo generator, plus `extra` centres drawn inside the two
 * municipality polygons (most in and around the city). Deterministic for a given random source.
 */
export function makeClusters(random: Random, area: StudyArea, months: number, extra = 60): Cluster[] {
  const mix = () => cumulativeOf(CATEGORIES.map((c) => CATEGORY_SHARES[c] * Math.exp(random.normal() * 0.8)));
  const dynamics = () => ({
    growth: Math.exp(random.normal() * 0.2),
    seasonalAmplitude: 0.4 * random.uniform(),
    peakMonth: 1 + random.integer(12),
    firstMonth: random.uniform() < 0.12 ? random.integer(months) : 0,
    categories: mix(),
  });
  const clusters: Cluster[] = PLACES.map((p) => ({
    lat: p.path[0]![0],
    lon: p.path[0]![1],
    spreadMetres: p.spreadMetres * 1.5,
    municipality: p.municipality,
    locality: p.locality,
    weight: p.weight,
    ...dynamics(),
  }));
  const city = area.extent(CITY);
  const district = area.extent(DISTRICT);
  while (clusters.length < PLACES.length + extra) {
    const inCity = random.uniform() < 0.6;
    const box = inCity ? city : district;
    const lat = box.south + random.uniform() * (box.north - box.south);
    const lon = box.west + random.uniform() * (box.east - box.west);
    const municipality = inCity ? CITY : DISTRICT;
    if (!area.contains(municipality, lat, lon)) continue;
    clusters.push({
      lat,
      lon,
      spreadMetres: 80 + 600 * random.uniform(),
      municipality,
      locality: inCity ? "Šiauliai" : "Šiaulių rajonas",
      weight: Math.exp(random.normal()) * (inCity ? 2 : 0.7),
      ...dynamics(),
    });
  }
  return clusters;
}

/** Relative pull of each cluster in month index t (calendar month `month`, 1–12). */
export function clusterWeights(clusters: readonly Cluster[], t: number, month: number): Float64Array {
  return cumulativeOf(
    clusters.map((c) =>
      t < c.firstMonth ? 0 : c.weight * c.growth ** (t / 12) * (1 + c.seasonalAmplitude * Math.cos((2 * Math.PI * (month - c.peakMonth)) / 12)),
    ),
  );
}
