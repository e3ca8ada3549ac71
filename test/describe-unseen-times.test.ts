/**
 * How `describe` reads times written as other police units write them (QA's unseen-city exports): a
 * clock column beside a day-first date (Medellín's fecha and hora), unpadded US times as Excel writes them.
 */
import { describe, expect, it } from "vitest";
import { proposeTime } from "../etl/ingest/propose-time.ts";

describe("the time of a day-first or month-first date", () => {
  it("takes a separate clock column beside a date written with a pattern without hours (Medellín's fecha and hora)", () => {
    const rows = Array.from({ length: 30 }, (_, i) => [`${String(1 + (i % 28)).padStart(2, "0")}/03/2019`, `${String(i % 24).padStart(2, "0")}:07`]);
    expect(proposeTime(["fecha", "hora"], rows)?.spec).toEqual({ format: "pattern", column: "fecha", pattern: "dd/MM/yyyy", time_of_day: "hora" });
  });

  it("proposes unpadded US times (1/5/2020 3:07 PM, as Excel writes them), and the padded pattern for padded ones", () => {
    const rows = Array.from({ length: 30 }, (_, i) => [`${1 + (i % 12)}/${13 + (i % 15)}/2020 ${1 + (i % 12)}:07 ${i % 2 ? "PM" : "AM"}`]);
    expect(proposeTime(["Date Reported"], rows)?.spec).toEqual({ format: "pattern", column: "Date Reported", pattern: "M/d/yyyy h:mm a" });
    const padded = Array.from({ length: 30 }, (_, i) => [`01/${13 + (i % 15)}/2020 03:07 PM`]);
    expect(proposeTime(["Date Reported"], padded)?.spec).toMatchObject({ pattern: "MM/dd/yyyy hh:mm a" });
  });

  it("leaves the order of unpadded days and months undecided when no day is above 12", () => {
    const rows = Array.from({ length: 30 }, (_, i) => [`${1 + (i % 12)}/${1 + (i % 9)}/2020`]);
    expect(proposeTime(["Date"], rows)?.undecided).toMatch(/M\/d\/yyyy and d\/M\/yyyy both fit/);
  });
});
