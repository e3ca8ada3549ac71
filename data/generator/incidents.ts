import type { DateTime } from "luxon";
import type { CaseType } from "../../etl/ingest/incident-schema.ts";
import type { StudyArea } from "./boundaries.ts";
import { GENERATOR_CONFIG, YEARS, type GeneratedCategory } from "./config.ts";
import type { CsvRecord } from "./csv.ts";
import { pointNearPlace, uniformPoint, type Point } from "./locations.ts";
import { codeForCaseType, OFFENCE_CODES, type OffenceCode } from "./offence-codes.ts";
import { CATEGORY_AFFINITY } from "./place-kinds.ts";
import { BACKGROUND_LOCALITY, CITY, PLACES, type Municipality, type Place } from "./places.ts";
import { weightedSampler, type Rng } from "./rng.ts";
import { createTimeSampler, formatLocal } from "./timestamps.ts";

/** A generated incident before it is numbered and written. */
export interface GeneratedIncident {
  readonly occurredAt: DateTime;
  readonly category: GeneratedCategory;
  readonly code: OffenceCode;
  readonly point: Point;
  readonly municipality: Municipality;
  readonly locality: string;
}

type Config = typeof GENERATOR_CONFIG;
const CATEGORIES = Object.keys(GENERATOR_CONFIG.yearlyCounts) as GeneratedCategory[];
const KURSENAI = "Kuršėnai";

/**
 * Generates every incident of the configured years: for each year and category exactly the
 * configured count, each at a place drawn by weight × category affinity (or, for a small share,
 * anywhere in the city), with a local time from the category's temporal profile. Kuršėnai
 * drug-possession cases are drawn only from the config's fixed figures, so the seed's real numbers
 * hold exactly. The draw order is fixed, so the same seed always yields the same incidents.
 */
export function generateIncidents(config: Config, area: StudyArea, rng: Rng): GeneratedIncident[] {
  const times = createTimeSampler(config.timeZone);
  const incidents: GeneratedIncident[] = [];
  const draw = (year: number, category: GeneratedCategory, place: Place | undefined, code: OffenceCode) => {
    const point = place ? pointNearPlace(rng, place, area, config.maxPointAttempts) : uniformPoint(rng, CITY, area, config.maxPointAttempts);
    incidents.push({
      occurredAt: times.sample(rng, year, category, place?.kind ?? "background"),
      category,
      code,
      point,
      municipality: place?.municipality ?? CITY,
      locality: place?.locality ?? BACKGROUND_LOCALITY,
    });
  };

  YEARS.forEach((year, yearIndex) => {
    for (const category of CATEGORIES) {
      let remaining = config.yearlyCounts[category][yearIndex]!;
      if (category === "drug_possession") {
        const fixed = config.kursenaiDrugPossession[year];
        const kursenai = placeSampler(category, (p) => p.locality === KURSENAI);
        for (const caseType of ["pre_trial_investigation", "administrative_offence"] as const satisfies readonly CaseType[]) {
          for (let i = 0; i < fixed[caseType]; i++) draw(year, category, kursenai.pick(rng), codeForCaseType(category, caseType));
          remaining -= fixed[caseType];
        }
      }
      // Outside the fixed figures, no drug case may be placed in Kuršėnai, or the real counts would drift.
      const places = placeSampler(category, (p) => category !== "drug_possession" || p.locality !== KURSENAI);
      const codes = OFFENCE_CODES[category];
      const codeSampler = weightedSampler(codes.map((c) => c.share));
      for (let i = 0; i < remaining; i++) {
        const place = rng.uniform() < config.backgroundShare ? undefined : places.pick(rng);
        draw(year, category, place, codes[codeSampler.sample(rng)]!);
      }
    }
  });
  return incidents;
}

function placeSampler(category: GeneratedCategory, eligible: (place: Place) => boolean) {
  const candidates = PLACES.filter(eligible);
  const sampler = weightedSampler(candidates.map((p) => p.weight * CATEGORY_AFFINITY[p.kind][category]));
  return { pick: (rng: Rng) => candidates[sampler.sample(rng)]! };
}

/**
 * Orders incidents by instant and numbers them per local calendar year (`SIA-2019-000001`, …).
 * The sort is stable, so incidents in the same minute keep their generation order and the ids are
 * reproducible.
 */
export function toRecords(incidents: readonly GeneratedIncident[], config: Config): CsvRecord[] {
  const ordered = [...incidents].sort((a, b) => a.occurredAt.toMillis() - b.occurredAt.toMillis());
  const sequence = new Map<number, number>();
  return ordered.map((incident) => {
    const year = incident.occurredAt.year;
    const next = (sequence.get(year) ?? 0) + 1;
    sequence.set(year, next);
    return {
      id: `${config.idPrefix}-${year}-${String(next).padStart(6, "0")}`,
      occurred_at: formatLocal(incident.occurredAt),
      offence_code: incident.code.code,
      offence_category: incident.category,
      case_type: incident.code.caseType,
      lat: incident.point.lat.toFixed(6),
      lon: incident.point.lon.toFixed(6),
      municipality: incident.municipality,
      locality: incident.locality,
      source: config.source,
    };
  });
}
