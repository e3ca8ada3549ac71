/**
 * The pages' notes about sensitive categories ("Domestic violence and sexual offences are shown only
 * as … totals", "“All categories” leaves out …") name the configured categories the data hold: none
 * for a city whose exports have none (every real data set of ../shared/data/real), where the notes
 * read as if the robbery or shooting data held domestic violence.
 */
import { describe, expect, it } from "vitest";
import { sensitiveInData } from "../dashboard/src/components/aggregate.js";
import { strings } from "../dashboard/src/components/strings.js";

describe("sensitiveInData", () => {
  const sensitive = ["domestic_violence", "sexual_offence"];

  it("names none for a city whose categories hold none", () => {
    expect(sensitiveInData({ categories: ["all", "robbery"], sensitive_categories: sensitive })).toEqual([]);
  });

  it("names those the data hold, in the configuration's order, and filters another list (hotspots' all_excludes) the same way", () => {
    const meta = { categories: ["all", "sexual_offence", "theft", "domestic_violence"], sensitive_categories: sensitive };
    expect(sensitiveInData(meta)).toEqual(sensitive);
    expect(sensitiveInData({ ...meta, categories: ["all", "theft", "sexual_offence"] })).toEqual(["sexual_offence"]);
    expect(sensitiveInData({ ...meta, categories: ["all", "theft", "sexual_offence"] }, ["domestic_violence"])).toEqual([]);
  });
});

describe("the note's sentence", () => {
  it("agrees with one category or several, in both languages", () => {
    const note = (lang: string, categories: string[]) => {
      const tr = strings(lang);
      return tr.common.sensitiveNote(tr.categoryList(categories), categories.length, true);
    };
    expect(note("en", ["domestic_violence", "sexual_offence"])).toBe(
      "Domestic violence and sexual offences are shown only as municipality totals (Overview), never per cell.",
    );
    expect(note("en", ["domestic_violence"])).toBe("The category “Domestic violence” is shown only as municipality totals (Overview), never per cell.");
    expect(note("lt", ["domestic_violence"])).toMatch(/^Kategorija „[^“]+“ rodoma tik kaip savivaldybių sumos/);
    expect(note("lt", ["domestic_violence", "sexual_offence"])).toMatch(/ rodomi tik kaip savivaldybių sumos/);
  });
});
