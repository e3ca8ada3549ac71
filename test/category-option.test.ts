/** `--category` on analyse: a category the lake does not hold is refused with the ones it does (issue 21). */
import { describe, expect, it } from "vitest";
import { checkCategory } from "../etl/cli/category-option.ts";

describe("checkCategory", () => {
  it("refuses an unknown category, listing the lake's categories once each, sorted", () => {
    expect(() => checkCategory("arson", ["theft", "burglary", "theft"])).toThrow(
      "unknown --category 'arson': this lake's incidents have burglary, theft; write one of them, or leave --category out for all offences together",
    );
  });

  it("refuses a prototype name like any other unknown category", () => {
    expect(() => checkCategory("constructor", ["theft"])).toThrow("unknown --category 'constructor'");
  });

  it("says so when the lake holds no incidents", () => {
    expect(() => checkCategory("theft", [])).toThrow("the lake holds no incidents; ingest a file first");
  });

  it("lets a held category, all offences together, and no category through", () => {
    expect(() => checkCategory("theft", ["theft"])).not.toThrow();
    expect(() => checkCategory("all", [])).not.toThrow();
    expect(() => checkCategory(undefined, [])).not.toThrow();
  });
});
