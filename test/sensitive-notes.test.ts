/**
 * The pages' notes about sensitive categories ("Domestic violence and sexual offences are shown only
 * as … totals", "“All categories” leaves out …") name the configured categories the data hold: none
 * for a city whose exports have none (every real data set of ../shared/data/real), where the notes
 * read as if the robbery or shooting data held domestic violence.
 */
import { describe, expect, it } from "vitest";
import { sensitiveInData } from "../dashboard/src/components/aggregate.js";

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
