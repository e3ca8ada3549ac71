import { describe, expect, it } from "vitest";
import { categoryOf } from "../etl/ingest/propose-source.ts";

describe("describe's offence words", () => {
  it("files homicides under homicide, in the languages of the exports it reads, before the assault their weapon suggests", () => {
    for (const value of ["HOMICIDE", "Homicidio", "MURDER & NON-NEGL. MANSLAUGHTER", "Nužudymas", "Slepkavība", "Tapmine", "Homicide by shooting"]) {
      expect(categoryOf(value), value).toBe("homicide");
    }
    for (const value of ["ASSAULT WITH DEADLY WEAPON", "Shooting", "Lesiones personales"]) expect(categoryOf(value), value).toBe("assault");
  });
});
