import type { GeneratedCategory } from "./config.ts";

/** What kind of place an anchor is; the kind decides which offences it attracts and when. */
export type PlaceKind = "centre" | "transport_hub" | "shopping" | "housing_estate" | "industrial" | "town_centre" | "village" | "background";

type Affinity = Readonly<Record<GeneratedCategory, number>>;

/**
 * Multiplier of a place's weight for each category: shops draw theft, estates draw burglary and
 * domestic violence, the centre at night draws public order and assault. Values are relative within
 * a category (they shift incidents between places), not between categories, whose totals are fixed
 * by the yearly counts.
 */
export const CATEGORY_AFFINITY: Readonly<Record<PlaceKind, Affinity>> = {
  centre: {
    theft: 1.6,
    burglary: 0.5,
    robbery: 2.2,
    assault: 2.2,
    domestic_violence: 0.3,
    sexual_offence: 1.5,
    drug_possession: 1.8,
    public_order: 3,
    vehicle_crime: 0.8,
    fraud: 1,
    criminal_damage: 1.6,
  },
  transport_hub: {
    theft: 1.8,
    burglary: 0.2,
    robbery: 2,
    assault: 1.4,
    domestic_violence: 0.1,
    sexual_offence: 0.8,
    drug_possession: 1.6,
    public_order: 2,
    vehicle_crime: 1.2,
    fraud: 0.6,
    criminal_damage: 1,
  },
  shopping: {
    theft: 3.5,
    burglary: 0.2,
    robbery: 0.8,
    assault: 0.5,
    domestic_violence: 0.05,
    sexual_offence: 0.2,
    drug_possession: 0.5,
    public_order: 0.8,
    vehicle_crime: 1.6,
    fraud: 1.5,
    criminal_damage: 0.5,
  },
  housing_estate: {
    theft: 0.7,
    burglary: 1.8,
    robbery: 0.7,
    assault: 0.8,
    domestic_violence: 2,
    sexual_offence: 1,
    drug_possession: 0.9,
    public_order: 0.6,
    vehicle_crime: 1.1,
    fraud: 1.2,
    criminal_damage: 1,
  },
  industrial: {
    theft: 1,
    burglary: 1.5,
    robbery: 0.3,
    assault: 0.3,
    domestic_violence: 0.1,
    sexual_offence: 0.2,
    drug_possession: 0.3,
    public_order: 0.3,
    vehicle_crime: 2,
    fraud: 0.6,
    criminal_damage: 1,
  },
  town_centre: {
    theft: 1.2,
    burglary: 0.7,
    robbery: 1,
    assault: 1.5,
    domestic_violence: 0.6,
    sexual_offence: 0.8,
    drug_possession: 1.2,
    public_order: 2,
    vehicle_crime: 0.8,
    fraud: 0.8,
    criminal_damage: 1.3,
  },
  village: {
    theft: 0.6,
    burglary: 1.8,
    robbery: 0.3,
    assault: 0.8,
    domestic_violence: 1.8,
    sexual_offence: 0.8,
    drug_possession: 0.4,
    public_order: 0.6,
    vehicle_crime: 1,
    fraud: 1,
    criminal_damage: 1,
  },
  background: {
    theft: 1,
    burglary: 1,
    robbery: 1,
    assault: 1,
    domestic_violence: 1,
    sexual_offence: 1,
    drug_possession: 1,
    public_order: 1,
    vehicle_crime: 1,
    fraud: 1,
    criminal_damage: 1,
  },
};

/**
 * Hour-of-day multiplier (index 0–23, local time) for incidents at a place of this kind. Shopping
 * centres are open about 9:00–22:00, so incidents there outside those hours are rare; stations go
 * quiet between roughly 1:00 and 5:00. Other kinds follow the category's own hour profile.
 */
export function hourMask(kind: PlaceKind): readonly number[] {
  switch (kind) {
    case "shopping":
      return hours((h) => (h >= 9 && h < 22 ? 1 : 0.06));
    case "transport_hub":
      return hours((h) => (h >= 1 && h < 5 ? 0.3 : 1));
    default:
      return hours(() => 1);
  }
}

function hours(weight: (hour: number) => number): number[] {
  return Array.from({ length: 24 }, (_, hour) => weight(hour));
}
