import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rateRatioPlacebos } from "../etl/evaluation/statistics/space-placebos.ts";
import { projectRoot } from "./helpers/shared.ts";

// Cases and their reference values from base R (test/fixtures/placebos/space-placebos-reference.R).
const dir = join(projectRoot, "test", "fixtures", "placebos");
const csv = (file: string) => {
  const [head, ...lines] = readFileSync(join(dir, file), "utf8").trim().split("\n");
  const names = head!.split(",").map((n) => n.replaceAll('"', ""));
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [names[i]!, v.replaceAll('"', "")])));
};
const cases = csv("space-placebos-cases.csv");
const reference = csv("space-placebos-reference.csv");

describe("in-space placebos of a before/after rate ratio", () => {
  for (const name of [...new Set(cases.map((c) => c.case!))]) {
    it(`ranks the evaluation area among its placebos as R does (${name})`, () => {
      const rows = cases.filter((c) => c.case === name);
      const treated = rows.find((r) => r.role === "treated")!;
      const days = { before: Number(treated.days_before), after: Number(treated.days_after) };
      const test = rateRatioPlacebos(
        { before: Number(treated.before), after: Number(treated.after) },
        rows.filter((r) => r.role === "placebo").map((r) => ({ label: r.label!, before: Number(r.before), after: Number(r.after), reached: null })),
        days,
      );
      const ref = reference.filter((r) => r.case === name);
      const treatedRef = ref.find((r) => r.role === "treated")!;
      expect(test.treated_ratio).toBeCloseTo(Number(treatedRef.rate_ratio), 12);
      expect(test.rank).toBe(Number(treatedRef.rank));
      expect(test.p_value).toBeCloseTo(Number(treatedRef.p_value), 12);
      expect(test.share_as_large).toBeCloseTo(Number(treatedRef.share_as_large), 12);
      expect(test.compared).toBe(Number(treatedRef.compared));
      for (const p of test.placebos) {
        const r = ref.find((x) => x.label === p.label)!;
        if (r.used === "TRUE") expect(p.rate_ratio).toBeCloseTo(Number(r.rate_ratio), 12);
        else expect([p.rate_ratio, p.refused]).toEqual([null, "no case in either period, so it shows no change to compare"]);
      }
    });
  }

  it("gives the hand-checked Kuršėnai figures: 3 → 8 is (8.5 / 3.5) = 17/7, third of four, p = 3/4", () => {
    const test = rateRatioPlacebos(
      { before: 3, after: 8 },
      [
        { label: "bigger rise", before: 0, after: 1, reached: true }, // 1.5 / 0.5 = 3
        { label: "bigger fall", before: 2, after: 0, reached: true }, // 0.5 / 2.5 = 0.2, |log| 1.61 > |log 17/7| 0.89
        { label: "no change", before: 4, after: 4, reached: false },
      ],
      { before: 365, after: 365 },
    );
    expect(test.treated_ratio).toBeCloseTo(17 / 7, 14);
    expect([test.rank, test.p_value, test.share_as_large]).toEqual([3, 3 / 4, 2 / 3]);
  });

  it("has no rank without a placebo to compare, and refuses impossible input with what was wrong", () => {
    expect(rateRatioPlacebos({ before: 1, after: 2 }, [{ label: "empty", before: 0, after: 0, reached: null }], { before: 10, after: 10 })).toMatchObject({
      compared: 0,
      rank: null,
      p_value: null,
    });
    expect(() => rateRatioPlacebos({ before: 1, after: 2 }, [], { before: 0, after: 10 })).toThrow(/before days must be a positive number of days, got 0/);
    expect(() => rateRatioPlacebos({ before: 1, after: 2 }, [{ label: "X", before: -1, after: 2, reached: null }], { before: 1, after: 1 })).toThrow(
      /counts of X must be non-negative whole numbers/,
    );
  });
});
