import { DateTime } from "luxon";
import type { GeneratedCategory } from "./config.ts";
import { hourMask, type PlaceKind } from "./place-kinds.ts";
import type { Rng, WeightedSampler } from "./rng.ts";
import { weightedSampler } from "./rng.ts";
import { PERIOD_MODIFIERS, TEMPORAL_PROFILES } from "./temporal-profiles.ts";

/** Draws local times for incidents of a category in a year at a kind of place. */
export interface TimeSampler {
  /** A real local time in the zone, to the minute; never one skipped by a DST change. */
  sample(rng: Rng, year: number, category: GeneratedCategory, kind: PlaceKind): DateTime;
}

/**
 * Creates a sampler for local times in `zone`: a day drawn from month × weekday × period weights,
 * then an hour from the category's daily curve masked by the place's opening hours, then a uniform
 * minute. Samplers are built lazily and cached, so each (year, category) and (category, kind) table
 * is computed once.
 */
export function createTimeSampler(zone: string): TimeSampler {
  const daySamplers = new Map<string, { days: DateTime[]; sampler: WeightedSampler }>();
  const hourSamplers = new Map<string, WeightedSampler>();

  const days = (year: number, category: GeneratedCategory) => {
    const key = `${year}|${category}`;
    let entry = daySamplers.get(key);
    if (!entry) {
      const profile = TEMPORAL_PROFILES[category];
      const list: DateTime[] = [];
      const weights: number[] = [];
      for (let day = DateTime.fromObject({ year, month: 1, day: 1 }, { zone }); day.year === year; day = day.plus({ days: 1 })) {
        list.push(day);
        // Month weights are per month, so divide by its length: February is not penalised for
        // being short, and a 31-day month does not get an extra day's worth.
        weights.push((profile.month[day.month - 1]! / day.daysInMonth!) * profile.weekday[day.weekday - 1]! * periodFactor(year, day.month, category));
      }
      entry = { days: list, sampler: weightedSampler(weights) };
      daySamplers.set(key, entry);
    }
    return entry;
  };

  const hours = (category: GeneratedCategory, kind: PlaceKind) => {
    const key = `${category}|${kind}`;
    let sampler = hourSamplers.get(key);
    if (!sampler) {
      const mask = hourMask(kind);
      sampler = weightedSampler(TEMPORAL_PROFILES[category].hour.map((w, h) => w * mask[h]!));
      hourSamplers.set(key, sampler);
    }
    return sampler;
  };

  return {
    sample(rng, year, category, kind) {
      const { days: list, sampler } = days(year, category);
      for (;;) {
        const day = list[sampler.sample(rng)]!;
        const hour = hours(category, kind).sample(rng);
        const minute = rng.integer(60);
        const local = DateTime.fromObject({ year, month: day.month, day: day.day, hour, minute }, { zone });
        // Luxon moves a wall-clock time that the spring-forward gap skips (03:00–03:59 on the last
        // Sunday of March) to a later hour; such a time never happened, so draw again.
        if (local.isValid && local.hour === hour && local.minute === minute && local.day === day.day) return local;
      }
    },
  };
}

function periodFactor(year: number, month: number, category: GeneratedCategory): number {
  let factor = 1;
  for (const modifier of PERIOD_MODIFIERS) {
    if (modifier.year === year && modifier.months.includes(month)) factor *= modifier.factors[category] ?? 1;
  }
  return factor;
}

/** ISO 8601 local time with its UTC offset, to the minute with zero seconds: 2019-06-14T21:35:00+03:00. */
export function formatLocal(time: DateTime): string {
  return time.toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}
