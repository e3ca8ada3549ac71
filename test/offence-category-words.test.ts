import { describe, expect, it } from "vitest";
import { categoryOf } from "../etl/ingest/propose-source.ts";

describe("describe's offence words", () => {
  it("files homicides under homicide, in the languages of the exports it reads, before the assault their weapon suggests", () => {
    for (const value of ["HOMICIDE", "Homicidio", "MURDER & NON-NEGL. MANSLAUGHTER", "Nužudymas", "Slepkavība", "Tapmine", "Homicide by shooting"]) {
      expect(categoryOf(value), value).toBe("homicide");
    }
    for (const value of ["ASSAULT WITH DEADLY WEAPON", "Shooting", "Lesiones personales"]) expect(categoryOf(value), value).toBe("assault");
  });

  it("knows the Lithuanian and German words of a police register, so that sexual offences stay sensitive rather than other", () => {
    const expected = {
      "Seksualinis nusikaltimas": "sexual_offence",
      "Sveikatos sutrikdymas": "assault",
      "Turto sugadinimas": "criminal_damage",
      Wohnungseinbruchdiebstahl: "burglary",
      Straßenraub: "robbery",
      Taschendiebstahl: "theft",
      Körperverletzung: "assault",
      Sachbeschädigung: "criminal_damage",
      Betrug: "fraud",
    };
    for (const [value, category] of Object.entries(expected)) expect(categoryOf(value), value).toBe(category);
  });
});
