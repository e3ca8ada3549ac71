import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { MonthCount } from "../etl/evaluation/statistics/interrupted-time-series.ts";
import { syntheticControlText } from "../etl/evaluation/report/comparison-text.ts";
import { syntheticControl, syntheticControlPlacebos } from "../etl/evaluation/statistics/synthetic-control.ts";
import { projectRoot } from "./helpers/shared.ts";

// Series and reference values from R quadprog::solve.QP (test/fixtures/synthetic-control/synthetic-control-reference.R).
const dir = join(projectRoot, "test", "fixtures", "synthetic-control");
const csv = (file: string) => {
  const [head, ...lines] = readFileSync(join(dir, file), "utf8").trim().split("\n");
  const names = head!.split(",").map((n) => n.replaceAll('"', ""));
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [names[i]!, v.replaceAll('"', "")])));
};
const series = csv("synthetic-control-series.csv");
const reference = csv("synthetic-control-reference.csv");
const seriesOf = (name: string, label: string): MonthCount[] =>
  series.filter((r) => r.case === name && r.label === label).map((r) => ({ month: r.month!, count: Number(r.count) }));

describe("synthetic control weights", () => {
  for (const name of ["exact", "poisson"]) {
    it(`equal R quadprog's weights, RMSPE and post-period totals (${name})`, () => {
      const labels = [...new Set(series.filter((r) => r.case === name && r.label !== "treated").map((r) => r.label!))];
      const sc = syntheticControl(
        seriesOf(name, "treated"),
        labels.map((label) => ({ label, series: seriesOf(name, label) })),
        "2018-07",
      );
      expect(sc.refused).toBe(false);
      if (sc.refused) return;
      const ref = (what: string) => Number(reference.find((r) => r.case === name && r.what === what)!.value);
      for (const label of labels) expect(sc.weights.find((w) => w.label === label)?.weight ?? 0, label).toBeCloseTo(ref(`weight:${label}`), 6);
      expect(sc.pre_rmspe).toBeCloseTo(ref("pre_rmspe"), 6);
      expect(sc.post_rmspe).toBeCloseTo(ref("post_rmspe"), 6);
      expect(sc.treated_post).toBeCloseTo(ref("treated_post"), 9);
      expect(sc.synthetic_post).toBeCloseTo(ref("synthetic_post"), 5);
      expect([sc.pre_months, sc.post_months, sc.donors]).toEqual([30, 6, labels.length]);
    });
  }

  it("ranks the post/pre RMSPE ratio among the donors' own synthetic controls as R does", () => {
    const labels = ["D1", "D2", "D3", "D4"];
    const test = syntheticControlPlacebos(
      seriesOf("poisson", "treated"),
      labels.map((label) => ({ label, series: seriesOf("poisson", label) })),
      "2018-07",
    );
    const ref = (what: string) => Number(reference.find((r) => r.case === "poisson" && r.what === what)!.value);
    expect(test.rmspe_ratio).toBeCloseTo(ref("rmspe_ratio"), 6);
    for (const p of test.placebos) expect(p.rmspe_ratio, p.label).toBeCloseTo(ref(`placebo_ratio:${p.label}`), 6);
    expect([test.compared, test.rank, test.p_value]).toEqual([4, ref("placebo_rank"), ref("placebo_p")]);
  });

  it("recovers the hand-made mixture 0.3 A + 0.7 B exactly, and its +3 a month after the intervention", () => {
    const sc = syntheticControl(
      seriesOf("exact", "treated"),
      ["A", "B", "C"].map((label) => ({ label, series: seriesOf("exact", label) })),
      "2018-07",
    );
    if (sc.refused) throw new Error(sc.reason);
    expect(sc.weights.map((w) => [w.label, Number(w.weight.toFixed(6))])).toEqual([
      ["B", 0.7],
      ["A", 0.3],
    ]);
    expect(sc.treated_post - sc.synthetic_post).toBeCloseTo(18, 5);
  });

  it("refuses, with the reason, too few donors or months and an area with no case before", () => {
    const months = (n: number, count = 1) =>
      Array.from({ length: n }, (_, i) => ({ month: `20${String(10 + Math.floor(i / 12))}-${String((i % 12) + 1).padStart(2, "0")}`, count }));
    const donor = (label: string, n: number) => ({ label, series: months(n, 2) });
    expect(syntheticControl(months(24), [donor("A", 24)], "2011-01")).toMatchObject({
      refused: true,
      reason: "1 donor area: a synthetic control weighs at least 2",
      reason_lt: "Donorių teritorijų: 1. Sintetinei kontrolei reikia bent 2.",
    });
    expect(syntheticControl(months(24), [donor("A", 24), donor("B", 24)], "2010-07")).toMatchObject({
      refused: true,
      reason: expect.stringMatching(/only 6 months precede 2010-07/),
      reason_lt: expect.stringMatching(/^Iki 2010 m\. liepos yra tik 6 mėn\. duomenų/),
    });
    expect(syntheticControl(months(24, 0), [donor("A", 24), donor("B", 24)], "2011-01")).toMatchObject({
      refused: true,
      reason: expect.stringMatching(/no case before/),
      reason_lt: "Vertinamoje teritorijoje iki intervencijos nebuvo nė vieno atvejo, todėl nėra ką atkurti.",
    });
    expect(() => syntheticControl(months(24), [donor("A", 23), donor("B", 24)], "2011-01")).toThrow(/donor A must have the evaluation area's months/);
  });

  it("refuses a series sparser than the interrupted time series' floor, whatever the weights would fit", () => {
    // One case every fourth month (Kuršėnai's drug possession runs at about this rate): 9 cases in 36 months before.
    const months = Array.from({ length: 48 }, (_, i) => ({
      month: `20${String(10 + Math.floor(i / 12))}-${String((i % 12) + 1).padStart(2, "0")}`,
      count: i % 4 === 0 ? 1 : 0,
    }));
    const donor = (label: string, shift: number) => ({ label, series: months.map((m, i) => ({ month: m.month, count: (i + shift) % 3 === 0 ? 2 : 1 })) });
    const sc = syntheticControl(months, [donor("A", 0), donor("B", 1), donor("C", 2)], "2013-01");
    expect(sc).toMatchObject({
      refused: true,
      reason: expect.stringMatching(/^too sparse: the evaluation area has 9 cases in the 36 months before the intervention, fewer than the 20 /),
      reason_lt: expect.stringMatching(/^Per mažai atvejų: vertinamoje teritorijoje per 36 mėn\. iki intervencijos jų buvo 9, o .* reikia bent 20\./),
    });
    // At the floor it runs: 20 cases before.
    const dense = months.map((m, i) => ({ month: m.month, count: i < 36 && i % 9 < 5 ? 1 : 0 }));
    expect(dense.slice(0, 36).reduce((s, m) => s + m.count, 0)).toBe(20);
    expect(syntheticControl(dense, [donor("A", 0), donor("B", 1), donor("C", 2)], "2013-01").refused).toBe(false);
    // Where it runs, its placebo p is shown beside the smallest the donors allow (3 placebos: 1/4).
    const donors = [donor("A", 0), donor("B", 1), donor("C", 2)];
    const placebos = syntheticControlPlacebos(dense, donors, "2013-01");
    expect(placebos.compared).toBe(3);
    expect(syntheticControlText("theft", syntheticControl(dense, donors, "2013-01"), placebos)).toMatch(
      /ranks \d of 4 \(permutation p = [\d.]+; the smallest possible with 3 placebos is 0\.25\)\.$/,
    );
  });
});
