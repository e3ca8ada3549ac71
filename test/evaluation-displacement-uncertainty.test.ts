import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { displacementUncertainty, reconcileDisplacement } from "../etl/evaluation/statistics/displacement-uncertainty.ts";
import { weightedDisplacementDifference } from "../etl/evaluation/statistics/weighted-displacement-difference.ts";
import { weightedDisplacementQuotient } from "../etl/evaluation/statistics/weighted-displacement-quotient.ts";
import { projectRoot } from "./helpers/shared.ts";

// Delta-method SEs with a finite-difference gradient in R, and a Poisson simulation of the TNE's
// spread: test/fixtures/displacement/delta-reference.R.
const reference = parse(readFileSync(`${projectRoot}/test/fixtures/displacement/delta-reference.csv`, "utf8"), { columns: true, cast: true }) as Array<
  Record<string, number>
>;

describe("intervals for the total net effect and the WDQ", () => {
  it("matches R's finite-difference delta method, and the TNE's SE is within 3 % of the simulated spread", () => {
    expect(reference).toHaveLength(3);
    for (const r of reference) {
      const u = displacementUncertainty({ before: r.rb!, after: r.ra! }, { before: r.db!, after: r.da! }, { before: r.cb!, after: r.ca! });
      const q = weightedDisplacementQuotient({ before: r.rb!, after: r.ra! }, { before: r.db!, after: r.da! }, { before: r.cb!, after: r.ca! });
      expect(Math.abs(u.tne.estimate - q.tne)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(u.tne.estimate - r.tne!)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(u.tne.se - r.tne_se!) / r.tne_se!).toBeLessThanOrEqual(1e-5);
      expect(Math.abs(u.wdq!.estimate - r.wdq!)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(u.wdq!.se - r.wdq_se!) / r.wdq_se!).toBeLessThanOrEqual(1e-5);
      expect(Math.abs(u.tne.se - r.tne_sim_sd!) / r.tne_sim_sd!).toBeLessThanOrEqual(0.03);
    }
  });

  it("leaves the WDQ's interval unbounded when the treated area's relative change is within noise of zero", () => {
    // Guerette's example: R 8 → 3 against C 100 → 95 is no clear relative fall.
    const u = displacementUncertainty({ before: 8, after: 3 }, { before: 20, after: 18 }, { before: 100, after: 95 });
    expect([u.wdq!.ci_low, u.wdq!.ci_high]).toEqual([null, null]);
    const w = displacementUncertainty({ before: 207, after: 110 }, { before: 178, after: 157 }, { before: 308, after: 318 });
    expect(w.wdq!.ci_low).toBeCloseTo(0.2581856883 - 1.959963984540054 * 0.2100133126, 6);
    expect(w.tne.ci_low! > 0).toBe(true);
  });

  it("has no interval without control counts", () => {
    const u = displacementUncertainty({ before: 1, after: 2 }, { before: 3, after: 4 }, { before: 0, after: 5 });
    expect(u.wdq).toBeNull();
    expect(u.tne.ci_low).toBeNull();
  });
});

describe("one reading of the WDD and the TNE", () => {
  it("explains a conflict by the control's size: a control 15 times larger dominates the WDD", () => {
    // Treated 100 → 80 against a control of 1300 → 1400: both measures say fewer cases than the
    // control's trend predicts. A WDD pointing the other way (as theft's +67.5 did) is explained.
    const treated = { before: 100, after: 80 };
    const control = { before: 1300, after: 1400 };
    const wdd = weightedDisplacementDifference({ treated, control });
    const u = displacementUncertainty(treated, { before: 30, after: 28 }, control);
    const reading = reconcileDisplacement({ treated, control, wdd: { estimate: wdd.total.estimate, ci_low: wdd.lower, ci_high: wdd.upper }, tne: u.tne });
    expect(wdd.total.estimate).toBe(-120);
    expect(u.tne.estimate).toBeGreaterThan(0);
    expect(reading.agree).toBe(true);
    const opposite = { estimate: 67.5, ci_low: 10, ci_high: 125 };
    const conflict = reconcileDisplacement({ treated, control, wdd: opposite, tne: u.tne });
    expect(conflict.agree).toBe(false);
    expect(conflict.text).toContain("The comparison area has 15.0 times the evaluation area's cases");
    expect(conflict.text).toContain("the TNE and its interval are the reading to keep");
    // Each reading in Lithuanian too, the ratio with a decimal comma.
    expect(reading.text_lt).toMatch(/^WDD ir bendrasis grynasis poveikis sutaria: atvejų mažiau, nei numato kontrolinės teritorijos tendencija/);
    expect(conflict.text_lt).toContain("Palyginimo teritorijoje atvejų yra 15,0 karto tiek, kiek vertinamoje.");
    expect(conflict.text_lt).toContain("remkitės TNE ir jo intervalu");
  });

  it("says when neither measure excludes no change", () => {
    const r = reconcileDisplacement({
      treated: { before: 3, after: 8 },
      control: { before: 8, after: 6 },
      wdd: { estimate: 7, ci_low: -2.8, ci_high: 16.8 },
      tne: { estimate: -5, se: 4, ci_low: -12.8, ci_high: 2.8 },
    });
    expect(r.text).toMatch(/^Neither the WDD nor the total net effect excludes no change/);
    expect(r.text_lt).toMatch(/^Nei WDD, nei bendrasis grynasis poveikis pasirinktu lygmeniu neatmeta, kad pokyčio nebuvo/);
  });
});
