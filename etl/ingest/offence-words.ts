/**
 * The canonical category an offence label's words name, for `hotspots describe`. Labels are compared
 * without accents or case (`Įsibrovimas` → `isibrovimas`), and a word is matched at the start of a
 * word only, so that `sex` finds "Sexual offences" but not "Essex Street"; German compounds put the
 * offence last (`Kfz-Diebstahl`, `Taschendiebstahl`), so their heads are matched anywhere.
 */
import { SENSITIVE_CATEGORIES } from "../config.ts";
import type { OffenceCategory } from "./incident-schema.ts";

interface CategoryRule {
  category: OffenceCategory;
  /** Matched at the start of a word of the normal label; a phrase is one match (see mixed labels). */
  words: readonly string[];
  /** German compound heads, matched anywhere. */
  compounds?: readonly string[];
  /** Words beside which the rule's words name something else: the rule is then passed over. */
  unless?: RegExp;
}

// The first rule that matches wins, so the more specific ones come first: identity theft before
// theft, vehicle and residential theft before theft, the sensitive categories before the assault they
// qualify ("sexual assault", "domestic violence"), homicide before the robbery it ends and the assault
// its weapon suggests.
const RULES: readonly CategoryRule[] = [
  {
    category: "domestic_violence",
    words: [
      "domestic",
      // Spanish intrafamiliar, French intrafamiliale, Italian intrafamiliare.
      "intrafamilia",
      "violencia (familiar|domestica|de genero)",
      "family violence",
      // Austin's "ASSAULT W/INJURY-FAM/DATE VIOL", "ASSAULT BY CONTACT FAM/DATING": in the family or between partners.
      "dating violence",
      // Austin's "FAMILY DISTURBANCE" is what others write "DOMESTIC DISTURBANCE" (domestic, above): as
      // public order, its per-area figures would publish the households' incidents.
      "family (disturb|disput|fight|argument)",
      "fam(ily)? ?/ ?dat(e|ing)(?![\\p{L}])",
      "intimate partner",
      "smurtas artimoje",
      "hausliche gewalt",
      // Italian, French, Dutch, Polish (art. 207's abuse of family, not of animals), Brazil's domestic-violence law.
      "violenza domestica",
      "maltrattamenti (in famiglia|contro familiari)",
      "violences? (conjugales?|familiales?)",
      "huiselijk geweld",
      "przemoc (domowa|w rodzinie)",
      "znecanie sie nad (rodzina|osoba najblizsza)",
      "maria da penha",
    ],
  },
  { category: "fraud", words: ["identity theft", "theft of identity"] },
  {
    category: "sexual_offence",
    words: [
      "sex",
      "seksual",
      // Dutch seksueel misbruik, ontucht.
      "seksue",
      "ontucht",
      "rape",
      "indecen",
      "(is)?prievartav",
      "vergewaltig",
      "acceso carnal",
      "izvarosan",
      "vagistam",
      "agression sexuelle",
      // Spanish violación alone or of a person, never "of" a home, data, rights or an order (a preposition
      // follows); French viol(s) as a label or "viols sur mineurs", never the US abbreviation "VIOL OF
      // PROTECTIVE ORDER"; Portuguese and Italian rape, Italian sessuale, Dutch rape and indecent
      // assault, Polish rape; pornography (compounds below: Kinderporno, pedopornografia).
      "violacion(?:es)?(?!\\s+(?:de|del|a|al|ilicita)(?![\\p{L}]))",
      "violacion (equiparada|tumultuaria|agravada|impropia|sexual|de (menor|incapaz|persona))",
      "^viols?$",
      "viols? (sur|commis|aggraves?|en reunion|conjuga)",
      "estupro",
      "stupro",
      "sessual",
      "verkracht",
      "aanranding",
      "zeden",
      "zgwa[lł]c",
      "porn",
    ],
    compounds: ["porno"],
  },
  // Theft from a vehicle is vehicle crime here (as Vancouver's is), even when LAPD calls it burglary.
  {
    category: "vehicle_crime",
    words: [
      "from[- ](motor[- ])?vehicle",
      // Abbreviated in US record systems: "THEFT F/AUTO", "LARCENY FROM MV".
      "f/ ?(auto|vehicle|mv)",
      "from mv",
      "from[- ]auto",
      // Austin's "BURGLARY OF VEHICLE", "Vehicle burglary", "Car break-in": theft from a vehicle.
      "(burglary|break[- ]?ins?) (of|to|from|in|into) (a )?(motor )?(vehicles?|autos?|cars?|mv)(?![\\p{L}])",
      "(vehicle|auto|car) (burglary|break[- ]?ins?)",
      "auto[- ]?theft",
      "car[- ]theft",
      "carjack",
      "automobil",
      // Mexico City's "Robo de vehículo de servicio particular", Buenos Aires' "Hurto automotor": theft of the vehicle, not a street robbery.
      "(hurto|robo) (de|a) (carros?|vehiculos?|autos?|motos|motocicletas?|automotores)",
      // Portuguese "Roubo de veículo", "Furto em veículo", Italian "Furti di autovetture", "Furti su auto in
      // sosta", Dutch "auto-inbraak", "Diefstal uit personenauto", Polish "kradzież samochodu".
      "(furt[oi]|roubo) (de|di|d'|su|em)? ?(carros?|veicol|veicul|autos?|autovettur|motos?|motocicl|ciclomotor)",
      "personenauto",
      "uit (personen)?auto",
      // Mexico City's "Robo de objetos del interior de un vehículo", Dutch mopeds, Polish "kradzież z włamaniem do samochodu".
      "interior de (un )?vehiculo",
      "bromfiets",
      "snorfiets",
      "w[lł]amaniem do (samochod|pojazd)",
      "auto-?inbraak",
      "kradziez (samochod|pojazd)",
      "(hurto|robo) automotor",
      "kfz",
      "pkw",
      "kraftfahrzeug",
      // Montreal's "Vol de véhicule à moteur", "Vol dans / sur véhicule à moteur".
      "vol (de|dans|sur)[ /a-z]*vehicule",
    ],
    compounds: ["autodiebstahl", "autodiefstal"],
  },
  {
    category: "burglary",
    words: [
      "burglar",
      "break and enter",
      "break & enter",
      "b&e",
      "housebreak",
      "isilauz",
      "isibrov",
      "hurto (a|en) (residencias?|viviendas?|casas?)",
      "robo (a|en) (residencias?|viviendas?|casas?|casa habitacion)",
      "allanamiento",
      // Latvian ielaušanās, Estonian sissemurdmine, Montreal's "Introduction" (par effraction).
      "ielaus",
      "sissemurd",
      "introduction",
      "cambriol",
      // Italian and Portuguese theft from a home (not "casa comercial", a shop), Polish włamanie (ł has no accent to drop).
      "furt[oi] (in|em|a) (abitazion|residenci|casa(?![\\p{L}])(?! comercial))",
      "w[lł]aman",
    ],
    // German Einbruch, Dutch (woning)inbraak.
    compounds: ["einbruch", "inbraak"],
  },
  // Before robbery and assault: "homicide by shooting" and "roubo seguido de morte (latrocínio)" are homicides.
  {
    category: "homicide",
    words: [
      "homicid",
      "feminicid",
      "omicid",
      "latrocinio",
      "seguid[ao] de morte",
      "infanticid",
      "murder",
      "manslaughter",
      "nuzud",
      "slepkav",
      "tapmine",
      "morv",
      // German Mord, not Spanish mordedura (a bite) or mordida.
      "mord(?!ed|id)",
      "moord",
      "doodslag",
      "zaboj",
      "totschlag",
      "entrainant la mort",
    ],
  },
  // Spanish robo is any theft where Mexico City and others write it: "ROBO A NEGOCIO SIN VIOLENCIA" is no robbery.
  { category: "theft", words: ["robo(?![\\p{L}]).*(?<![\\p{L}])sin violencia"] },
  {
    category: "robbery",
    words: [
      "robbery",
      "robo",
      "atraco",
      "plesim",
      "laupis",
      "roov",
      "vols? qualifies?",
      "rapin[ae]",
      "roubo",
      "straatroof",
      "overval(len)?(?![\\p{L}])",
      "vols? (avec armes?|avec violence|violents?)",
      "beroving",
      "rozboj",
    ],
    compounds: ["raub"],
  },
  // Chicago's "CRIMINAL DAMAGE - TO VEHICLE" is damage, not vehicle crime.
  { category: "criminal_damage", words: ["criminal damage"] },
  // A vehicle named in a traffic law or accident is no vehicle crime: NYC's "VEHICLE AND TRAFFIC LAWS",
  // "TRANSPORTATION CODE", "MOTOR VEHICLE ACCIDENT" (the specific words above still file a theft of one).
  {
    category: "vehicle_crime",
    words: ["vehicle", "vehiculo", "vehicule", "veicol", "voertuig", "motor", "transport"],
    unless:
      /(?<![\p{L}])(?:traffic|code|laws?|act|regulations?|licen[cs]e|registration|insurance|accident|collision|crash|parking|transito|verkehr|eism|ruch)(?![\p{L}])/u,
  },
  {
    category: "theft",
    words: [
      "theft",
      "larceny",
      "steal",
      "stolen",
      "shoplift",
      "pickpocket",
      "hurto",
      "furt[oi]",
      "vagyst",
      "vagist",
      "zadzib",
      "vargus",
      "vols?(?![a-z])",
      "kradziez",
      "zakkenrol",
    ],
    // German and Dutch compounds: Taschendiebstahl, fietsdiefstal.
    compounds: ["diebstahl", "diefstal"],
  },
  {
    category: "assault",
    words: [
      "assault",
      "battery",
      "shoot",
      "wound",
      "lesion",
      "suzalo",
      "sveikatos sutrikd",
      "violen",
      "smurt",
      "gewalt",
      "miesas bojajum",
      "kehaline vaarkohtl",
      "voies de fait",
      // Dutch openlijk geweld (huiselijk and seksueel geweld are matched above).
      "geweld",
      // French coups et blessures, Polish uszczerbek na zdrowiu.
      "coups et blessures",
      "blessures? volontaires?",
      "uszczerb",
      // Portuguese lesão corporal, Spanish agresión, Portuguese agressão, Italian percosse, Dutch mishandeling, Polish pobicie.
      "lesao",
      "agres(ion|sao|sion)",
      "percoss",
      "mishandel",
      "pobici",
    ],
    compounds: ["korperverletz", "koerperverletz"],
  },
  {
    category: "drug_possession",
    words: [
      "drug",
      "narcotic",
      "cannabis",
      "marijuana",
      "narkot",
      "droga",
      "estupefac",
      "stupefac",
      "stupefi",
      "entorpecent",
      "narcomenud",
      "rauschgift",
      "betaubungsmittel",
      "btm",
      "opiumwet",
    ],
  },
  {
    category: "public_order",
    words: ["public order", "public peace", "disorder", "disturb", "anti-?social", "viesosios tvarkos", "chuligan", "hooligan", "huligan", "avaliku korra"],
  },
  {
    category: "fraud",
    words: [
      "fraud",
      "deceptive",
      "forgery",
      "scam",
      "embezzl",
      "sukciav",
      "estafa",
      "krapsan",
      "kelmus",
      "truff",
      "estelionato",
      "oplichting",
      "oszust",
      "escroq",
    ],
    compounds: ["betrug"],
  },
  {
    category: "criminal_damage",
    words: [
      "damage",
      "vandal",
      "arson",
      "graffiti",
      "mischief",
      "turto sunaikin",
      "sugadin",
      "dano",
      "incendi",
      "brandstift",
      "bojasan",
      "kahjustam",
      "mefait",
      "danneggiament",
      "vernieling",
      "zniszczeni",
      "uszkodzeni",
      "degradation",
      "destructions?(?! de (documents?|preuves?))",
    ],
    compounds: ["sachbeschadig"],
  },
];

/**
 * Words that say plainly that a record is no offence: Chicago's "NON-CRIMINAL", San Francisco's
 * "Non-Criminal", Seattle's "NOT_A_CRIME", Mexico City's "HECHO NO DELICTIVO", Boston's
 * "PROPERTY - LOST", Austin's "FOUND PROPERTY", a missing person ("PERSONA DESAPARECIDA", "Vermisste
 * Person", "Zaginięcie osoby"). Conservative on purpose: describe proposes `exclude` for such a label (its rows
 * are then quarantined, not counted) only where no offence word matches, and guesses nothing from
 * service codes ("INVESTIGATE PERSON", "SICK/INJURED/MEDICAL") that do not say so.
 */
const NOT_OFFENCE = wordsRe([
  "non\\s*-?\\s*crim(?:e|inal)",
  "not an? (?:crime|offen[cs]e)",
  "no delictiv[oa]s?",
  "(?:lost|found) property",
  "property\\s*-?\\s*(?:lost|found)",
  // Reports of a missing person or lost papers, in the languages of the offence words.
  "missing (?:persons?|juvenile|adult)",
  "persona (?:desaparecida|extraviada|ausente|no localizada)",
  "extravio de (?:documentos|objetos|placas)",
  "perdida de la vida por (?:suicidio|causas naturales|otras causas)",
  "vermisst\\p{L}*",
  // Fundsache, not Fundsachenunterschlagung (keeping what one found: an offence no word here names).
  "fundsachen?",
  "zaginieci\\p{L}*",
  "dinges asmuo",
  "disparition inquietante",
]);

/**
 * A police action on a vehicle or on property, which names the vehicle or theft it concerns but is no
 * offence: Austin's "TOWED MOTOR VEHICLE" and "RECOVERED STOLEN VEHICLE", "Vehicle impounded". Read
 * before the offence words: filed under vehicle crime, every tow and every recovery of a car already
 * counted where it was stolen would count as one more, where the pound or the recovery is.
 */
const POLICE_ACTION = wordsRe([
  "towed",
  "tow[- ]?away",
  "impound(?:ed|ment)?",
  "recovered (?:stolen )?(?:motor )?(?:vehicles?|autos?|cars?|mv|property)",
  "(?:stolen )?(?:motor )?(?:vehicles?|autos?|cars?|property) recovered",
]);

/** Words (at word starts and ends) as one regular expression over the normal label. */
function wordsRe(words: readonly string[]): RegExp {
  return new RegExp(words.map((w) => `(?<![\\p{L}\\p{N}])${w}(?![\\p{L}])`).join("|"), "u");
}

/** A rule's words as one regular expression over the normal label. */
const PATTERNS = RULES.map(({ category, words, compounds = [], unless }) => {
  const atWordStart = words.map((w) => `(?<![\\p{L}\\p{N}])${w}`);
  return { category, unless, re: new RegExp([...atWordStart, ...compounds].map((w) => `(?:${w})`).join("|"), "u") };
});

/** `Įsibrovimas į būstą` → `isibrovimas i busta`, `public_order` → `public order`: accents dropped (ß kept), lower case. */
const normalLabel = (label: string) => label.normalize("NFKD").replace(/\p{M}/gu, "").replace(/_/g, " ").replace(/[‘’]/g, "'").toLowerCase();

/** How describe files one offence label. */
export interface LabelReading {
  /** The category proposed; null when no word matched (describe then proposes `other`). */
  category: OffenceCategory | null;
  /**
   * The categories of a label that lists a sensitive offence beside another ("Violence and sexual
   * offences"): such a label is put in the sensitive one, and the user decides.
   */
  mixed?: OffenceCategory[];
  /** The label's words say its records are no offences (NOT_OFFENCE; category null): describe proposes `exclude`. */
  notOffence?: true;
}

/**
 * A negligent traffic injury or death (Mexico City's "LESIONES CULPOSAS POR TRANSITO VEHICULAR",
 * "Lesão corporal culposa por acidente de trânsito", "Omicidi colposi da incidente stradale"): no
 * assault or homicide of the kind patrols prevent, so no category is proposed (the user decides).
 */
const NEGLIGENT = /(?<![\p{L}])(?:culpos|colpos)/u;
const TRAFFIC = /(?<![\p{L}])(?:transito|vehicular|acidente|incidente|stradal)/u;

/** The first rule's category whose words the normal text holds. */
const firstCategory = (text: string) =>
  NEGLIGENT.test(text) && TRAFFIC.test(text) ? null : (PATTERNS.find(({ re, unless }) => re.test(text) && !unless?.test(text))?.category ?? null);

/** "and", "or", "&", commas and slashes between two offences, in the languages above. */
const LIST = /\s+(?:and|or|und|oder|y|e|o|ou|et|en|i|lub|oraz|ir|ar|bei|&)\s+|\s*[,;/+]\s*/u;

/**
 * The category a label's words name: the first rule that matches. A label that lists a sensitive
 * category (hidden from maps and the briefing) and another one (police.uk's "Violence and sexual
 * offences") is put in the sensitive one and marked mixed: filed under the other, its per-area
 * figures would publish the sensitive incidents inside them, which the release rules exist to
 * prevent. Hiding the other part is the recoverable error (describe asks the user to decide).
 * Words of one phrase ("Sexual assault", "INTIMATE PARTNER - SIMPLE ASSAULT") name one offence.
 */
export function readLabel(label: string): LabelReading {
  const text = normalLabel(label);
  if (POLICE_ACTION.test(text)) return { category: null, notOffence: true };
  const category = firstCategory(text);
  // An offence word wins ("Theft of lost property"): excluding an offence would hide it from every count.
  if (category === null && NOT_OFFENCE.test(text)) return { category, notOffence: true };
  const listed = [...new Set(text.split(LIST).map(firstCategory))].filter((c): c is OffenceCategory => c !== null);
  const sensitive = listed.filter((c) => SENSITIVE_CATEGORIES.has(c));
  if (sensitive.length === 0 || sensitive.length === listed.length) return { category };
  return { category: sensitive[0]!, mixed: listed };
}

/** The canonical category whose words a label holds, or null (see readLabel). */
export function categoryOf(label: string): OffenceCategory | null {
  return readLabel(label).category;
}
