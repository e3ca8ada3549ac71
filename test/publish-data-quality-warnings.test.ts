/**
 * data-quality.json's warning counts are counts of kept incidents that share a trait; the autumn
 * clock change's (ambiguous_local_time) pins them to one hour of one night a year, finer than the
 * month the release rules allow, so a small one is withheld like any small count.
 */
import { describe, expect, it } from "vitest";
import type { Manifest } from "../etl/lake/manifest.ts";
import { dataQuality } from "../etl/publish/data-quality.ts";
import { releaseRules } from "../etl/publish/release-rules.ts";

/** A manifest's export as data-quality.ts reads it, with the warnings given. */
function manifestWith(warnings: Record<string, number>, threshold: number): Manifest {
  const rows = 40 * threshold;
  const source = {
    file: "export.csv",
    source: "some-city",
    sha256: "0".repeat(64),
    rows_read: rows + 3,
    rows_ingested: rows,
    rows_quarantined: 3,
    quarantine_reasons: { missing_coordinates: 3 },
    warnings,
    months: ["2018-10", "2018-11"],
    time_precision: { minute: rows },
    share_without_coordinates: 0,
    coordinate_bounds: null,
  };
  return { sources: { "export-abc": source } } as unknown as Manifest;
}

describe("data-quality warnings", () => {
  it("withholds a warning count of 1 to threshold − 1, and publishes counts at or above the threshold", () => {
    for (const threshold of [3, 5, 10]) {
      const rules = releaseRules({ suppressionThreshold: threshold });
      for (const n of [1, threshold - 1]) {
        const [source] = dataQuality(manifestWith({ ambiguous_local_time: n }, threshold), [], rules, null).sources;
        expect(source?.warnings).toEqual({ ambiguous_local_time: null });
      }
      for (const n of [threshold, threshold + 7]) {
        const [source] = dataQuality(manifestWith({ ambiguous_local_time: n }, threshold), [], rules, null).sources;
        expect(source?.warnings).toEqual({ ambiguous_local_time: n });
      }
    }
  });

  it("leaves the row accounting exact: quarantine reasons and rows stay published", () => {
    const [source] = dataQuality(manifestWith({ ambiguous_local_time: 1 }, 5), [], releaseRules({ suppressionThreshold: 5 }), null).sources;
    expect(source).toMatchObject({ rows_ingested: 200, rows_quarantined: 3, quarantine_reasons: { missing_coordinates: 3 } });
  });
});
