/** When an ingest fails for its quarantined rows (exit 3), and why an overlapping re-export does not. */
import { describe, expect, it } from "vitest";
import { EXIT_QUARANTINED, quarantineFailure } from "../etl/ingest/ingest-verdict.ts";
import type { QualityReport } from "../etl/ingest/quality-report.ts";

const report = (read: number, ingested: number, reasons: Record<string, number>): QualityReport => ({
  source: "s",
  file: "f.csv",
  sha256: "0".repeat(64),
  rows_read: read,
  rows_ingested: ingested,
  rows_quarantined: read - ingested,
  quarantine_reasons: reasons,
  warnings: {},
  months: [],
  time_range: null,
  time_precision: {},
  coordinate_bounds: null,
  share_without_coordinates: 0,
});

describe("quarantineFailure", () => {
  it("fails a file whose rows were all or mostly quarantined for what they hold", () => {
    expect(quarantineFailure([report(10, 0, { invalid_coordinates: 10 })], 0.5)?.exitCode).toBe(EXIT_QUARANTINED);
    expect(quarantineFailure([report(10, 4, { invalid_time: 6 })], 0.5)?.message).toContain("6 of 10 rows were quarantined");
    expect(quarantineFailure([report(10, 6, { invalid_time: 4 })], 0.5)).toBeUndefined();
  });

  it("does not fail a re-export whose rows another export of the source holds already", () => {
    // A look-back export: every row, or most, counted already from the earlier export.
    expect(quarantineFailure([report(10, 0, { id_in_other_export: 10 })], 0.5)).toBeUndefined();
    expect(quarantineFailure([report(10, 2, { id_in_other_export: 8 })], 0.5)).toBeUndefined();
    // The rest of the file still counts: of its 4 own rows, 3 were bad.
    expect(quarantineFailure([report(10, 1, { id_in_other_export: 6, invalid_time: 3 })], 0.5)?.message).toContain("3 of 4 rows were quarantined");
    expect(quarantineFailure([report(10, 0, { id_in_other_export: 6, invalid_time: 4 })], 0.5)?.message).toContain("every row (10) was quarantined");
  });

  it("does not count records the description excludes as no offences towards the share, but fails a file of nothing else", () => {
    // Crimes mixed with medical calls and lost property: the description said so, it is not a bad fit.
    expect(quarantineFailure([report(10, 3, { excluded_offence: 7 })], 0.5)).toBeUndefined();
    expect(quarantineFailure([report(10, 1, { excluded_offence: 6, invalid_time: 3 })], 0.5)?.message).toContain("3 of 4 rows were quarantined");
    // Nothing loaded: as for any file whose every row was quarantined.
    const failure = quarantineFailure([report(10, 0, { excluded_offence: 10 })], 0.5);
    expect(failure?.exitCode).toBe(EXIT_QUARANTINED);
    expect(failure?.message).toContain("every row (10) was quarantined");
    expect(quarantineFailure([report(10, 0, { excluded_offence: 4, id_in_other_export: 6 })], 0.5)?.exitCode).toBe(EXIT_QUARANTINED);
  });
});

describe("the example row in a failure's likely cause", () => {
  const outside = { line: 2, reason: "lat 48.853401, lon 2.348801 is outside the source's bounds [22.9, 55.7, 23.7, 56.2]" };
  const failed = async () => {
    const { likelyCause } = await import("../etl/ingest/ingest-verdict.ts");
    const { loadSourceDescription } = await import("../etl/ingest/source-description.ts");
    const source = await loadSourceDescription("data/sources/siauliai-demo.yaml");
    const r = report(10, 0, { outside_study_area: 10 });
    const examples = { outside_study_area: outside };
    return { ...r, quarantine_examples: examples, likely_cause: likelyCause(r, new Map(Object.entries(examples)), source) };
  };

  it("quotes the row's values where the CLI reports it", async () => {
    expect(quarantineFailure([await failed()], 0.5)?.message).toContain(`e.g. line 2: ${outside.reason}`);
  });

  it("without row values (the Lambda handler's failures) names the line and the rule, and no value", async () => {
    const message = quarantineFailure([await failed()], 0.5, { rowValues: false })!.message;
    expect(message).toContain("likely cause: 10 of 10 rows are outside_study_area: the bounds or the CRS");
    expect(message).toContain("e.g. line 2 (rule outside_study_area)");
    expect(message).not.toMatch(/48\.85|2\.3488/);
  });
});
