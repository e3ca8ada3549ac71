import type { PlaceKind } from "./place-kinds.ts";

/** The two municipalities of the study area, spelled exactly as the boundary file's `name` property. */
export const CITY = "Šiaulių m. sav.";
export const DISTRICT = "Šiaulių r. sav.";
export type Municipality = typeof CITY | typeof DISTRICT;

/** A latitude/longitude pair in WGS84 degrees. */
export type LatLon = readonly [lat: number, lon: number];

/** A latitude/longitude box; points drawn for a place with bounds are redrawn until inside it. */
export interface Bounds {
  readonly south: number;
  readonly north: number;
  readonly west: number;
  readonly east: number;
}

/**
 * A real place incidents cluster around. `path` is one point, or a polyline for a street whose
 * whole length attracts incidents; points are drawn along it and then spread with a Gaussian of
 * `spreadMetres`. `weight` is the place's relative pull before its kind's category affinity.
 */
export interface Place {
  readonly id: string;
  readonly name: string;
  readonly kind: PlaceKind;
  readonly municipality: Municipality;
  readonly locality: string;
  readonly path: readonly LatLon[];
  readonly spreadMetres: number;
  readonly weight: number;
  readonly bounds?: Bounds;
}

// Kuršėnai's built-up area, generously: every Kuršėnai point must stay in town, never in the fields.
const KURSENAI_TOWN: Bounds = { south: 55.988, north: 56.015, west: 22.905, east: 22.972 };

/**
 * The places of Šiauliai city and district the demo incidents cluster around. Coordinates are
 * approximate (to within about 100–300 m): shopping centres and the bus station follow public
 * parcel-terminal coordinates, the railway station its published coordinates, housing estates and
 * villages their built-up centres. Each anchor was checked to lie inside its municipality polygon.
 */
export const PLACES: readonly Place[] = [
  // Šiauliai city: the centre and its transport hubs.
  {
    id: "vilniaus-boulevard",
    name: "Vilniaus g. pedestrian boulevard and Prisikėlimo a.",
    kind: "centre",
    municipality: CITY,
    locality: "Šiauliai",
    path: [
      [55.9358, 23.3068],
      [55.9343, 23.315],
      [55.9325, 23.3245],
    ],
    spreadMetres: 60,
    weight: 9,
  },
  {
    id: "railway-station",
    name: "Šiauliai railway station",
    kind: "transport_hub",
    municipality: CITY,
    locality: "Šiauliai",
    path: [[55.922554, 23.315681]],
    spreadMetres: 90,
    weight: 3,
  },
  {
    id: "bus-station",
    name: "Šiauliai bus station (Tilžės g.)",
    kind: "transport_hub",
    municipality: CITY,
    locality: "Šiauliai",
    path: [[55.9272, 23.308]],
    spreadMetres: 70,
    weight: 3,
  },
  // Shopping centres.
  {
    id: "saules-miestas",
    name: "Saulės miestas shopping centre (Tilžės g. 109)",
    kind: "shopping",
    municipality: CITY,
    locality: "Šiauliai",
    path: [[55.9279, 23.3058]],
    spreadMetres: 80,
    weight: 4,
  },
  {
    id: "akropolis",
    name: "Akropolis Šiauliai (Aido g. 8)",
    kind: "shopping",
    municipality: CITY,
    locality: "Šiauliai",
    path: [[55.9236, 23.3306]],
    spreadMetres: 90,
    weight: 4.5,
  },
  {
    id: "arena",
    name: "Arena shopping centre (Gegužių g. 30)",
    kind: "shopping",
    municipality: CITY,
    locality: "Šiauliai",
    path: [[55.906536, 23.258636]],
    spreadMetres: 80,
    weight: 1.5,
  },
  {
    id: "pramones",
    name: "Pramonės g. trade and industrial zone",
    kind: "industrial",
    municipality: CITY,
    locality: "Šiauliai",
    path: [[55.9173, 23.3014]],
    spreadMetres: 300,
    weight: 2,
  },
  // Housing estates: large spreads, because incidents happen across the blocks.
  {
    id: "dainai",
    name: "Dainai housing estate",
    kind: "housing_estate",
    municipality: CITY,
    locality: "Šiauliai",
    path: [[55.919, 23.276]],
    spreadMetres: 420,
    weight: 9,
  },
  {
    id: "lieporiai",
    name: "Lieporiai housing estate",
    kind: "housing_estate",
    municipality: CITY,
    locality: "Šiauliai",
    path: [[55.907, 23.279]],
    spreadMetres: 400,
    weight: 8,
  },
  {
    id: "gytariai",
    name: "Gytariai housing estate",
    kind: "housing_estate",
    municipality: CITY,
    locality: "Šiauliai",
    path: [[55.9135, 23.26]],
    spreadMetres: 350,
    weight: 6,
  },
  {
    id: "medelynas",
    name: "Medelynas housing estate",
    kind: "housing_estate",
    municipality: CITY,
    locality: "Šiauliai",
    path: [[55.9515, 23.3]],
    spreadMetres: 450,
    weight: 5,
  },
  {
    id: "rekyva",
    name: "Rėkyva",
    kind: "housing_estate",
    municipality: CITY,
    locality: "Šiauliai",
    path: [[55.8745, 23.2895]],
    spreadMetres: 350,
    weight: 2.5,
  },
  // Kuršėnai, the district's town (around 56.00 N, 22.94 E).
  {
    id: "kursenai-centre",
    name: "Kuršėnai centre",
    kind: "town_centre",
    municipality: DISTRICT,
    locality: "Kuršėnai",
    path: [[55.9985, 22.9395]],
    spreadMetres: 250,
    weight: 3,
    bounds: KURSENAI_TOWN,
  },
  {
    id: "kursenai-station",
    name: "Kuršėnai railway station",
    kind: "transport_hub",
    municipality: DISTRICT,
    locality: "Kuršėnai",
    path: [[56.0042, 22.93]],
    spreadMetres: 120,
    weight: 1,
    bounds: KURSENAI_TOWN,
  },
  {
    id: "kursenai-residential",
    name: "Kuršėnai apartment blocks",
    kind: "housing_estate",
    municipality: DISTRICT,
    locality: "Kuršėnai",
    path: [[56.001, 22.945]],
    spreadMetres: 300,
    weight: 2.5,
    bounds: KURSENAI_TOWN,
  },
  // District villages and small towns.
  {
    id: "ginkunai",
    name: "Ginkūnai",
    kind: "village",
    municipality: DISTRICT,
    locality: "Ginkūnai",
    path: [[55.9722, 23.3778]],
    spreadMetres: 350,
    weight: 1.2,
  },
  { id: "kairiai", name: "Kairiai", kind: "village", municipality: DISTRICT, locality: "Kairiai", path: [[55.8815, 23.231]], spreadMetres: 350, weight: 1.2 },
  {
    id: "meskuiciai",
    name: "Meškuičiai",
    kind: "village",
    municipality: DISTRICT,
    locality: "Meškuičiai",
    path: [[56.072, 23.479]],
    spreadMetres: 300,
    weight: 0.8,
  },
  { id: "kuziai", name: "Kužiai", kind: "village", municipality: DISTRICT, locality: "Kužiai", path: [[55.994, 23.137]], spreadMetres: 250, weight: 0.7 },
  {
    id: "gruzdziai",
    name: "Gruzdžiai",
    kind: "village",
    municipality: DISTRICT,
    locality: "Gruzdžiai",
    path: [[56.1, 23.254]],
    spreadMetres: 250,
    weight: 0.7,
  },
  {
    id: "kurtuvenai",
    name: "Kurtuvėnai",
    kind: "village",
    municipality: DISTRICT,
    locality: "Kurtuvėnai",
    path: [[55.822, 23.054]],
    spreadMetres: 200,
    weight: 0.5,
  },
];

/** Locality of the uniform city background (every background point lies in Šiauliai city). */
export const BACKGROUND_LOCALITY = "Šiauliai";
