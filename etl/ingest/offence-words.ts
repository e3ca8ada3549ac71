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
}

// The first rule that matches wins, so the more specific ones come first: identity theft before
// theft, vehicle and residential theft before theft, the sensitive categories before the assault they
// qualify ("sexual assault", "domestic violence"), homicide before the assault its weapon suggests.
const RULES: readonly CategoryRule[] = [
  {
    category: "domestic_violence",
    words: [
      "domestic",
      // Spanish intrafamiliar, French intrafamiliale, Italian intrafamiliare.
      "intrafamilia",
      "violencia (familiar|domestica|de genero)",
      "family violence",
      "intimate partner",
      "smurtas artimoje",
      "hausliche gewalt",
      // Italian, French, Dutch, Polish (ł has no accent to drop), Brazil's domestic-violence law.
      "violenza domestica",
      "maltrattamenti (in famiglia|contro familiari)",
      "violences? (conjugales?|familiales?)",
      "huiselijk geweld",
      "przemoc (domowa|w rodzinie)",
      "maria da penha",
    ],
  },
  { category: "fraud", words: ["identity theft", "theft of identity"] },
  {
    category: "sexual_offence",
    words: [
      "sex",
      "seksual",
      "rape",
      "indecent",
      "(is)?prievartav",
      "vergewaltig",
      "acceso carnal",
      "izvarosan",
      "vagistam",
      "agression sexuelle",
      // Spanish violación (not of a home, seals or letters), French viol (not violence), Portuguese and
      // Italian rape, Italian sessuale, Dutch rape and indecent assault, Polish rape, pornography.
      "violacion(?! de (domicilio|sellos|correspondencia|secretos))",
      "viols?(?![\\p{L}])",
      "estupro",
      "stupro",
      "sessual",
      "verkracht",
      "aanranding",
      "zeden",
      "zgwa[lł]c",
      "porn",
    ],
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
      "auto[- ]?theft",
      "car[- ]theft",
      "carjack",
      "automobil",
      // Mexico City's "Robo de vehículo de servicio particular", Buenos Aires' "Hurto automotor": theft of the vehicle, not a street robbery.
      "(hurto|robo) (de|a) (carros?|vehiculos?|autos?|motos|motocicletas?|automotores)",
      // Portuguese "Roubo de veículo", Italian "Furto di autovettura", Dutch "auto-inbraak", Polish "kradzież samochodu".
      "(furto|roubo) (de|di|d')? ?(carros?|veicol|veiculos?|autos?|autovettur|motos?|motocicl|ciclomotor)",
      "auto-?inbraak",
      "(kradziez|kradzież) (samochod|pojazd)",
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
      // Italian and Portuguese theft from a home, Polish włamanie (ł has no accent to drop).
      "furto (in|em|a) (abitazion|residenci|casa)",
      "w[lł]aman",
    ],
    // German Einbruch, Dutch (woning)inbraak.
    compounds: ["einbruch", "inbraak"],
  },
  {
    category: "robbery",
    words: ["robbery", "robo", "atraco", "plesim", "laupis", "roov", "vols? qualifies?", "rapina", "roubo", "straatroof", "overval", "beroving", "rozboj"],
    compounds: ["raub"],
  },
  { category: "vehicle_crime", words: ["vehicle", "vehiculo", "vehicule", "veicol", "voertuig", "motor", "transport"] },
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
      "furto",
      "vagyst",
      "vagist",
      "zadzib",
      "vargus",
      "vols?(?![a-z])",
      "kradziez",
    ],
    // German and Dutch compounds: Taschendiebstahl, fietsdiefstal.
    compounds: ["diebstahl", "diefstal"],
  },
  // Before assault: "homicide by shooting" is a homicide.
  {
    category: "homicide",
    words: [
      "homicid",
      "feminicid",
      "omicid",
      "latrocinio",
      "murder",
      "manslaughter",
      "nuzud",
      "slepkav",
      "tapmine",
      "morv",
      "mord",
      "moord",
      "doodslag",
      "zaboj",
      "totschlag",
      "entrainant la mort",
    ],
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
    words: ["drug", "narcotic", "cannabis", "marijuana", "narkot", "droga", "estupefac", "stupefac", "rauschgift", "betaubungsmittel", "btm", "opiumwet"],
  },
  {
    category: "public_order",
    words: ["public order", "disorder", "disturb", "anti-?social", "viesosios tvarkos", "chuligan", "hooligan", "huligan", "avaliku korra"],
  },
  {
    category: "fraud",
    words: ["fraud", "deceptive", "forgery", "scam", "embezzl", "sukciav", "estafa", "krapsan", "kelmus", "truff", "estelionato", "oplichting", "oszust"],
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
    ],
    compounds: ["sachbeschadig"],
  },
];

/** A rule's words as one regular expression over the normal label. */
const PATTERNS = RULES.map(({ category, words, compounds = [] }) => {
  const atWordStart = words.map((w) => `(?<![\\p{L}\\p{N}])${w}`);
  return { category, re: new RegExp([...atWordStart, ...compounds].map((w) => `(?:${w})`).join("|"), "u") };
});

/** `Įsibrovimas į būstą` → `isibrovimas i busta`, `public_order` → `public order`: accents dropped (ß kept), lower case. */
const normalLabel = (label: string) => label.normalize("NFD").replace(/\p{M}/gu, "").replace(/_/g, " ").toLowerCase();

/** How describe files one offence label. */
export interface LabelReading {
  /** The category proposed; null when no word matched (describe then proposes `other`). */
  category: OffenceCategory | null;
  /**
   * The categories of a label that lists a sensitive offence beside another ("Violence and sexual
   * offences"): such a label is put in the sensitive one, and the user decides.
   */
  mixed?: OffenceCategory[];
}

/** The first rule's category whose words the normal text holds. */
const firstCategory = (text: string) => PATTERNS.find(({ re }) => re.test(text))?.category ?? null;

/** "and", "or", "&", commas and slashes between two offences, in the languages above. */
const LIST = /\s+(?:and|or|und|oder|y|e|o|ir|ar|bei|&)\s+|\s*[,;/+]\s*/u;

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
  const category = firstCategory(text);
  const listed = [...new Set(text.split(LIST).map(firstCategory))].filter((c): c is OffenceCategory => c !== null);
  const sensitive = listed.filter((c) => SENSITIVE_CATEGORIES.has(c));
  if (sensitive.length === 0 || sensitive.length === listed.length) return { category };
  return { category: sensitive[0]!, mixed: listed };
}

/** The canonical category whose words a label holds, or null (see readLabel). */
export function categoryOf(label: string): OffenceCategory | null {
  return readLabel(label).category;
}
