import { DateTime } from "luxon";

/** Outcome of parsing a timestamp: an instant, or the reason it is not one. */
export type ParsedInstant = { ok: true; epochMs: number } | { ok: false; reason: string };

// ISO 8601 date-time with an explicit UTC offset ("Z" or ±hh:mm). Without an offset the instant is
// ambiguous, so the canonical schema refuses it rather than guessing a zone.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Earliest instant accepted: older records are almost certainly mis-keyed years. */
export const EARLIEST_INSTANT = Date.UTC(1990, 0, 1);

/**
 * Parses an ISO 8601 timestamp that carries its UTC offset, e.g. `2019-06-14T21:35:00+03:00`, and
 * checks it is plausible: a real calendar date (no 30 February), not before 1990 and not after `now`.
 */
export function parseInstant(text: string, now: number): ParsedInstant {
  if (!ISO_WITH_OFFSET.test(text)) {
    return { ok: false, reason: `'${text}' is not an ISO 8601 date-time with a UTC offset (e.g. 2019-06-14T21:35:00+03:00)` };
  }
  const parsed = DateTime.fromISO(text, { setZone: true });
  if (!parsed.isValid) return { ok: false, reason: `'${text}' is not a real date-time (${parsed.invalidExplanation ?? parsed.invalidReason})` };
  const epochMs = parsed.toMillis();
  if (epochMs < EARLIEST_INSTANT) return { ok: false, reason: `'${text}' is before 1990` };
  if (epochMs > now) return { ok: false, reason: `'${text}' is in the future` };
  return { ok: true, epochMs };
}
