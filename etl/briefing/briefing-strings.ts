/**
 * The briefing's words in English and Lithuanian. Offence categories and emerging-pattern names are
 * the dashboard's own (dashboard/src/components/strings-*.js), so both say the same. Lithuanian
 * avoids counted nouns after numbers ("Langelių: 154"), so no plural agreement is needed, and names
 * months in the genitive inside phrases ("2022 m. sausio mėn."); English counts agree (grammar.js).
 */
import { countPhrase, monthPhrase } from "../../dashboard/src/components/grammar.js";
import { en as dashboardEn } from "../../dashboard/src/components/strings-en.js";
import { lt as dashboardLt } from "../../dashboard/src/components/strings-lt.js";
import { strings as dashboardStrings } from "../../dashboard/src/components/strings.js";
import type { Language } from "../geo/place-names.ts";
import type { StudyAreaLabel } from "../analytics/study-area-label.ts";
import type { BriefingArea } from "./briefing-data.ts";

export interface BriefingStrings {
  lang: Language;
  locale: string;
  /** "January 2022" / "2022 m. sausio mėn." */
  month(month: string): string;
  title(month: string): string;
  /** The forecast's study area (its label read back): a hull in the dashboard's words, named polygons by their names. */
  studyArea(area: StudyAreaLabel): string;
  /**
   * `areas`: groups of two or more neighbouring cells; `singleCells`: groups of one. `reason`: the
   * forecast's `selection_reason` (forecast-selection.ts), which says whether a backtest chose the method;
   * `runnerUp` its `runner_up`: null where no other method was backtested, so none can have failed to beat the baseline.
   */
  lead(p: {
    month: string;
    areas: number;
    singleCells: number;
    cells: number;
    share: string;
    method: string;
    reason: string | null;
    runnerUp: string | null;
  }): string;
  /** A forecast method's id (`stacked(kde(b=1,h=24),w=0)`) in words: the dashboard's own label of it. */
  method(id: string): string;
  /** `rounded`: the base the area counts are rounded to (1: not rounded); `zone`: the IANA id of the months' time zone; `sensitive`: the categories left out. */
  basis(p: { from: string; to: string; sensitive: readonly string[]; threshold: number; zone: string; rounded: number }): string;
  mapTitle: string;
  mapNote: string;
  scale: string;
  areasTitle: string;
  columns: { priority: string; area: string; size: string; lastMonth: string; last12: string; mix: string; when: string; pattern: string };
  /** Under the areas table: why it gives no rising or falling trend (the areas are chosen for high counts). */
  selectionNote: string;
  /** Last month against the 11 before, after the last month's count. */
  change: Record<BriefingArea["lastMonthChange"], string>;
  /** After an area's name when none of its cells was in last month's plan. */
  newArea: string;
  changesTitle: string;
  /** `rebuilt`: no plan of last month is stored, so the one the method would have made then is compared with (previous-plan.ts). */
  changes(p: { previous: string; rebuilt: boolean; added: string; intensifying: string; easing: string; fading: string }): string;
  noPreviousPlan(previous: string): string;
  none: string;
  peak(blocks: string, days: string): string;
  noTimes: string;
  withoutTime(n: string): string;
  untimed(n: string): string;
  weekdays: readonly string[];
  noPattern: string;
  performanceTitle: string;
  performance(p: { month: string; share: string; hitRate: string; pai: string; baselineHitRate: string; baselinePai: string }): string;
  /** Last month's result where its hit rates are withheld (the cells caught fewer incidents than the threshold). */
  performanceWithheld(month: string): string;
  noPerformance: string;
  tooFewMonths(months: string, history: string, needed: string): string;
  /** The site's briefing page when there is none (site-briefing.ts). */
  unavailableTitle: string;
  /** `month` in words, `id` as YYYY-MM: the advice names the command that computes the forecast without ingesting anything. */
  noForecast(month: string, id: string): string;
  noIncidents: string;
  /** A count or rate withheld below the threshold or to protect another (so never "< k": it may be large). */
  withheld: string;
  /** The selection's lower-priority areas the table leaves out (no room on the page, or past the areas briefed): drawn on the map only. */
  moreAreas(n: number): string;
  /** After a shortened list: "and 4 more". */
  andMore(n: number): string;
  /** The credit for what of OpenStreetMap the page shows (place names, outlines); null when it shows nothing of it. */
  attribution(shown: { places: boolean; outlines: boolean }): string | null;
  category(name: string): string;
  pattern(name: string): string;
  /** An emerging pattern and how many of the area's cells have it. */
  patternCells(name: string, cells: number): string;
}

// The dashboard dictionaries are typed loosely (their .d.ts); these two sections are checked by test/briefing.test.ts.
const category = (labels: unknown) => (name: string) => (labels as Record<string, string>)[name] ?? name;
const pattern = (labels: unknown) => (name: string) => (labels as Record<string, readonly [string, string]>)[name]?.[0] ?? name;
/** A method's label inside the lead's parentheses: its own parenthesised parts as comma clauses, so that parentheses do not nest. */
const unnested = (label: string) => {
  let out = label;
  for (let before = ""; before !== out;) [before, out] = [out, out.replace(/ \(([^()]*)\)/g, ", $1")];
  return out;
};
/** Named study-area polygons (recorded joined by " + ", study-area-label.ts) as a list in words: "A and B", "A ir B". */
const namedList = (locale: string, label: string) => new Intl.ListFormat(locale, { type: "conjunction" }).format(label.split(" + "));
const list = (locale: string, items: readonly string[]) => new Intl.ListFormat(locale, { type: "conjunction" }).format(items);
/** The zone's generic name in the page's language ("Eastern European Time", "Pacific Time"), not its IANA id. */
const zoneName = (locale: string, timeZone: string) =>
  new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "longGeneric" }).formatToParts(0).find((p) => p.type === "timeZoneName")?.value ?? timeZone;

export const BRIEFING_STRINGS: Record<Language, BriefingStrings> = {
  en: {
    lang: "en",
    locale: "en-GB",
    month: (m) => monthPhrase("en", m),
    title: (m) => `Patrol briefing: ${BRIEFING_STRINGS.en.month(m)}`,
    studyArea: (a) =>
      `Study area: ${
        a.kind === "named"
          ? namedList("en-GB", a.label)
          : `${dashboardStrings("en").overview.hullArea(a.ring)}${a.before ? ` (incidents before ${BRIEFING_STRINGS.en.month(a.before)})` : ""}`
      }`,
    lead: (p) =>
      `Where to patrol in ${p.month}: ${countPhrase("en", p.cells, "cell")} covering ${p.share} of the study area, in ${[
        p.areas > 0 ? `${countPhrase("en", p.areas, "area")} of neighbouring cells` : "",
        p.singleCells > 0 ? `${p.singleCells} single ${p.singleCells === 1 ? "cell" : "cells"}` : "",
      ]
        .filter(Boolean)
        .join(" and ")}, ${
        p.reason === "too little history"
          ? `ranked by the baseline forecast (${p.method}): the data are too short for a backtest on past months to choose a method`
          : p.reason === "baseline never hit"
            ? `ranked by the baseline forecast (${p.method}): its cells caught no incident in the backtest on past months, so no method’s gain over it can be measured`
            : p.reason === "baseline best in backtest" && p.runnerUp === null
              ? `ranked by the baseline forecast (${p.method}): no other method was backtested on past months to set against it`
              : p.reason === "baseline best in backtest"
                ? `ranked by the baseline forecast (${p.method}): no other method beat it by more than its month-to-month noise in the backtest on past months`
                : p.reason === "best in backtest"
                  ? `ranked by the forecast method the backtest on past months selected (${p.method})`
                  : `ranked by the forecast method (${p.method})`
      }. Area 1 first.`,
    method: (id) => unnested(dashboardStrings("en").methodLabel(id)),
    basis: (p) =>
      `Figures cover ${p.from} – ${p.to} (months in ${zoneName("en-GB", p.zone)}), ${p.sensitive.length > 0 ? `all offences except ${list("en-GB", p.sensitive)}` : "all offences"}. Counts below ${p.threshold}, and as many more as needed so that no small count can be worked out from the totals or the hot-spot map's cell counts, are shown as “withheld”.${p.rounded > 1 ? ` Area counts are rounded to the nearest ${p.rounded}.` : ""}`,
    mapTitle: "Patrol areas",
    mapNote: "Numbered areas are listed below; paler cells complete the selection.",
    scale: "km",
    areasTitle: "Areas in priority order: why and when",
    columns: {
      priority: "#",
      area: "Area",
      size: "km²",
      lastMonth: "Last month",
      last12: "Last 12 months",
      mix: "Main offences (12 months)",
      when: "When (12 months)",
      pattern: "Hot-spot pattern",
    },
    selectionNote:
      "Areas are chosen for high counts, which are partly chance: even with no change they usually have fewer incidents after, so no rising or falling trend is given.",
    change: { intensifying: "above usual", easing: "below usual", as_usual: "as usual", too_few: "too few to tell" },
    newArea: "new",
    changesTitle: "What changed since last month",
    changes: (p) =>
      `${p.rebuilt ? `Compared with the plan the method would have made for ${p.previous} from the months before it (no plan of ${p.previous} is stored in the lake). ` : `Compared with the plan stored for ${p.previous}. `}New to the plan since ${p.previous}: ${p.added}. Intensifying (last month well above the 11 months before): ${p.intensifying}. Easing (well below): ${p.easing}. Fading (in ${p.previous}'s plan, not selected now): ${p.fading}.`,
    noPreviousPlan: (previous) =>
      `The lake holds no plan for ${previous} to compare with (a monthly run leaves one); areas whose last month was well above the 11 months before are marked “above usual”.`,
    none: "none",
    peak: (blocks, days) => `most at ${blocks}; ${days}`,
    noTimes: "too few to tell",
    withoutTime: (n) => `${n} without a time of day`,
    untimed: (n) => `no times of day in the data (all ${n} dated to the day or month only)`,
    weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    noPattern: "none",
    performanceTitle: "How the method did last month",
    performance: (p) =>
      `In ${p.month}, the cells it chose (${p.share} of the area) held ${p.hitRate} of the month's incidents (PAI ${p.pai}); the last-12-months count would have held ${p.baselineHitRate} (PAI ${p.baselinePai}).`,
    performanceWithheld: (month) => `The result for ${month} is withheld (small counts).`,
    noPerformance: "No backtest of last month in the lake.",
    tooFewMonths: (months, history, needed) =>
      `Not backtested yet: the data cover ${months} months, and a month is scored only from the ${history} months before it, so a backtest needs at least ${needed}.`,
    unavailableTitle: "Patrol briefing",
    noForecast: (month, id) =>
      `No briefing for ${month}: the lake holds no patrol forecast for it (too little history for a forecast, or the analytics have not run). Compute it with \`hotspots forecast --month ${id}\` (add \`--hull\` where the analytics used the incidents' hull), then run \`hotspots publish\` again.`,
    noIncidents: "No briefing: the lake holds no incidents yet. Ingest your export and run the analytics (`hotspots run <export file>`).",
    withheld: "withheld",
    moreAreas: (n) =>
      `${n === 1 ? "One more area" : `${n} more areas`} of the selection, of lower priority, ${n === 1 ? "is" : "are"} on the map only (pale, unnumbered): the table lists the highest priorities that fit the page.`,
    andMore: (n) => `and ${n} more`,
    attribution: ({ places, outlines }) =>
      places || outlines ? `${places && outlines ? "Place names and outlines" : places ? "Place names" : "Outlines"} © OpenStreetMap contributors, ODbL` : null,
    category: category(dashboardEn.categories),
    pattern: pattern(dashboardEn.patterns),
    patternCells: (name, cells) => `${BRIEFING_STRINGS.en.pattern(name)} (${countPhrase("en", cells, "cell")})`,
  },
  lt: {
    lang: "lt",
    locale: "lt-LT",
    month: (m) => `${monthPhrase("lt", m, "genitive")} mėn.`,
    title: (m) => `Patruliavimo instruktažas: ${BRIEFING_STRINGS.lt.month(m)}`,
    studyArea: (a) =>
      `Tiriamoji teritorija: ${
        a.kind === "named"
          ? namedList("lt-LT", a.label)
          : `${dashboardStrings("lt").overview.hullArea(a.ring)}${a.before ? ` (įvykiai iki ${BRIEFING_STRINGS.lt.month(a.before)})` : ""}`
      }`,
    lead: (p) =>
      `Kur patruliuoti ${p.month}: langelių – ${p.cells}, iš viso ${p.share} tiriamosios teritorijos (vietovių iš kelių gretimų langelių – ${p.areas}, pavienių langelių – ${p.singleCells}). ${
        p.reason === "too little history"
          ? `Eiliškumą nustato bazinis prognozės metodas (${p.method}): duomenų laikotarpis per trumpas, kad atgalinė patikra parinktų metodą`
          : p.reason === "baseline never hit"
            ? `Eiliškumą nustato bazinis prognozės metodas (${p.method}): praėjusių mėnesių atgalinėje patikroje jo atrinktuose langeliuose nebuvo užregistruota nė vieno įvykio, todėl jokio metodo pranašumo prieš jį išmatuoti neįmanoma`
            : p.reason === "baseline best in backtest" && p.runnerUp === null
              ? `Eiliškumą nustato bazinis prognozės metodas (${p.method}): praėjusių mėnesių atgalinėje patikroje nebuvo tikrinamas nė vienas kitas metodas, su kuriuo jį būtų galima palyginti`
              : p.reason === "baseline best in backtest"
                ? `Eiliškumą nustato bazinis prognozės metodas (${p.method}): praėjusių mėnesių atgalinėje patikroje nė vienas kitas metodas jo nepranoko daugiau, nei lemia svyravimai iš mėnesio į mėnesį`
                : p.reason === "best in backtest"
                  ? `Eiliškumą nustato praėjusių mėnesių atgaline patikra parinktas prognozės metodas (${p.method})`
                  : `Eiliškumą nustato prognozės metodas (${p.method})`
      }. Pirmiausia – vietovė Nr. 1.`,
    method: (id) => unnested(dashboardStrings("lt").methodLabel(id)),
    basis: (p) =>
      `Skaičiai apima ${p.from} – ${p.to} laikotarpį (mėnesiai vietos laiku), ${p.sensitive.length > 0 ? `visus nusikaltimus, išskyrus šias kategorijas: ${list("lt-LT", p.sensitive)}` : "visus nusikaltimus"}. Mažesni nei ${p.threshold} skaičiai ir tiek kitų, kiek reikia, kad nė vieno mažo skaičiaus nebūtų galima apskaičiuoti iš sumų ar karštųjų taškų žemėlapio langelių skaičių, rodomi kaip „neskelbiama“.${p.rounded > 1 ? ` Vietovių skaičiai suapvalinti ${p.rounded} tikslumu.` : ""}`,
    mapTitle: "Patruliavimo vietovės",
    mapNote: "Sunumeruotos vietovės aprašytos toliau; šviesesni langeliai papildo atranką.",
    scale: "km",
    areasTitle: "Vietovės pagal prioritetą: kodėl ir kada",
    columns: {
      priority: "Nr.",
      area: "Vietovė",
      size: "km²",
      lastMonth: "Praėjęs mėnuo",
      last12: "12 mėnesių",
      mix: "Dažniausi nusikaltimai (12 mėn.)",
      when: "Kada (12 mėn.)",
      pattern: "Karštojo taško dėsningumas",
    },
    selectionNote:
      "Vietovės parinktos dėl didelių skaičių, kurie iš dalies atsitiktiniai: net be pokyčių vėliau įvykių paprastai būna mažiau, todėl didėjimo ar mažėjimo tendencija nenurodoma.",
    change: { intensifying: "daugiau nei įprastai", easing: "mažiau nei įprastai", as_usual: "kaip įprastai", too_few: "per mažai duomenų" },
    newArea: "nauja",
    changesTitle: "Kas pasikeitė per mėnesį",
    changes: (p) =>
      `${p.rebuilt ? `Lyginama su planu, kurį metodas būtų sudaręs ${p.previous} iš ankstesnių mėnesių duomenų (${p.previous} plano duomenyse nėra). ` : `Lyginama su išsaugotu ${p.previous} planu. `}Naujos plane, palyginti su ${p.previous}: ${p.added}. Stiprėjančios (praėjusį mėnesį gerokai daugiau nei per 11 ankstesnių mėnesių): ${p.intensifying}. Silpnėjančios (gerokai mažiau): ${p.easing}. Nykstančios (buvo ${p.previous} plane, dabar neparinktos): ${p.fading}.`,
    noPreviousPlan: (previous) =>
      `Duomenyse nėra ${previous} plano palyginimui (jį palieka kas mėnesį vykdomas paleidimas); vietovės, kuriose praėjusį mėnesį buvo gerokai daugiau įvykių nei per 11 ankstesnių mėnesių, pažymėtos „daugiau nei įprastai“.`,
    none: "nėra",
    peak: (blocks, days) => `dažniausiai ${blocks}; ${days}`,
    noTimes: "per mažai duomenų",
    withoutTime: (n) => `be paros laiko: ${n}`,
    untimed: (n) => `duomenyse nėra paros laiko (visi ${n} žinomi tik dienos ar mėnesio tikslumu)`,
    weekdays: ["Pr", "An", "Tr", "Kt", "Pn", "Št", "Sk"],
    noPattern: "nėra",
    performanceTitle: "Kaip metodui sekėsi praėjusį mėnesį",
    performance: (p) =>
      `${p.month} jo parinkti langeliai (${p.share} teritorijos) apėmė ${p.hitRate} to mėnesio įvykių (PAI ${p.pai}); paskutinių 12 mėnesių skaičiumi paremta atranka būtų apėmusi ${p.baselineHitRate} (PAI ${p.baselinePai}).`,
    performanceWithheld: (month) => `${month} rezultatas neskelbiamas (per maži skaičiai).`,
    noPerformance: "Duomenyse nėra praėjusio mėnesio atgalinės patikros.",
    tooFewMonths: (months, history, needed) =>
      `Atgalinės patikros dar nėra: duomenys apima ${months} mėn., o mėnuo vertinamas tik iš ${history} ankstesnių mėn., todėl reikia bent ${needed} mėn. duomenų.`,
    unavailableTitle: "Patruliavimo instruktažas",
    noForecast: (month, id) =>
      `Instruktažo ${month} nėra: duomenyse nėra to mėnesio patruliavimo prognozės (per trumpa istorija prognozei arba analizė nevykdyta). Apskaičiuokite ją komanda \`hotspots forecast --month ${id}\` (pridėkite \`--hull\`, jei analizė naudojo įvykių gaubtą), tada vėl paleiskite \`hotspots publish\`.`,
    noIncidents: "Instruktažo nėra: duomenyse dar nėra įvykių. Įkelkite savo eksportą ir paleiskite analizę (`hotspots run <eksporto failas>`).",
    withheld: "neskelbiama",
    moreAreas: (n) =>
      `Žemesnio prioriteto atrankos vietovės, netilpusios į lentelę, parodytos tik žemėlapyje (šviesios, be numerių): ${n}. Lentelėje – svarbiausios, kurios telpa lape.`,
    andMore: (n) => `ir dar ${n}`,
    attribution: ({ places, outlines }) =>
      places || outlines ? `${places && outlines ? "Vietovardžiai ir ribos" : places ? "Vietovardžiai" : "Ribos"} © OpenStreetMap bendraautoriai, ODbL` : null,
    category: category(dashboardLt.categories),
    pattern: pattern(dashboardLt.patterns),
    patternCells: (name, cells) => `${BRIEFING_STRINGS.lt.pattern(name)} (langelių: ${cells})`,
  },
};
