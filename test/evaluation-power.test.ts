import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { detectableChange } from "../etl/evaluation/statistics/detectable-change.ts";
import { outcomePower } from "../etl/evaluation/statistics/outcome-power.ts";
import { minimumDetectableEffect, monthsNeeded, rateTestPower, rejectionRegions, wddDetectable } from "../etl/evaluation/statistics/power.ts";
import { projectRoot } from "./helpers/shared.ts";

// Reference values computed independently in base R (rejection regions from poisson.test itself,
// every split's p-value and interval, exact sums, uniroot): test/fixtures/power/power-reference.R
// wrote power-reference.csv; its port power-reference.py (numpy/scipy) the rows of unequal periods.
const reference = parse(readFileSync(`${projectRoot}/test/fixtures/power/power-reference.csv`, "utf8"), {
  columns: true,
  cast: (v) => (v === "NA" ? null : v === "" ? null : Number.isNaN(Number(v)) ? v : Number(v)),
}) as Array<{
  kind: string;
  before: number;
  eb: number | null;
  ea: number | null;
  ratio: number | null;
  value: number | null;
}>;
const rows = (kind: string) => reference.filter((r) => r.kind === kind);

describe("power of the exact rate-ratio test", () => {
  it("has exactly the rejection regions of the exact test (detectable-change.ts) for every total up to 150", () => {
    for (const [eb, ea] of [
      [365, 365],
      [276, 92],
      [92, 276],
    ] as const) {
      const region = rejectionRegions(eb, ea, 0.05);
      for (let n = 0; n <= 150; n++) {
        const d = detectableChange(n, eb, ea, 0.05);
        expect(region(n), `n = ${n}, exposures ${eb}/${ea}`).toEqual({ rise: d.increase?.after ?? n + 1, fall: d.decrease?.after ?? -1 });
      }
    }
  });

  it("equals R's exact sum over poisson.test's rejection regions", () => {
    expect(rows("power").length).toBe(20);
    for (const r of rows("power"))
      expect(Math.abs(rateTestPower(r.before, r.ratio!, r.eb!, r.ea!) - r.value!), `${r.before} ×${r.ratio} ${r.eb}/${r.ea}`).toBeLessThanOrEqual(1e-9);
  });

  it("finds R's minimum detectable rise and fall (uniroot), or none where R finds none", () => {
    for (const r of rows("mde_increase")) {
      const mde = minimumDetectableEffect(r.before, r.eb!, r.ea!);
      expect(Math.abs(mde.increase_ratio! - r.value!), `rise, before ${r.before}`).toBeLessThanOrEqual(1e-5 * r.value!);
    }
    for (const r of rows("mde_decrease")) {
      const mde = minimumDetectableEffect(r.before, r.eb!, r.ea!);
      if (r.value === null) expect(mde.decrease_ratio, `fall, before ${r.before}`).toBeNull();
      else expect(Math.abs(mde.decrease_ratio! - r.value), `fall, before ${r.before}`).toBeLessThanOrEqual(1e-5);
    }
    // Kuršėnai: with 3 cases in 2018 only a five-fold rise had an 80 % chance of showing; no fall could.
    const k = minimumDetectableEffect(3, 365, 365);
    expect(k.decrease_ratio).toBeNull();
    expect(k.increase_ratio).toBeGreaterThan(5);
  });

  it("finds the months R's linear search finds", () => {
    for (const r of rows("months")) expect(monthsNeeded(r.before, r.ratio!), `${r.before}/month ×${r.ratio}`).toBe(r.value);
    expect(monthsNeeded(0.01, 0.9, 0.05, 0.8, 24)).toBeNull();
  });

  it("stays within 0.01 of the exact sum where it switches to the normal approximation", () => {
    const exact = rateTestPower(1990, 1.06);
    const normal = rateTestPower(2010, 1.06);
    expect(Math.abs(exact - normal)).toBeLessThanOrEqual(0.02);
  });

  it("refuses a negative mean or an impossible power with the reason", () => {
    expect(() => rateTestPower(-1, 2)).toThrow(/beforeMean must be a non-negative finite number, got -1/);
    expect(() => minimumDetectableEffect(3, 1, 1, 0.05, 80)).toThrow(/power must lie strictly between 0 and 1, got 80/);
  });
});

describe("minimum detectable WDD", () => {
  it("solves the two-sided power equation as R's uniroot does", () => {
    expect(rows("wdd_mde").length).toBe(4);
    for (const r of rows("wdd_mde")) expect(Math.abs(wddDetectable(r.before).cases - r.value!)).toBeLessThanOrEqual(1e-8 * r.value!);
  });
});

describe("an outcome row's power", () => {
  it("states the Kuršėnai figures: no fall detectable, the rise R finds, the months the observed change would need", () => {
    const p = outcomePower({ before: 3, days: { before: 365, after: 365 }, rate_ratio: 8 / 3, desired_direction: "increase", control: null }, 0.05);
    const r = rows("mde_increase").find((x) => x.before === 3)!;
    expect(Math.abs(p.rise_ratio! - r.value!)).toBeLessThanOrEqual(1e-5 * r.value!);
    expect(p.fall_ratio).toBeNull();
    expect(p.wdd_cases).toBeNull();
    expect(p.months_needed.map((m) => m.basis)).toEqual(["observed", "moderate"]);
    expect(p.months_needed[0]!.months).toBe(monthsNeeded(3 / 12, 8 / 3));
  });
});
