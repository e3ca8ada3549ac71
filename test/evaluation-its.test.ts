import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { negativeBinomialRegression, poissonRegression } from "../etl/evaluation/statistics/count-regression.ts";
import { inSpacePlacebos, inTimePlacebos, interruptedTimeSeries, type MonthCount } from "../etl/evaluation/statistics/interrupted-time-series.ts";
import { projectRoot } from "./helpers/shared.ts";

// Series and fits from test/fixtures/its/its-reference.R (R glm and MASS::glm.nb).
const fixture = (name: string) =>
  parse(readFileSync(`${projectRoot}/test/fixtures/its/${name}`, "utf8"), { columns: true, cast: true }) as Array<Record<string, string | number>>;
const seriesRows = fixture("its-series.csv");
const reference = fixture("its-reference.csv");
const seriesOf = (name: string): MonthCount[] => seriesRows.map((r) => ({ month: String(r.month), count: Number(r[name]) }));
const TERMS = ["(Intercept)", "t", "post", "since", ...Array.from({ length: 11 }, (_, i) => `moy${i + 2}`)];

function design(series: readonly MonthCount[], intervention: string): number[][] {
  const t0 = series.findIndex((m) => m.month === intervention);
  return series.map((m, t) => {
    const post = t >= t0 ? 1 : 0;
    return [1, t, post, post * (t - t0), ...Array.from({ length: 11 }, (_, i) => (Number(m.month.slice(5, 7)) === i + 2 ? 1 : 0))];
  });
}
const ref = (series: string, family: string) => TERMS.map((term) => reference.find((r) => r.series === series && r.family === family && r.term === term)!);

describe("count regression against R", () => {
  for (const name of ["overdispersed", "poisson"]) {
    it(`fits the ${name} series' Poisson regression as glm does`, () => {
      const s = seriesOf(name);
      const fit = poissonRegression(
        s.map((m) => m.count),
        design(s, "2019-01"),
      );
      const r = ref(name, "poisson");
      fit.coefficients.forEach((b, j) => expect(Math.abs(b - Number(r[j]!.estimate)), TERMS[j]).toBeLessThanOrEqual(1e-7));
      fit.se.forEach((se, j) => expect(Math.abs(se - Number(r[j]!.se)) / Number(r[j]!.se), TERMS[j]).toBeLessThanOrEqual(1e-6));
      expect(Math.abs(fit.log_likelihood - Number(r[0]!.loglik))).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(fit.deviance - Number(r[0]!.deviance))).toBeLessThanOrEqual(1e-6);
    });
  }

  it("fits the over-dispersed series' negative-binomial regression as MASS::glm.nb does, θ included", () => {
    const s = seriesOf("overdispersed");
    const fit = negativeBinomialRegression(
      s.map((m) => m.count),
      design(s, "2019-01"),
    )!;
    const r = ref("overdispersed", "negative_binomial");
    expect(Math.abs(fit.theta! - Number(r[0]!.theta)) / Number(r[0]!.theta)).toBeLessThanOrEqual(1e-5);
    // glm.nb stops its θ / IRLS alternation by its own rule, so agreement is to about 10⁻⁶, not 10⁻⁹.
    fit.coefficients.forEach((b, j) => expect(Math.abs(b - Number(r[j]!.estimate)), TERMS[j]).toBeLessThanOrEqual(1e-5));
    fit.se.forEach((se, j) => expect(Math.abs(se - Number(r[j]!.se)) / Number(r[j]!.se), TERMS[j]).toBeLessThanOrEqual(1e-5));
    expect(Math.abs(fit.log_likelihood - Number(r[0]!.loglik))).toBeLessThanOrEqual(1e-5);
  });

  it("returns no negative-binomial fit for Poisson counts, where glm.nb's θ runs off to 5·10¹⁰", () => {
    const s = seriesOf("poisson");
    expect(Number(ref("poisson", "negative_binomial")[0]!.theta)).toBeGreaterThan(1e9);
    expect(
      negativeBinomialRegression(
        s.map((m) => m.count),
        design(s, "2019-01"),
      ),
    ).toBeNull();
  });

  it("refuses a negative count and a design with dependent columns, saying which", () => {
    expect(() => poissonRegression([1, -2, 3], [[1], [1], [1]])).toThrow(/count 2 must be a non-negative integer, got -2/);
    expect(() =>
      poissonRegression(
        [1, 2, 3, 4],
        [
          [1, 2],
          [1, 2],
          [1, 2],
          [1, 2],
        ],
      ),
    ).toThrow(/column 2 is \(nearly\) a combination of the others/);
  });
});

describe("interrupted time series", () => {
  it("reads the level change of the over-dispersed series from the negative-binomial model, with R's estimate", () => {
    const r = interruptedTimeSeries(seriesOf("overdispersed"), "2019-01");
    if (r.refused) throw new Error(r.reason);
    expect([r.pre_months, r.post_months, r.seasonality, r.preferred]).toEqual([60, 12, true, "negative_binomial"]);
    const post = ref("overdispersed", "negative_binomial")[2]!;
    expect(Math.abs(Math.log(r.negative_binomial!.level_change.ratio) - Number(post.estimate))).toBeLessThanOrEqual(1e-5);
    expect(Math.abs(Math.log(r.negative_binomial!.level_change.ci_low) - (Number(post.estimate) - 1.959963984540054 * Number(post.se)))).toBeLessThanOrEqual(
      1e-5,
    );
    const poissonPost = ref("overdispersed", "poisson")[2]!;
    expect(Math.abs(Math.log(r.poisson.level_change.ratio) - Number(poissonPost.estimate))).toBeLessThanOrEqual(1e-7);
    expect(r.poisson.dispersion).toBeGreaterThan(2);
  });

  it("refuses a series with fewer than 24 months before the intervention, or too few cases, with the reason", () => {
    const s = seriesOf("poisson");
    const short = interruptedTimeSeries(s.slice(40), "2019-01");
    expect(short).toMatchObject({ refused: true, pre_months: 20 });
    if (short.refused) expect(short.reason).toContain("only 20 months precede 2019-01; a trend and the seasonal pattern need at least 24");
    // Kuršėnai-sized counts: a handful of cases a year.
    const sparse = s.map((m, i) => ({ month: m.month, count: i % 9 === 0 ? 1 : 0 }));
    const refused = interruptedTimeSeries(sparse, "2019-01");
    expect(refused.refused).toBe(true);
    if (refused.refused)
      expect(refused.reason).toMatch(
        /^too sparse: 8 cases in 72 months \(64 months with none\); a segmented regression needs at least 5 cases per parameter — 20 without seasonal terms, 75 with them/,
      );
    // The same reasons in Lithuanian, months in the genitive and the count agreeing with its noun.
    if (short.refused)
      expect(short.reason_lt).toMatch(/^Iki 2019 m\. sausio yra tik 20 mėn\. duomenų, o tendencijai ir sezoniškumui atskirti reikia bent 24 mėn\./);
    if (refused.refused) expect(refused.reason_lt).toMatch(/^Per mažai atvejų: 8 atvejai per 72 mėn\. \(64 mėn\. be atvejų\)/);
    const noAfter = interruptedTimeSeries(s.slice(0, 62), "2019-01");
    if (noAfter.refused) expect(noAfter.reason_lt).toMatch(/^Nuo 2019 m\. sausio yra tik 2 mėn\. duomenų/);
    else throw new Error("expected a refusal with 2 months after");
    expect(() =>
      interruptedTimeSeries(
        [
          { month: "2019-01", count: 1 },
          { month: "2019-03", count: 1 },
        ],
        "2019-02",
      ),
    ).toThrow(/2019-01 is followed by 2019-03, expected 2019-02/);
  });

  it("drops the seasonal terms when there are enough cases for a trend but not for twelve months' effects", () => {
    const s = seriesOf("poisson").map((m, i) => ({ month: m.month, count: i % 2 }));
    const r = interruptedTimeSeries(s, "2019-01");
    expect(r.refused).toBe(false);
    if (!r.refused) expect([r.total, r.seasonality]).toEqual([36, false]);
    // Every assumption in Lithuanian too, index by index, the seasonal one included.
    if (!r.refused) {
      expect(r.assumptions_lt).toHaveLength(r.assumptions.length);
      expect(r.assumptions_lt.at(-1)).toMatch(/^Atvejų per mažai dvylikai sezoninių poveikių/);
      r.assumptions_lt.forEach((lt, i) => expect(lt).not.toBe(r.assumptions[i]));
    }
  });

  it("runs in-time placebos on the pre-period and in-space placebos on other series", () => {
    const s = seriesOf("overdispersed");
    const time = inTimePlacebos(s, "2019-01", 0.5);
    expect(time.placebos.map((p) => p.label)).toEqual([
      "2016-01",
      "2016-04",
      "2016-07",
      "2016-10",
      "2017-01",
      "2017-04",
      "2017-07",
      "2017-10",
      "2018-01",
      "2018-04",
      "2018-07",
    ]);
    expect(time.placebos.every((p) => p.level_change !== null)).toBe(true);
    // No placebo step is as large as halving; every placebo is at least as large as no change.
    expect(time.share_as_large).toBe(time.placebos.filter((p) => Math.abs(Math.log(p.level_change!)) >= Math.log(2)).length / 11);
    expect(inTimePlacebos(s, "2019-01", 1).share_as_large).toBe(1);
    const space = inSpacePlacebos([{ label: "other", series: seriesOf("poisson") }], "2019-01", 0.5);
    const poissonPost = ref("poisson", "poisson")[2]!;
    expect(Math.abs(Math.log(space.placebos[0]!.level_change!) - Number(poissonPost.estimate))).toBeLessThanOrEqual(1e-7);
  });
});
