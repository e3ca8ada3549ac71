/**
 * The shortcuts that make the pipeline fast give exactly what the general code gives: ISO times
 * without Luxon, calendar months without Intl for most instants, and Gi* computed once per distinct
 * (neighbourhood sum, number of neighbours) instead of once per cell.
 */
import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { confidenceBins, confidenceBinsFdr, twoSidedP } from "../etl/analytics/confidence-bins.ts";
import { getisOrdZ } from "../etl/analytics/getis-ord.ts";
import { hotSpotsOf } from "../etl/analytics/hot-spots.ts";
import { kRingWeights } from "../etl/analytics/k-ring-weights.ts";
import { selectMunicipalities, studyAreaCells } from "../etl/analytics/study-area.ts";
import { readMunicipalities } from "../etl/geo/municipalities.ts";
import { calendarMonth } from "../etl/ingest/calendar-month.ts";
import { isoWithOffsetMillis } from "../etl/ingest/iso-time.ts";
import { SHARED_BOUNDARIES } from "./helpers/shared.ts";

const SEED = { seed: 20260101 };
const pad = (n: number, width = 2) => String(n).padStart(width, "0");

describe("isoWithOffsetMillis", () => {
  it("accepts only what Luxon accepts, and gives Luxon's instant", () => {
    const offset = fc.oneof(
      fc.constant("Z"),
      fc
        .tuple(fc.constantFrom("+", "-"), fc.nat(15), fc.constantFrom(0, 30, 45, 59, 60), fc.boolean())
        .map(([s, h, m, colon]) => `${s}${pad(h)}${colon ? ":" : ""}${pad(m)}`),
    );
    const fraction = fc.option(fc.stringMatching(/^[0-9]{1,10}$/), { nil: undefined });
    fc.assert(
      fc.property(
        fc.integer({ min: 900, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 61 }),
        fc.option(fc.integer({ min: 0, max: 61 }), { nil: undefined }),
        fraction,
        offset,
        (y, mo, d, h, mi, s, f, off) => {
          const text = `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}${s === undefined ? "" : `:${pad(s)}${f === undefined ? "" : `.${f}`}`}${off}`;
          const fast = isoWithOffsetMillis(text);
          if (fast === undefined) return;
          const luxon = DateTime.fromISO(text, { setZone: true });
          expect(luxon.isValid).toBe(true);
          expect(fast).toBe(luxon.toMillis());
        },
      ),
      { ...SEED, numRuns: 20_000 },
    );
  });
});

describe("calendarMonth", () => {
  const intl = (ms: number, zone: string) =>
    new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(ms).slice(0, 7);
  it("agrees with Intl in zones east and west, with and without DST, near every month's end", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("Europe/Vilnius", "Pacific/Kiritimati", "Etc/GMT+12", "America/Sao_Paulo", "Asia/Kathmandu", "Australia/Lord_Howe"),
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2030, 0, 1) }),
        (zone, ms) => {
          expect(calendarMonth(ms, zone)).toBe(intl(ms, zone));
          const monthEnd = Date.UTC(new Date(ms).getUTCFullYear(), new Date(ms).getUTCMonth() + 1, 1) - (ms % 86_400_000);
          expect(calendarMonth(monthEnd, zone)).toBe(intl(monthEnd, zone));
        },
      ),
      { ...SEED, numRuns: 5_000 },
    );
  });
});

describe("hotSpotsOf", () => {
  it("equals getisOrdZ, twoSidedP, confidenceBins and confidenceBinsFdr cell by cell", async () => {
    const area = selectMunicipalities(await readMunicipalities(SHARED_BOUNDARIES), ["Šiaulių m. sav."]);
    const cells = studyAreaCells(area, 8);
    for (const k of [1, 2]) {
      const weights = kRingWeights(cells, k);
      fc.assert(
        fc.property(
          fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.nat(3), fc.nat(200)), { minLength: cells.length, maxLength: cells.length }),
          (values) => {
            const counts = Float64Array.from(values);
            const fast = hotSpotsOf(counts, weights, { method: "normal" });
            const z = getisOrdZ(counts, weights);
            expect(Array.from(fast.z)).toEqual(Array.from(z));
            expect(Array.from(fast.p)).toEqual(Array.from(z, twoSidedP));
            expect(Array.from(fast.bin)).toEqual(Array.from(confidenceBins(z)));
            expect(Array.from(fast.binFdr)).toEqual(Array.from(confidenceBinsFdr(z)));
          },
        ),
        { ...SEED, numRuns: 200 },
      );
    }
  });
});
