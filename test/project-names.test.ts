/**
 * The bundled projects file names every project, indicator, checkpoint and outcome evaluation in
 * Lithuanian as well, and gives the words of every unit, so that the Lithuanian pages, briefing and
 * reports need no English from the data; and the schema refuses a unit with no words.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { nounFor } from "../dashboard/src/components/grammar.js";
import { ProjectsFileSchema, loadProjects } from "../etl/context/project-indicators.ts";

const FILE = "data/projects/projects.json";

describe("Lithuanian names in the projects file", () => {
  const file = loadProjects(FILE);

  it("translates every title, name and label, and states a promoter or programme in Lithuanian where it states one in English", () => {
    for (const p of file.projects) {
      expect(p.title_lt, p.id).toBeTruthy();
      if (p.promoter) expect(p.promoter_lt, p.id).toBeTruthy();
      if (p.programme) expect(p.programme_lt, p.id).toBeTruthy();
    }
    for (const i of file.indicators) {
      expect(i.name_lt, i.id).toBeTruthy();
      // A translation, not a copy: it differs from the English and has no common English word in it.
      expect(i.name_lt, i.id).not.toBe(i.name);
      expect(i.name_lt, i.id).not.toMatch(/\b(the|of|and|with|for|in|to)\b/);
      for (const c of i.checkpoints) expect(c.label_lt, `${i.id} ${c.label}`).toBeTruthy();
    }
    for (const e of file.outcome_evaluations) {
      expect(e.title_lt, e.id).toBeTruthy();
      if (e.control_note) expect(e.control_note_lt, e.id).toBeTruthy();
    }
  });

  it("gives every unit words that agree with numbers in both languages", () => {
    const units = file.units!;
    for (const i of file.indicators) expect(Object.keys(units), i.id).toContain(i.unit);
    expect([1, 2, 10, 21, 1.5].map((n) => `${n} ${nounFor("lt", n, units.persons!.lt)}`)).toEqual([
      "1 asmuo",
      "2 asmenys",
      "10 asmenų",
      "21 asmuo",
      "1.5 asmens",
    ]);
    expect([1, 3, 12].map((n) => nounFor("lt", n, units.meetings!.lt))).toEqual(["susitikimas", "susitikimai", "susitikimų"]);
    expect([1, 2].map((n) => nounFor("en", n, units.meetings!.en))).toEqual(["meeting", "meetings"]);
  });

  it("refuses an indicator whose unit has no words when the file gives units", () => {
    const raw = JSON.parse(readFileSync(FILE, "utf8")) as { indicators: Array<{ unit: string }> };
    raw.indicators[0]!.unit = "hugs";
    const result = ProjectsFileSchema.safeParse(raw);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      `indicators.0.unit: "hugs" has no entry in units: add its words there`,
    ]);
  });
});
