/**
 * The scheduled tasks run at local times of the deployment's zone (infra/lib/etl-triggers.ts).
 * EventBridge Scheduler skips a time the spring clock change leaves out and runs a repeated autumn
 * time once; a sweep at 02:30 was therefore skipped once a year in North America. Every scheduled
 * time must exist exactly once on every day of the year, in every zone a police unit may deploy in.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { ETL_SCHEDULES } from "../infra/lib/etl-triggers.ts";

// Zones whose clocks change at 00:00, 01:00, 02:00 and 03:00 local, in both hemispheres.
const ZONES = [
  "America/Vancouver",
  "America/New_York",
  "America/Santiago",
  "America/Havana",
  "Europe/London",
  "Europe/Berlin",
  "Europe/Vilnius",
  "Asia/Beirut",
  "Africa/Casablanca",
  "Australia/Sydney",
  "Pacific/Auckland",
];

/** How many instants of `day` (yyyy-mm-dd) in `zone` read hour:minute on the wall clock: 0, 1 or 2. */
function instantsAt(day: string, zone: string, hour: number, minute: number): number {
  const [year, month, dayOfMonth] = day.split("-").map(Number) as [number, number, number];
  const t = DateTime.fromObject({ year, month, day: dayOfMonth, hour, minute }, { zone });
  const reads = (d: DateTime) => d.toISODate() === day && d.hour === hour && d.minute === minute;
  if (!reads(t)) return 0; // Luxon moves a time the spring change leaves out past the gap
  // A repeated autumn hour: the same wall time an hour before or after (every change here is an hour).
  return 1 + [t.minus({ hours: 1 }), t.plus({ hours: 1 })].filter(reads).length;
}

describe("scheduled local times", () => {
  for (const [task, at] of Object.entries(ETL_SCHEDULES)) {
    it(`${task} at ${at.hour}:${at.minute.padStart(2, "0")} exists exactly once on every day of 2026 and 2027 in zones that change clocks`, () => {
      const missing: string[] = [];
      for (const zone of ZONES) {
        for (let d = DateTime.fromISO("2026-01-01", { zone: "UTC" }); d.year < 2028; d = d.plus({ days: 1 })) {
          const n = instantsAt(d.toISODate()!, zone, Number(at.hour), Number(at.minute));
          if (n !== 1) missing.push(`${zone} ${d.toISODate()}: ${n}`);
        }
      }
      expect(missing).toEqual([]);
    });
  }

  it("is really checking: 02:30 is missing on a spring day in Vancouver, 01:30 twice on an autumn day in New York", () => {
    expect(instantsAt("2026-03-08", "America/Vancouver", 2, 30)).toBe(0);
    expect(instantsAt("2026-11-01", "America/New_York", 1, 30)).toBe(2);
    expect(instantsAt("2026-03-29", "Europe/Vilnius", 3, 30)).toBe(0);
    expect(instantsAt("2026-03-29", "Europe/Vilnius", 4, 30)).toBe(1);
  });
});
