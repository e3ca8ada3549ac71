/**
 * localInstant against a brute-force search with Luxon's offsets (an independent implementation), on
 * every quarter hour of the days
 * around each 2023 transition and a coarse sweep of the rest of the year, in zones with hour,
 * half-hour (Lord Howe) and 45-minute (Chatham) offsets or changes, both hemispheres, and none.
 */
import { DateTime, IANAZone } from "luxon";
import { describe, expect, it } from "vitest";
import { localInstant } from "../etl/ingest/local-time.ts";

/**
 * Every instant whose clock in `zone` shows `wallMs`, by brute force: each whole quarter-hour offset
 * from −14:00 to +14:00 tried with Luxon's own offset at the instant it gives. The first is taken;
 * a second makes it ambiguous, whatever the size of the change.
 */
function reference(wallMs: number, zone: string) {
  const tz = IANAZone.create(zone);
  const instants: number[] = [];
  for (let quarters = 14 * 4; quarters >= -14 * 4; quarters--) {
    const t = wallMs - quarters * 15 * 60_000;
    if (t + tz.offset(t) * 60_000 === wallMs) instants.push(t);
  }
  if (instants.length === 0) return { exists: false };
  return { exists: true, epochMs: instants[0], ambiguous: instants.length > 1 };
}

const ZONES = [
  "America/Toronto",
  "America/Los_Angeles",
  "America/St_Johns",
  "Europe/Vilnius",
  "Europe/London",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
  "America/Bogota",
  "Asia/Kolkata",
];
const DAY = 86_400_000;

describe("localInstant", () => {
  it.each(ZONES)("finds every instant that shows the wall clock, gaps and overlaps of any size included, in %s", (zone) => {
    const start = Date.UTC(2023, 0, 1);
    const walls: number[] = [];
    for (let day = start; day < Date.UTC(2024, 0, 1); day += DAY) {
      const offsets = new Set([0, 12, 24].map((h) => DateTime.fromMillis(day + h * 3_600_000, { zone }).offset));
      const transition = offsets.size > 1;
      const step = transition ? 15 * 60_000 : 7 * 3_600_000 + 13 * 60_000;
      for (let t = day - (transition ? DAY : 0); t < day + (transition ? 2 * DAY : DAY); t += step) walls.push(t);
    }
    let gaps = 0;
    let overlaps = 0;
    for (const wall of walls) {
      const expected = reference(wall, zone);
      expect(localInstant(wall, zone), `${zone} ${new Date(wall).toISOString()}`).toEqual(expected);
      if (!expected.exists) gaps++;
      else if (expected.ambiguous) overlaps++;
    }
    // The sweep reached the transitions where the zone has them, Lord Howe's half-hour overlap included.
    if (!["America/Bogota", "Asia/Kolkata"].includes(zone)) expect(gaps).toBeGreaterThan(0);
    if (!["America/Bogota", "Asia/Kolkata"].includes(zone)) expect(overlaps).toBeGreaterThan(0);
  });

  it("finds no wall clock in a zone Luxon does not know, as before", () => {
    expect(localInstant(Date.UTC(2023, 5, 1, 12), "Mars/Olympus_Mons")).toEqual({ exists: false });
  });
});
