import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadProjects, ProjectsFileError, type Indicator, type ProjectsFile } from "../etl/context/project-indicators.ts";
import { projectRoot, sharedPath } from "./helpers/shared.ts";

const BUNDLED = resolve(projectRoot, "data", "projects", "projects.json");
const WE_ARE_SEED = "003_1e9882cbcd1d6245.txt";

// The seeds are PDF conversions: footnotes ("---" rules, "<sup>n</sup>" lines) can interrupt a
// sentence across a page break, and line breaks fall anywhere. Quotes are compared without them.
function normalisedSeed(name: string): string {
  return readFileSync(sharedPath("seeds", name), "utf8")
    .split("\n")
    .filter((line) => !/^\s*(---|<sup>)/.test(line))
    .join(" ")
    .replace(/\s+/g, " ");
}

describe("bundled data/projects/projects.json", () => {
  const file: ProjectsFile = loadProjects(BUNDLED);
  const indicator = (id: string): Indicator => {
    const found = file.indicators.find((i) => i.id === id);
    if (!found) throw new Error(`no indicator ${id}`);
    return found;
  };

  it("covers every seed document, one project each", () => {
    const seeds = readdirSync(sharedPath("seeds"))
      .filter((name) => name.endsWith(".txt"))
      .sort();
    expect(seeds).toHaveLength(5);
    expect(file.projects.map((p) => p.source_document).sort()).toEqual(seeds);
    for (const project of file.projects) expect(file.indicators.some((i) => i.project_id === project.id)).toBe(true);
  });

  it("quotes each indicator's source sentence verbatim from its seed", () => {
    for (const { id, source_document, source_quote } of file.indicators) {
      expect(normalisedSeed(source_document), id).toContain(source_quote.replace(/\s+/g, " "));
    }
  });

  it("holds the We Are figures exactly", () => {
    const weAre = file.projects.find((p) => p.source_document === WE_ARE_SEED)!;
    expect(weAre.funding).toEqual({ funder: "Šiauliai District Municipality", amount: 3000, currency: "EUR" });
    expect(weAre.period).toEqual({ start: "2019-01-01", end: "2019-12-31" });

    const people = indicator("we-are-people-involved");
    expect([people.target, people.achieved, people.baseline]).toEqual([10000, null, null]);
    expect(people.checkpoints.map((c) => [c.date, c.value, c.basis, c.qualifier])).toEqual([
      ["2019-06-30", 3000, "cumulative", "approximate"],
      ["2019-12-31", 8000, "in_period", "more_than"],
    ]);
    const figures = (id: string) => {
      const i = indicator(id);
      return [i.baseline, i.baseline_period, i.target, i.achieved, i.achieved_qualifier];
    };
    expect(figures("we-are-training-courses")).toEqual([null, null, null, 8, "exact"]);
    expect(figures("we-are-training-participants")).toEqual([null, null, null, 280, "approximate"]);
    expect(figures("we-are-minority-community-meetings")).toEqual([8, "2018", null, 21, "exact"]);
    expect(figures("we-are-erasmus-lectures")).toEqual([2, "2018", null, 4, "exact"]);
    expect(figures("we-are-business-meetings")).toEqual([2, "2018", null, 25, "exact"]);
    expect(figures("we-are-work-immigrant-meetings")).toEqual([null, null, null, 80, "approximate"]);
    expect(figures("we-are-migration-inspections")).toEqual([null, null, null, 12, "exact"]);
    expect(figures("we-are-kursenai-drug-pretrial")).toEqual([2, "2018", null, 5, "exact"]);
    expect(figures("we-are-kursenai-drug-administrative")).toEqual([1, "2018", null, 3, "exact"]);
  });

  it("holds the Norway Grants projects' figures exactly", () => {
    expect(indicator("ro-no-officers-deployed").achieved).toBe(25);
    expect([indicator("ro-no-workshop-participants").target, indicator("ro-no-workshop-participants").achieved]).toEqual([300, 538]);
    expect(indicator("lt-no-oc-operational-meetings").achieved).toBe(14);
    expect(indicator("lt-no-oc-officers-trained").achieved).toBe(826);
    expect(indicator("lt-no-oc-exchange-visits").achieved).toBe(9);
    expect(file.projects.find((p) => p.id === "lt-no-domestic-violence")!.funding?.amount).toBe(1_082_858);
    expect(file.projects.find((p) => p.id === "bg-no-migrant-crisis-oc")!.period.end).toBe("2017-11");
  });

  it("specifies the Kuršėnai drug-possession evaluation of We Are as data, cross-checked against its two seed indicators", () => {
    expect(file.outcome_evaluations).toHaveLength(1);
    const [kursenai] = file.outcome_evaluations;
    expect(kursenai).toMatchObject({ project_id: "we-are", area: "locality:Kuršėnai", before: "2018", after: "2019", categories: ["drug_possession"] });
    for (const indicatorId of Object.values(kursenai!.indicators)) expect(indicator(indicatorId).project_id).toBe("we-are");
  });

  it("explains every missing baseline, target or result in a note", () => {
    for (const i of file.indicators) {
      if (i.baseline === null || i.target === null || i.achieved === null) expect(i.note, i.id).toBeTruthy();
    }
  });
});

describe("loadProjects on a broken copy", () => {
  const dir = mkdtempSync(join(tmpdir(), "project-indicators-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  type Doc = {
    projects: Record<string, unknown>[];
    indicators: Record<string, unknown>[];
    outcome_evaluations: Array<Record<string, unknown> & { indicators: Record<string, string> }>;
  };
  function brokenCopy(name: string, breakIt: (doc: Doc) => void): string {
    const doc = JSON.parse(readFileSync(BUNDLED, "utf8"));
    breakIt(doc);
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(doc));
    return path;
  }

  function problemOf(path: string): string {
    try {
      loadProjects(path);
    } catch (error) {
      expect(error).toBeInstanceOf(ProjectsFileError);
      return (error as Error).message;
    }
    throw new Error(`${path} was accepted`);
  }

  it("names the file, the path and the missing field", () => {
    const path = brokenCopy("missing.json", (d) => delete d.indicators[0]!.unit);
    expect(problemOf(path)).toBe(`${path}: $.indicators[0].unit: missing required field (expected string)`);
  });

  it("reports a wrong type", () => {
    const path = brokenCopy("wrong-type.json", (d) => (d.projects[1]!.title = 42));
    expect(problemOf(path)).toBe(`${path}: $.projects[1].title: Invalid input: expected string, received number`);
  });

  it("refuses an achieved value written as a string, saying to write it as a number", () => {
    const path = brokenCopy("achieved-string.json", (d) => (d.indicators[3]!.achieved = "21"));
    expect(problemOf(path)).toBe(`${path}: $.indicators[3].achieved: "21" is text: write the figure as a JSON number, without quotes (21)`);
  });

  it("says what to write for a figure or period given as text: null, a number, or a quarter's months", () => {
    const missing = (value: string) => problemOf(brokenCopy("na.json", (d) => (d.indicators[3]!.achieved = value)));
    for (const value of ["n/a", ""])
      expect(missing(value)).toContain(`$.indicators[3].achieved: ${JSON.stringify(value)} is not a number: write null where the source gives no figure`);
    expect(missing("8,000")).toContain('$.indicators[3].achieved: "8,000" is text: write the figure as a JSON number, without quotes (8000)');
    const checkpoint = brokenCopy(
      "checkpoint-na.json",
      (d) => (d.indicators[0]!.checkpoints = [{ label: "mid", date: "2021", value: "n/a", basis: "cumulative", qualifier: "exact" }]),
    );
    expect(problemOf(checkpoint)).toContain(
      '$.indicators[0].checkpoints[0].value: "n/a" is not a number: write the figure as a JSON number; this field cannot be null',
    );
    const period = brokenCopy("quarter.json", (d) => (d.indicators[3]!.period = "2021-Q2"));
    expect(problemOf(period)).toBe(`${period}: $.indicators[3].period: "2021-Q2": write a quarter as the interval of its months, "2021-04/2021-06"`);
    const date = brokenCopy("quarter-date.json", (d) => (d.projects[0]!.period = { start: "2021-Q4", end: null }));
    expect(problemOf(date)).toContain(
      `$.projects[0].period.start: "2021-Q4": a date is YYYY, YYYY-MM or YYYY-MM-DD, not a quarter; write the month it refers to, e.g. "2021-12"`,
    );
  });

  it("refuses an indicator whose project does not exist", () => {
    const path = brokenCopy("orphan.json", (d) => (d.indicators[2]!.project_id = "no-such-project"));
    expect(problemOf(path)).toBe(`${path}: $.indicators[2].project_id: no project with id "no-such-project"`);
  });

  it("refuses an outcome evaluation of an unknown project, or cross-checking another project's or no indicator", () => {
    const orphan = brokenCopy("evaluation-orphan.json", (d) => (d.outcome_evaluations[0]!.project_id = "no-such-project"));
    expect(problemOf(orphan)).toContain(`$.outcome_evaluations[0].project_id: no project with id "no-such-project"`);
    const foreign = brokenCopy(
      "evaluation-foreign.json",
      (d) => (d.outcome_evaluations[0]!.indicators.pre_trial_investigation = String(d.indicators.at(-1)!.id)),
    );
    expect(problemOf(foreign)).toMatch(/\$\.outcome_evaluations\[0\]\.indicators\.pre_trial_investigation: indicator ".+" belongs to project "(?!we-are)/);
    const missing = brokenCopy("evaluation-missing.json", (d) => (d.outcome_evaluations[0]!.indicators.administrative_offence = "no-such-indicator"));
    expect(problemOf(missing)).toBe(`${missing}: $.outcome_evaluations[0].indicators.administrative_offence: no indicator with id "no-such-indicator"`);
    const folder = brokenCopy("evaluation-id.json", (d) => (d.outcome_evaluations[0]!.id = "../escape"));
    expect(problemOf(folder)).toContain(`$.outcome_evaluations[0].id: expected lower-case letters, digits and '-' (it names a lake folder)`);
  });

  it("names the file when it is not JSON", () => {
    const path = join(dir, "truncated.json");
    writeFileSync(path, readFileSync(BUNDLED, "utf8").slice(0, 200));
    expect(problemOf(path)).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: cannot be read as JSON: `));
  });
});
