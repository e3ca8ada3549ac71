/**
 * How `describe` reads times written as other police units write them (QA's unseen-city exports): a
 * clock column beside a day-first date (Medellín's fecha and hora), unpadded US times as Excel writes them.
 */
import { describe, expect, it } from "vitest";
import { parseTime } from "../etl/ingest/parse-time.ts";
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

  it("proposes Washington DC's REPORT_DAT (2024/01/01 05:00:00+00) with its offset, and reads it as that instant, not as a local clock", () => {
    const rows = Array.from({ length: 30 }, (_, i) => [`2024/01/${String(1 + (i % 28)).padStart(2, "0")} 05:${String(i).padStart(2, "0")}:00+00`]);
    const spec = proposeTime(["REPORT_DAT"], rows)?.spec;
    expect(spec).toEqual({ format: "pattern", column: "REPORT_DAT", pattern: "yyyy/MM/dd HH:mm:ssZ" });
    const read = (text: string) => parseTime(spec!, () => text, "America/New_York", Date.parse("2025-01-01"));
    expect(read("2024/01/01 05:00:00+00")).toMatchObject({ ok: true, epochMs: Date.parse("2024-01-01T05:00:00Z") });
    expect(read("2024/07/01 01:30:00-04")).toMatchObject({ ok: true, epochMs: Date.parse("2024-07-01T05:30:00Z") });
  });

  it("proposes Toronto's OCC_DATE (2024-01-27 5:00:00 AM: an ISO day, then an unpadded 12-hour clock) and reads 12 AM as 00:xx, 12 PM as 12:xx", () => {
    const clock = (i: number) => `${1 + ((i * 5) % 12)}:${String((i * 7) % 60).padStart(2, "0")}:00 ${i % 2 ? "AM" : "PM"}`;
    const rows = Array.from({ length: 30 }, (_, i) => [`2024-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")} ${clock(i)}`]);
    const spec = proposeTime(["OCC_DATE"], rows)?.spec;
    expect(spec).toEqual({ format: "pattern", column: "OCC_DATE", pattern: "yyyy-MM-dd h:mm:ss a" });
    const read = (text: string) => parseTime(spec!, () => text, "America/Toronto", Date.parse("2025-01-01"));
    // EST is UTC−5 in January.
    expect(read("2024-01-27 12:05:00 AM")).toMatchObject({ ok: true, epochMs: Date.parse("2024-01-27T05:05:00Z"), precision: "minute" });
    expect(read("2024-01-27 12:30:00 PM")).toMatchObject({ ok: true, epochMs: Date.parse("2024-01-27T17:30:00Z") });
    expect(read("2024-01-27 5:00:00 AM")).toMatchObject({ ok: true, epochMs: Date.parse("2024-01-27T10:00:00Z") });
    expect(read("2024-01-27 11:59:00 PM")).toMatchObject({ ok: true, epochMs: Date.parse("2024-01-28T04:59:00Z") });
  });

  it("reads Toronto's OCC_DATE, a local midnight written in UTC (5:00 AM in winter, 4:00 AM in summer), as a day at the hours of OCC_HOUR", () => {
    const rows = Array.from({ length: 30 }, (_, i) => {
      const month = 1 + (i % 12);
      const utcHour = month >= 4 && month <= 10 ? 4 : 5;
      return [`2024-${String(month).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")} ${utcHour}:00:00 AM`, String((i * 7) % 24)];
    });
    expect(proposeTime(["OCC_DATE", "OCC_HOUR"], rows)?.spec).toEqual({
      format: "pattern",
      column: "OCC_DATE",
      pattern: "yyyy-MM-dd h:mm:ss a",
      time_of_day: { column: "OCC_HOUR", format: "hour" },
    });
    // A day whose clocks vary keeps its own clock, even rounded to whole hours: an hour column beside it is not taken.
    const rounded = rows.map(([day, hour], i) => [day!.replace(/\d+:00:00 AM$/, `${1 + (i % 12)}:00:00 ${i % 2 ? "AM" : "PM"}`), hour!]);
    expect(proposeTime(["OCC_DATE", "OCC_HOUR"], rounded)?.spec).toEqual({ format: "pattern", column: "OCC_DATE", pattern: "yyyy-MM-dd h:mm:ss a" });
    const timed = rows.map(([day, hour], i) => [day!.replace(/\d+:00:00 AM$/, `${1 + (i % 12)}:${String(i % 60).padStart(2, "0")}:00 PM`), hour!]);
    expect(proposeTime(["OCC_DATE", "OCC_HOUR"], timed)?.spec).toEqual({ format: "pattern", column: "OCC_DATE", pattern: "yyyy-MM-dd h:mm:ss a" });
  });

  it("leaves the order of unpadded days and months undecided when no day is above 12", () => {
    const rows = Array.from({ length: 30 }, (_, i) => [`${1 + (i % 12)}/${1 + (i % 9)}/2020`]);
    expect(proposeTime(["Date"], rows)?.undecided).toMatch(/M\/d\/yyyy and d\/M\/yyyy both fit/);
  });
});

describe("the time of the offence among several time columns (q6)", () => {
  const day = (i: number) => `2023-01-${String(1 + (i % 28)).padStart(2, "0")}`;
  const clock = (i: number) => `${String(i % 24).padStart(2, "0")}:${String((i * 7) % 60).padStart(2, "0")}:00`;
  it("takes Mexico City's fecha_hecho (the offence) over fecha_inicio (the case opened) written before it, with its own clock", () => {
    const header = ["fecha_inicio", "hora_inicio", "fecha_hecho", "hora_hecho"];
    const rows = Array.from({ length: 30 }, (_, i) => [day(i + 3), clock(i + 5), day(i), clock(i)]);
    expect(proposeTime(header, rows)?.spec).toEqual({ format: "date", column: "fecha_hecho", time_of_day: "hora_hecho" });
    // Where inicio is the start of the offence, not of the case, it stays the first of its pair.
    const period = Array.from({ length: 30 }, (_, i) => [day(i), day(i + 1)]);
    expect(proposeTime(["FECHA_INICIO_HECHO", "FECHA_FIN_HECHO"], period)?.spec).toMatchObject({ column: "FECHA_INICIO_HECHO" });
  });

  it("never takes a report time written first while the offence's is there (Seattle's columns in another order)", () => {
    const us = (i: number) => `01/${String(1 + (i % 28)).padStart(2, "0")}/2023 ${String(1 + (i % 12)).padStart(2, "0")}:30:00 PM`;
    const rows = Array.from({ length: 30 }, (_, i) => [us(i + 2), us(i)]);
    expect(proposeTime(["Report DateTime", "Offense Start DateTime"], rows)?.spec).toMatchObject({ column: "Offense Start DateTime" });
  });

  it("reads Buenos Aires' franja (the hour band 0–23) as the hour of its day", () => {
    const rows = Array.from({ length: 30 }, (_, i) => [`${String(1 + (i % 28)).padStart(2, "0")}/03/2023`, String(i % 24)]);
    expect(proposeTime(["fecha", "franja"], rows)?.spec).toEqual({
      format: "pattern",
      column: "fecha",
      pattern: "dd/MM/yyyy",
      time_of_day: { column: "franja", format: "hour" },
    });
  });
});

describe("a clock column some rows leave unrecorded (q6)", () => {
  it("is still proposed beside the day: one S/D or blank no longer drops every row's time of day", () => {
    const rows = Array.from({ length: 30 }, (_, i) => [`${String(1 + (i % 28)).padStart(2, "0")}/03/2023`, i === 3 ? "S/D" : i === 4 ? "" : String(i % 24)]);
    expect(proposeTime(["fecha", "franja"], rows)?.spec).toMatchObject({ time_of_day: { column: "franja", format: "hour" } });
    const clocks = Array.from({ length: 30 }, (_, i) => [
      `2023-01-${String(1 + (i % 28)).padStart(2, "0")}`,
      i === 2 ? "NA" : `${String(i % 24).padStart(2, "0")}:15:00`,
    ]);
    expect(proposeTime(["fecha_hecho", "hora_hecho"], clocks)?.spec).toEqual({ format: "date", column: "fecha_hecho", time_of_day: "hora_hecho" });
  });
});

describe("a Lithuanian register's long dates with month names (q6)", () => {
  it("are proposed with locale lt, at the clock of the time column beside them", () => {
    const months = ["sausio", "vasario", "kovo", "balandžio", "gegužės", "birželio", "liepos", "rugpjūčio", "rugsėjo", "spalio", "lapkričio", "gruodžio"];
    const rows = Array.from({ length: 36 }, (_, i) => [`2023 m. ${months[i % 12]} ${1 + (i % 28)} d.`, `${String(i % 24).padStart(2, "0")}:05`]);
    expect(proposeTime(["Įvykio data", "Laikas"], rows)?.spec).toEqual({
      format: "pattern",
      column: "Įvykio data",
      pattern: "yyyy 'm.' MMMM d 'd.'",
      locale: "lt",
      time_of_day: "Laikas",
    });
  });
});

describe("NYC's complaint times: CMPLNT_FR_DT and its clock CMPLNT_FR_TM, beside CMPLNT_TO_DT/TM", () => {
  const header = ["CMPLNT_NUM", "CMPLNT_FR_DT", "CMPLNT_FR_TM", "CMPLNT_TO_DT", "CMPLNT_TO_TM", "RPT_DT"];
  const date = (i: number) => `01/${String(1 + (i % 28)).padStart(2, "0")}/2023`;
  const time = (i: number) => `${String(i % 24).padStart(2, "0")}:${String((i * 7) % 60).padStart(2, "0")}:00`;

  it("takes the clock named as the day's partner by the abbreviations DT and TM", () => {
    const rows = Array.from({ length: 30 }, (_, i) => [String(240000000 + i), date(i), time(i), date(i + 1), time(i + 3), date(i + 2)]);
    expect(proposeTime(header, rows)?.spec).toEqual({ format: "pattern", column: "CMPLNT_FR_DT", pattern: "MM/dd/yyyy", time_of_day: "CMPLNT_FR_TM" });
  });

  it("reads NYC's (null) as no value: an end never recorded does not hide the clock, and a row without a clock keeps its day", () => {
    const rows = Array.from({ length: 30 }, (_, i) => [String(240000000 + i), date(i), i === 4 ? "(null)" : time(i), "(null)", "(null)", date(i + 2)]);
    const spec = proposeTime(header, rows)?.spec;
    expect(spec).toMatchObject({ column: "CMPLNT_FR_DT", time_of_day: "CMPLNT_FR_TM" });
    const read = parseTime(spec!, (c) => ({ CMPLNT_FR_DT: "01/05/2023", CMPLNT_FR_TM: "(null)" })[c] ?? "", "America/New_York", Date.parse("2025-01-01"));
    expect(read).toMatchObject({ ok: true, precision: "day", epochMs: Date.parse("2023-01-05T05:00:00Z") });
  });
});
