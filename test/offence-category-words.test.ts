import { afterAll, describe, expect, it } from "vitest";
import { proposeSource } from "../etl/ingest/propose-source.ts";
import { readLabel as readLabelOf } from "../etl/ingest/offence-words.ts";
import { sniffedCsv } from "./helpers/shared.ts";

// Every label these tests read names an offence (or, like "Volume discount", nothing at all): none of
// them may be proposed as no offence, whose rows would then be left out of every count.
const labelsRead = new Set<string>();
const readLabel = (label: string) => {
  labelsRead.add(label);
  return readLabelOf(label);
};
const categoryOf = (label: string) => readLabel(label).category;
afterAll(() => {
  expect(labelsRead.size).toBeGreaterThan(0);
  expect([...labelsRead].filter((label) => readLabelOf(label).notOffence)).toEqual([]);
});

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

  it("knows the Latvian, Estonian and Quebec French words of the neighbours' exports (Riga, politsei.ee's ParagrahvTais, Montreal)", () => {
    const expected = {
      Zādzība: "theft",
      Laupīšana: "robbery",
      "Miesas bojājumi": "assault",
      Huligānisms: "public_order",
      "Transportlīdzekļa zādzība": "vehicle_crime",
      "Zādzība ar ielaušanos": "burglary",
      Izvarošana: "sexual_offence",
      "§ 199 lg 1 - Vargus": "theft",
      "§ 121 lg 1 - Kehaline väärkohtlemine": "assault",
      "§ 262 lg 1 - Avaliku korra raske rikkumine": "public_order",
      "§ 141 lg 1 - Vägistamine": "sexual_offence",
      "Vol dans / sur véhicule à moteur": "vehicle_crime",
      "Vol de véhicule à moteur": "vehicle_crime",
      "Vols qualifiés": "robbery",
      Introduction: "burglary",
      Méfait: "criminal_damage",
      "Infractions entrainant la mort": "homicide",
    };
    expect(Object.fromEntries(Object.keys(expected).map((v) => [v, categoryOf(v)]))).toEqual(expected);
    expect(categoryOf("Volume discount")).toBeNull();
    // Latvian's "Noziedzīgā nodarījuma veids" (kind of criminal offence) is the offence column.
    const rows = Array.from({ length: 20 }, (_, i) => [String(i), "2024-03-01", ["Zādzība", "Laupīšana"][i % 2]!, "Rīga", "24.1", "56.9"]);
    const proposal = proposeSource(sniffedCsv(["Nr", "Datums", "Noziedzīgā nodarījuma veids", "Pilsēta", "lon", "lat"], rows), "riga");
    expect(proposal.description.columns.offence).toEqual({ column: "Noziedzīgā nodarījuma veids" });
  });

  it("keeps rape and domestic violence sensitive in Spanish, Portuguese, Italian, French, Dutch and Polish exports, never other", () => {
    // Mexico City's VIOLACION was filed under other, so published per cell like any other offence.
    const sensitive = {
      VIOLACION: "sexual_offence",
      "Violación equiparada": "sexual_offence",
      Estupro: "sexual_offence",
      "Violenza sessuale": "sexual_offence",
      Stupro: "sexual_offence",
      Viol: "sexual_offence",
      Verkrachting: "sexual_offence",
      "Aanranding / verkrachting": "sexual_offence",
      Zedenmisdrijf: "sexual_offence",
      Zgwałcenie: "sexual_offence",
      "Pornografía infantil": "sexual_offence",
      "VIOLENCIA DE GENERO": "domestic_violence",
      "Violenza domestica": "domestic_violence",
      "Maltrattamenti contro familiari e conviventi": "domestic_violence",
      "Violences conjugales": "domestic_violence",
      "Violence intrafamiliale": "domestic_violence",
      "Huiselijk geweld": "domestic_violence",
      "Przemoc domowa": "domestic_violence",
      "Lei Maria da Penha": "domestic_violence",
    };
    expect(Object.fromEntries(Object.keys(sensitive).map((v) => [v, categoryOf(v)]))).toEqual(sensitive);
    // Violence is not viol, nor a violated home a rape.
    expect(categoryOf("Violence")).toBe("assault");
    expect(categoryOf("Violación de domicilio")).toBeNull();
  });

  it("files the common offences of Portuguese, Italian, Dutch and Polish exports", () => {
    const expected = {
      "Roubo de veículo": "vehicle_crime",
      "Furto de veiculos": "vehicle_crime",
      "Furto di autovettura": "vehicle_crime",
      "Auto-inbraak": "vehicle_crime",
      "Kradzież samochodu": "vehicle_crime",
      "Furto in abitazione": "burglary",
      Woninginbraak: "burglary",
      Włamanie: "burglary",
      "Roubo a transeunte": "robbery",
      Rapina: "robbery",
      Straatroof: "robbery",
      Rozbój: "robbery",
      Furto: "theft",
      Fietsdiefstal: "theft",
      Kradzież: "theft",
      Feminicidio: "homicide",
      Omicidio: "homicide",
      Latrocínio: "homicide",
      Moord: "homicide",
      Zabójstwo: "homicide",
      "Lesão corporal dolosa": "assault",
      Mishandeling: "assault",
      Pobicie: "assault",
      "Agresión física": "assault",
      Stupefacenti: "drug_possession",
      Truffa: "fraud",
      Estelionato: "fraud",
      Oplichting: "fraud",
      Oszustwo: "fraud",
      Danneggiamento: "criminal_damage",
      Vernieling: "criminal_damage",
      "Zniszczenie mienia": "criminal_damage",
    };
    expect(Object.fromEntries(Object.keys(expected).map((v) => [v, categoryOf(v)]))).toEqual(expected);
  });

  it("does not take a violated home, a US 'VIOL' abbreviation, a shop or a traffic accident for the offence it resembles", () => {
    const expected = {
      // Spanish violación of a home, data, rights or an order is no rape; "violación equiparada" is.
      "Violación de morada": null,
      "Violación de datos personales": null,
      "Violación a la intimidad": null,
      "Violación de medidas de protección": null,
      "Robo y violación de morada": "robbery",
      "Violación de menor": "sexual_offence",
      // Austin's and other US systems' abbreviation of "violation"; French "viol" is a label of its own or "viols sur …".
      "VIOL OF PROTECTIVE ORDER": null,
      "VIOL CITY ORDINANCE - OTHER": null,
      "TRAFFIC VIOL": null,
      "Viols sur des mineur(e)s": "sexual_offence",
      Viol: "sexual_offence",
      "Furto em casa comercial": "theft",
      // Negligent traffic injuries and deaths: no assault or homicide proposed.
      "LESIONES CULPOSAS POR TRANSITO VEHICULAR EN COLISION": null,
      "HOMICIDIO CULPOSO POR TRÁNSITO VEHICULAR (ATROPELLADO)": null,
      "Lesão corporal culposa por acidente de trânsito": null,
      "Omicidi colposi da incidente stradale": null,
      // A dog's bite (mordedura) is no murder (Mord).
      "LESIONES DOLOSAS POR MORDEDURA DE PERRO": "assault",
      "Roubo seguido de morte (latrocínio)": "homicide",
      "OVERVALUED CHECK": null,
      "CRIMINAL DAMAGE - TO VEHICLE": "criminal_damage",
      // A vehicle named by a traffic law or accident (NYC's OFNS_DESC) is no vehicle crime; its theft or use still is.
      "VEHICLE AND TRAFFIC LAWS": null,
      "TRANSPORTATION CODE VIOLATION": null,
      "MOTOR VEHICLE ACCIDENT": null,
      "Kelių eismo taisyklių pažeidimas": null,
      "UNAUTHORIZED USE OF MOTOR VEHICLE": "vehicle_crime",
      "Transporto priemonės vagystė": "vehicle_crime",
      // Mexico City's robo is any theft: without violence it is no robbery (a home or a car still come first).
      "ROBO A NEGOCIO SIN VIOLENCIA": "theft",
      "ROBO A TRANSEUNTE EN VIA PUBLICA SIN VIOLENCIA": "theft",
      "ROBO A NEGOCIO CON VIOLENCIA": "robbery",
      "ROBO A CASA HABITACION SIN VIOLENCIA": "burglary",
      "ROBO DE VEHICULO DE SERVICIO PARTICULAR SIN VIOLENCIA": "vehicle_crime",
      // Austin's abbreviations: theft from a vehicle, and family or dating violence (sensitive, not assault).
      "BURGLARY OF VEHICLE": "vehicle_crime",
      "Car break-in": "vehicle_crime",
      "BURGLARY OF RESIDENCE": "burglary",
      "ASSAULT W/INJURY-FAM/DATE VIOL": "domestic_violence",
      "ASSAULT BY CONTACT FAM/DATING": "domestic_violence",
      "AGG ASSAULT FAM/DATE VIOLENCE": "domestic_violence",
      "FAMILY DISTURBANCE": "domestic_violence",
      "DOMESTIC DISTURBANCE": "domestic_violence",
      "DISTURBANCE - NOISE": "public_order",
    };
    expect(Object.fromEntries(Object.keys(expected).map((v) => [v, categoryOf(v)]))).toEqual(expected);
  });

  it("reads plural, compound and typographic forms: ISTAT's Furti, Kinderporno, Huiselĳk with its ligature, Furto d’auto", () => {
    const expected = {
      Furti: "theft",
      "Furti in abitazione": "burglary",
      "Furti di autovetture": "vehicle_crime",
      "Furti su auto in sosta": "vehicle_crime",
      "Furto d’auto": "vehicle_crime",
      Rapine: "robbery",
      Kinderporno: "sexual_offence",
      Pedopornografia: "sexual_offence",
      "Seksueel misbruik": "sexual_offence",
      Ontucht: "sexual_offence",
      "Huiselĳk geweld": "domestic_violence",
      "Znęcanie się nad rodziną": "domestic_violence",
      "Diefstal uit/vanaf personenauto": "vehicle_crime",
      "Furto em veículo": "vehicle_crime",
      "Trafic de stupéfiants": "drug_possession",
      "Tráfico de entorpecentes": "drug_possession",
      "NARCOMENUDEO POSESION SIMPLE": "drug_possession",
      "Openlijk geweld (persoon)": "assault",
      "Cambriolages de logement": "burglary",
      "Vols avec armes": "robbery",
      Escroqueries: "fraud",
      "PUBLIC INDECENCY": "sexual_offence",
    };
    expect(Object.fromEntries(Object.keys(expected).map((v) => [v, categoryOf(v)]))).toEqual(expected);
    // Lists in these languages are asked about, as "Violence and sexual offences" is.
    for (const value of ["Mishandeling en verkrachting", "Pobicie i zgwałcenie", "Lesão corporal ou estupro"])
      expect(readLabel(value), value).toEqual({ category: "sexual_offence", mixed: ["assault", "sexual_offence"] });
  });

  it("matches words at word starts: Essex is no sexual offence", () => {
    expect(categoryOf("Essex Street disturbance")).toBe("public_order");
    expect(categoryOf("Sexual offences")).toBe("sexual_offence");
    expect(categoryOf("Delitos sexuales")).toBe("sexual_offence");
  });

  it("files vehicle and residential theft before theft, in English, Spanish, German and Lithuanian", () => {
    const expected = {
      "Hurto de carros": "vehicle_crime",
      "THEFT F/AUTO": "vehicle_crime",
      "LARCENY FROM MV": "vehicle_crime",
      "Hurto de motocicletas": "vehicle_crime",
      "ROBO DE VEHICULO DE SERVICIO PARTICULAR SIN VIOLENCIA": "vehicle_crime",
      "Robo de vehículo con violencia": "vehicle_crime",
      "Robo automotor": "vehicle_crime",
      "Hurto automotor": "vehicle_crime",
      "ROBO A TRANSEUNTE EN VIA PUBLICA CON VIOLENCIA": "robbery",
      "ROBO A CASA HABITACION SIN VIOLENCIA": "burglary",
      "Kfz-Diebstahl": "vehicle_crime",
      "Automobilio vagystė": "vehicle_crime",
      "Vagystė iš automobilio": "vehicle_crime",
      "Hurto a residencias": "burglary",
      "Įsibrovimas į būstą": "burglary",
      "Įsibrovimas į gyvenamąsias patalpas": "burglary",
      Rauschgiftdelikte: "drug_possession",
      "Hurto a personas": "theft",
      Fahrraddiebstahl: "theft",
      "Bicycle theft": "theft",
      public_order: "public_order",
      "auto-theft": "vehicle_crime",
      "theft-from-motor-vehicle": "vehicle_crime",
    };
    for (const [value, category] of Object.entries(expected)) expect(categoryOf(value), value).toBe(category);
  });

  it("puts a label that names a sensitive category beside another in the sensitive one (fail closed)", () => {
    expect(readLabel("Violence and sexual offences")).toEqual({ category: "sexual_offence", mixed: ["assault", "sexual_offence"] });
    expect(readLabel("DOMESTIC VIOLENCE/ASSAULT")).toEqual({ category: "domestic_violence", mixed: ["domestic_violence", "assault"] });
    expect(readLabel("Drogas, abuso sexual")).toEqual({ category: "sexual_offence", mixed: ["drug_possession", "sexual_offence"] });
    // A phrase of one offence is no list: the sensitive category's words qualify the assault.
    for (const value of ["Sexual assault", "Sexual violence", "Violencia sexual", "Sexuelle Gewalt"])
      expect(readLabel(value), value).toEqual({ category: "sexual_offence" });
    for (const value of ["Domestic violence", "Violencia intrafamiliar", "Smurtas artimoje aplinkoje", "INTIMATE PARTNER - SIMPLE ASSAULT"])
      expect(readLabel(value), value).toEqual({ category: "domestic_violence" });
  });

  it("asks about a mixed label (police.uk's largest class): describe does not decide it alone", () => {
    const rows = ["Violence and sexual offences", "Burglary", "Vehicle crime"].map((offence, i) => [`2022-0${i + 1}`, offence, "-1.19", "53.01"]);
    const { description, notes, undecided } = proposeSource(sniffedCsv(["Month", "Crime type", "Longitude", "Latitude"], rows), "uk");
    expect(description.categories?.["Violence and sexual offences"]).toBe("sexual_offence");
    expect(undecided.join("\n")).toMatch(
      /the offence categories of Violence and sexual offences \(names assault and sexual_offence; mapped to sexual_offence\): each names a sensitive category beside another, so it was filed under the sensitive one, which is never shown per area/,
    );
    expect(notes.categories).not.toMatch(/Violence and sexual offences/);
  });

  it("reads as no offence only the labels whose words say so, in English and Spanish", () => {
    const notOffences = [
      "HECHO NO DELICTIVO",
      "Hechos no delictivos",
      "NON-CRIMINAL",
      "NON - CRIMINAL",
      "NON-CRIMINAL (SUBJECT SPECIFIED)",
      "Non-Criminal",
      "noncriminal",
      "Non crime incident",
      "NOT_A_CRIME",
      "Not an offence",
      "PROPERTY - LOST",
      "Lost property",
    ];
    for (const label of notOffences) expect(readLabelOf(label), label).toEqual({ category: null, notOffence: true });
    // An offence word wins; service codes whose words do not say "no crime" are not guessed at.
    for (const label of ["Theft of lost property", "Non-criminal damage report", "Criminal damage", "Delito contra la salud"])
      expect(readLabelOf(label).notOffence, label).toBeUndefined();
    for (const label of ["INVESTIGATE PERSON", "SICK/INJURED/MEDICAL - PERSON", "Nonsense", "Notary"])
      expect(readLabelOf(label), label).toEqual({ category: null });
  });

  it("reads a police action on a vehicle or property as no offence, though it names a vehicle or a theft (Austin)", () => {
    for (const label of ["TOWED MOTOR VEHICLE", "Towed vehicle", "Vehicle impounded", "RECOVERED STOLEN VEHICLE", "Stolen vehicle recovered", "FOUND PROPERTY"])
      expect(readLabelOf(label), label).toEqual({ category: null, notOffence: true });
    // The offence itself, and a tow truck stolen, are still offences.
    expect(categoryOf("MOTOR VEHICLE THEFT")).toBe("vehicle_crime");
    expect(categoryOf("THEFT OF TOW TRUCK")).toBe("theft");
  });

  it("reads a missing person or lost papers as no offence in the languages of the offence words, but not an enforced disappearance", () => {
    for (const label of [
      "MISSING PERSON",
      "PERSONA DESAPARECIDA",
      "EXTRAVIO DE DOCUMENTOS",
      "PERDIDA DE LA VIDA POR SUICIDIO",
      "Vermisste Person",
      "Fundsache",
      "Zaginięcie osoby",
      "Dingęs asmuo",
    ])
      expect(readLabelOf(label), label).toEqual({ category: null, notOffence: true });
    for (const label of ["DESAPARICION FORZADA DE PERSONAS", "INDUCCION O AYUDA AL SUICIDIO", "Fundsachenunterschlagung"])
      expect(readLabelOf(label), label).toEqual({ category: null });
  });

  it("describe proposes exclude for them and names them in the categories' note, to be checked", () => {
    const offences = [
      "ROBO A TRANSEUNTE EN VIA PUBLICA CON VIOLENCIA",
      "HECHO NO DELICTIVO",
      "LESIONES INTENCIONALES POR ARMA DE FUEGO",
      "DAÑO EN PROPIEDAD AJENA INTENCIONAL",
    ];
    const rows = Array.from({ length: 20 }, (_, i) => [String(i), "2023-06-01T12:00:00", offences[i % offences.length]!, "-99.13", "19.43"]);
    const { description, notes, undecided } = proposeSource(sniffedCsv(["folio", "fecha_hecho", "delito", "longitud", "latitud"], rows), "cdmx");
    expect(description.columns.offence).toEqual({ column: "delito" });
    expect(description.categories).toEqual({
      "DAÑO EN PROPIEDAD AJENA INTENCIONAL": "criminal_damage",
      "HECHO NO DELICTIVO": "exclude",
      "LESIONES INTENCIONALES POR ARMA DE FUEGO": "assault",
      "ROBO A TRANSEUNTE EN VIA PUBLICA CON VIOLENCIA": "robbery",
    });
    expect(notes.categories).toMatch(
      /excluded: HECHO NO DELICTIVO — their words say they are no offences, so their rows are quarantined as excluded_offence, not counted; change to a category if they are offences/,
    );
    expect(undecided.join("\n")).not.toMatch(/DELICTIVO/);
  });
});
