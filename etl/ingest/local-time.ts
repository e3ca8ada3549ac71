import { IANAZone } from "luxon";

/** The instant of a local wall-clock time in a zone, or that the wall clock does not exist there. */
export type LocalInstant = { exists: true; epochMs: number; ambiguous: boolean } | { exists: false };

// Offsets are cached per zone and quarter hour of UTC: every transition since 1990 falls on a UTC
// quarter hour (offsets are whole quarter hours, clocks change on whole minutes of local quarter
// hours), so one bucket has one offset. Luxon's setZone costs tens of microseconds per row.
const BUCKET_MS = 15 * 60_000;
const DAY_MS = 86_400_000;
const offsets = new Map<string, { zone: IANAZone; byBucket: Map<number, number> } | null>();

/** The offsets of a zone Luxon knows, else null. */
function zoneOffsets(zone: string) {
  let cached = offsets.get(zone);
  if (cached === undefined) {
    cached = IANAZone.isValidZone(zone) ? { zone: IANAZone.create(zone), byBucket: new Map() } : null;
    offsets.set(zone, cached);
  }
  return cached;
}

/** The zone's UTC offset in minutes at instant `ts`, as Luxon computes it. */
function offsetAt(cached: { zone: IANAZone; byBucket: Map<number, number> }, ts: number): number {
  const bucket = Math.floor(ts / BUCKET_MS);
  let offset = cached.byBucket.get(bucket);
  if (offset === undefined) {
    offset = cached.zone.offset(bucket * BUCKET_MS);
    cached.byBucket.set(bucket, offset);
  }
  return offset;
}

/**
 * The instant at which `zone`'s clocks show `wallMs` (the wall-clock fields as a UTC timestamp):
 * none in the spring gap; in the autumn overlap the first occurrence (summer time), flagged
 * ambiguous, as the policy in data/sources/README.md says. The candidates are the wall time less the
 * offset a day before and a day after it (at most one transition falls in two days), so a change of
 * any size is found: an hour, or Lord Howe's half hour. In a zone Luxon does not know, no wall clock
 * exists (as Luxon's setZone gave before; descriptions refuse such zones).
 */
export function localInstant(wallMs: number, zone: string): LocalInstant {
  const cached = zoneOffsets(zone);
  if (cached === null) return { exists: false };
  const shows = (t: number) => t + offsetAt(cached, t) * 60_000 === wallMs;
  const before = wallMs - offsetAt(cached, wallMs - DAY_MS) * 60_000;
  const after = wallMs - offsetAt(cached, wallMs + DAY_MS) * 60_000;
  const [first, second] = before <= after ? [before, after] : [after, before];
  if (shows(first)) return { exists: true, epochMs: first, ambiguous: second !== first && shows(second) };
  if (shows(second)) return { exists: true, epochMs: second, ambiguous: false };
  return { exists: false };
}
