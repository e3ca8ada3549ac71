/**
 * localInstant against the reading it replaced, Luxon's setZone with keepLocalTime compared back
 * (an independent implementation: Luxon's own offset search), on every quarter hour of the days
 * around each 2023 transition and a coarse sweep of the rest of the year, in zones with hour,
 * half-hour (Lord Howe) and 45-minute (Chatham) offsets or changes, both hemispheres, and none.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { localInstant } from "../etl/ingest/local-time.ts";

function reference(wallMs: number, zone: string) {
  const asked = DateTime.fromMillis(wallMs, { zone: "utc" });
  const wall = (d: DateTime) => d.toFormat("yyyy-MM-dd HH:mm:ss.SSS");
  const dt = asked.setZone(zone, { keepLocalTime: true });
  if (wall(dt) !== wall(asked)) return { exists: false };
  const earlier = dt.minus({ hours: 1 });
  if (wall(earlier) === wall(asked)) return { exists: true, epochMs: earlier.toMillis(), ambiguous: true };
  return { exists: true, epochMs: dt.toMillis(), ambiguous: wall(dt.plus({ hours: 1 })) === wall(asked) };
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
  it.each(ZONES)("gives what Luxon's setZone gave, gaps and overlaps included, in %s", (zone) => {
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
    // The sweep reached the transitions where the zone has them. Lord Howe moves its clocks by half
    // an hour: its overlap is no repeat an hour apart, and neither reading flags it.
    if (!["America/Bogota", "Asia/Kolkata"].includes(zone)) expect(gaps).toBeGreaterThan(0);
    if (!["America/Bogota", "Asia/Kolkata", "Australia/Lord_Howe"].includes(zone)) expect(overlaps).toBeGreaterThan(0);
  });

  it("finds no wall clock in a zone Luxon does not know, as before", () => {
    expect(localInstant(Date.UTC(2023, 5, 1, 12), "Mars/Olympus_Mons")).toEqual({ exists: false });
  });
});
