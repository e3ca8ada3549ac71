import { DETECTION_DRIVEN_CATEGORIES } from "./desired-direction.ts";
import { caseTypeLabel, categoryLabel, formatLevel, formatP, formatRatio } from "../format.ts";
import type { OutcomeRow } from "./outcome-row.ts";
import { rowExactReading, tooSmallToShowChange } from "./verdict.ts";
import { ltExposure } from "./exposure-label-lt.ts";
import { lt as dashboardLt } from "../../../dashboard/src/components/strings-lt.js";

/** What the caveats depend on beyond the outcome rows. */
export interface CaveatContext {
  rows: readonly OutcomeRow[];
  hasControl: boolean;
  hasBuffer: boolean;
  hasBufferControl: boolean;
  sameSeason: boolean;
  /** Cells of the control's incidents next to the evaluation area's (bordering-cells.ts), of all its cells; null without a control. */
  controlBorders: { bordering: number; cells: number } | null;
  /** The periods cover the months of the year in different proportions (evaluation-period.ts seasonsDiffer), with their labels. */
  seasonsDiffer: { before: string; after: string } | null;
  beforeDays: number;
  afterDays: number;
  /** Distinct `source` values of the lake's incidents. */
  sources: readonly string[];
  exposure: { area_name: string; area_code: string; indicator: string } | null;
}

/** A category's count already moving before the intervention, as its interrupted time series estimates it. */
export interface PreTrend {
  category: string;
  trend: "falling" | "rising";
  intervention_month: string;
  /** Monthly pre-trend ratio with its interval at `confidence_level`, and the level change that allows for it. */
  ratio: number;
  ci_low: number;
  ci_high: number;
  confidence_level: number;
  level_ratio: number;
  level_p: number;
}

/** A caveat as a code with its figures, so each language words it from its own table. */
export type Caveat =
  | { code: "no_control" }
  | { code: "control_borders"; params: { bordering: number; cells: number } }
  | { code: "wdd_normal_approximation" }
  | { code: "buffer_needs_control" }
  | { code: "no_buffer_control" }
  | { code: "regression_to_the_mean" }
  | { code: "small_counts"; params: { rows: Array<{ category: string; case_type: string; before: number; after: number }> } }
  | { code: "many_tests"; params: { tested: number; alpha: number } }
  | { code: "detection"; params: { category: string } }
  | { code: "period_lengths"; params: { before_days: number; after_days: number } }
  | { code: "same_season" }
  | { code: "seasons_differ"; params: { before: string; after: string } }
  | { code: "pre_trend"; params: PreTrend }
  | { code: "exposure_area"; params: { indicator: string; area_name: string; area_code: string } }
  | { code: "synthetic_source"; params: { source: string } }
  // What a release withholds: sensitive categories' own figures, and those left out of "all" (both where an area is not a whole municipality).
  // all_withheld: "all offences" is withheld too, beside a figure the project publishes for the area (release-rules.ts withheldInEvaluation).
  | { code: "withheld_sensitive"; params: { categories: string[]; all_excludes: string[]; all_withheld: boolean } };

/** Sources known to be synthetic demo data, with what in them is real (by language). */
const SYNTHETIC_SOURCES: Record<string, { en: string; lt: string }> = {
  "siauliai-demo": {
    en: "The bundled incidents (source siauliai-demo) are synthetic; only the Kuršėnai drug-possession counts of 2018 and 2019 are real (the We Are ECPA entry). Other counts illustrate the method and are no evidence about Šiauliai.",
    lt: "Kartu pateikiami įvykiai (šaltinis siauliai-demo) yra sintetiniai. Tikri tik Kuršėnų narkotikų laikymo atvejų skaičiai už 2018 ir 2019 metus (We Are ECPA įrašas). Kiti skaičiai tik iliustruoja metodą ir nieko nepasako apie Šiaulius.",
  },
};

/** A Lithuanian category or case-type label inside a sentence (lower case, as the dashboard's labels are capitalised). */
function ltLabel(labels: Record<string, string>, code: string): string {
  const label = labels[code] ?? code.replaceAll("_", " ");
  return label.charAt(0).toLocaleLowerCase("lt") + label.slice(1);
}
const ltCategory = (c: string) => ltLabel(dashboardLt.categories, c);
const ltCaseType = (c: string) => ltLabel(dashboardLt.caseTypes, c);
/** An exposure indicator's Lithuanian name ("registruoti imigrantai"), else its code with spaces. */
const ltNumber = (x: number) => x.toLocaleString("lt-LT", { maximumFractionDigits: 1 });
const ltRatio = (x: number) => formatRatio(x).replace(".", ",");

/** English wording of each caveat (published today; keep byte-identical). */
const EN: { [C in Caveat["code"]]: (params: Extract<Caveat, { code: C }> extends { params: infer P } ? P : undefined) => string } = {
  no_control: () =>
    "No control area: a before/after change cannot be separated from the general trend, from changes in recording or police activity, or from chance events; add a comparable area that the project did not reach (--control).",
  control_borders: ({ bordering, cells }) =>
    `The control area borders the evaluation area: ${bordering} of the ${cells} H3 cells its incidents lie in touch the evaluation area's. Crime displaced from the project area into it would make the project look better, and benefits spreading into it worse; leave a buffer between the two (--buffer) or choose a control farther away.`,
  wdd_normal_approximation: () =>
    "The weighted displacement difference uses the normal approximation to Poisson counts: with small or over-dispersed counts its p-value and interval are rough. It assumes the control would have followed the same trend as the evaluation area, so the control should be comparable and have similar counts (Wheeler & Ratcliffe 2018).",
  buffer_needs_control: () => "The WDQ and the total net effect need a control area; without one only the buffer's own change is shown.",
  no_buffer_control: () =>
    "No control for the buffer (--buffer-control): the WDD covers the evaluation area only; displacement is judged by the WDQ alone, which has no significance test.",
  regression_to_the_mean: () =>
    "Regression to the mean: an area or year picked because its count was unusually high or low tends to move back towards its usual level with no intervention at all.",
  small_counts: ({ rows }) => {
    const which = rows.map((r) => `${categoryLabel(r.category)} (${caseTypeLabel(r.case_type)}, ${r.before} → ${r.after})`).join("; ");
    return `Counts this small cannot show a significant change — ${which}: the tests cannot tell a real change from chance unless the rate changes several-fold, so a non-significant result there is absence of evidence, not evidence that nothing changed.`;
  },
  many_tests: ({ tested, alpha }) =>
    `${tested} p-values are shown for the before/after comparisons — each offence category and case type by the exact test and the E-test, and where given by the WDD and the rate per exposure (a total and its case types overlap) — besides any time-series and placebo tests: at the ${formatLevel(alpha)} level about one in ${Math.round(1 / alpha)} looks significant by chance alone, so a single significant result among many is weak evidence.`,
  detection: ({ category }) =>
    `Registered ${categoryLabel(category)} cases measure detection — police activity and information from the population — not how common the offence is. A rise is the desired outcome when the project aims at more information, but the count alone cannot tell more detection from more offending.`,
  period_lengths: ({ before_days, after_days }) =>
    `The periods differ in length (${before_days} and ${after_days} days): the rate tests compare counts per day, and the WDD is expressed per after period.`,
  same_season: () =>
    "Same-season comparison: the before period covers only the same months of the year as the after period, which removes seasonality but also uses fewer data.",
  seasons_differ: ({ before, after }) =>
    `The before period (${before}) and the after period (${after}) cover the months of the year in different proportions: where an offence follows the seasons, part of the change is the season's, not the project's. Compare whole years, or the same months of the year (--same-season).`,
  pre_trend: (t) => {
    const what = categoryLabel(t.category);
    return (
      `${what.charAt(0).toUpperCase()}${what.slice(1)} was already ${t.trend} before ${t.intervention_month} (×${formatRatio(t.ratio)} a month, ${formatLevel(t.confidence_level)} CI ${formatRatio(t.ci_low)} to ${formatRatio(t.ci_high)}): ` +
      `the before/after comparison counts the trend's continuation as change, so a ${t.trend === "falling" ? "fall" : "rise"} between the periods is no evidence of an effect by itself; ` +
      `the time series' level change (×${formatRatio(t.level_ratio)}, p = ${formatP(t.level_p, 1 - t.confidence_level)}) is the estimate that allows for the trend.`
    );
  },
  exposure_area: ({ indicator, area_name, area_code }) =>
    `The exposure (${indicator.replaceAll("_", " ")}) is a figure for ${area_name} (${area_code}), not for the evaluation area: the rate per exposure shows whether the count grew faster than that figure, not a risk per person. The source table does not say whether it counts arrivals in the year or residents.`,
  synthetic_source: ({ source }) => SYNTHETIC_SOURCES[source]?.en ?? source,
  withheld_sensitive: ({ categories, all_excludes, all_withheld }) => {
    const reason = "at least one area of this evaluation (evaluation area, comparison area or buffer) is not a whole municipality";
    const excluded = all_excludes.map(categoryLabel).join(", ");
    const all = `“All offences” here means all offences except ${excluded}`;
    // Beside a figure the project publishes for the area, the difference is the point: say it, not only the rule.
    const allWithheld = (too: boolean) =>
      `“All offences” is withheld${too ? " too, for the same reason" : ""}: it would be counted without ${excluded}, and the project publishes its own figure for this area, which may count them, so the difference of the two would give their count in the area.`;
    const rule = `a sensitive category is released only as a whole municipality's figure, and ${reason} (sensitive_categories in the project configuration)`;
    // The reason once: the withheld categories' sentence gives it, "all" refers to it.
    if (categories.length === 0) return all_withheld ? `${allWithheld(false)} ${rule[0]!.toUpperCase()}${rule.slice(1)}.` : `${all}: ${rule}.`;
    return (
      `Withheld: ${categories.map(categoryLabel).join(", ")} — a sensitive category is released only as a whole municipality's figure, and its counts, tests, history and comparisons are not shown because ${reason} (sensitive_categories in the project configuration).` +
      (all_withheld ? ` ${allWithheld(true)}` : all_excludes.length > 0 ? ` ${all}, for the same reason.` : "")
    );
  },
};

/** Lithuanian wording: short sentences as an evaluator would write them, not a word-for-word translation. */
const LT: typeof EN = {
  no_control: () =>
    "Nėra kontrolinės teritorijos. Todėl pokyčio „prieš ir po“ negalima atskirti nuo bendros tendencijos, registravimo ar policijos veiklos pokyčių ir atsitiktinių įvykių. Pridėkite panašią teritoriją, kurios projektas nepasiekė (--control).",
  control_borders: ({ bordering, cells }) =>
    `Kontrolinė teritorija ribojasi su vertinama: ${bordering} iš ${cells} H3 langelių, kuriuose yra jos įvykiai, liečiasi su vertinamos teritorijos langeliais. Iš projekto teritorijos į ją perkeltas nusikalstamumas projektą parodytų geresnį, o į ją išplitusi nauda – prastesnį. Tarp jų palikite buferinę zoną (--buffer) arba pasirinkite toliau esančią kontrolinę teritoriją.`,
  wdd_normal_approximation: () =>
    "Svertinis perkėlimo skirtumas (WDD) remiasi normaliuoju Puasono skaičių artiniu, todėl esant mažiems ar labai išsibarsčiusiems skaičiams jo p reikšmė ir intervalas tik apytiksliai. Be to, daroma prielaida, kad kontrolinėje teritorijoje būtų išlikusi ta pati tendencija kaip vertinamoje. Kontrolinė teritorija turi būti panaši ir turėti panašius atvejų skaičius (Wheeler & Ratcliffe 2018).",
  buffer_needs_control: () => "WDQ ir bendram grynajam poveikiui reikia kontrolinės teritorijos. Be jos rodomas tik pačios buferinės zonos pokytis.",
  no_buffer_control: () =>
    "Buferinė zona neturi kontrolinės teritorijos (--buffer-control). WDD apima tik vertinamą teritoriją, o perkėlimas vertinamas tik pagal WDQ, kuriam reikšmingumo testo nėra.",
  regression_to_the_mean: () =>
    "Regresija į vidurkį: teritorija ar metai, pasirinkti dėl neįprastai didelio ar mažo atvejų skaičiaus, ir be jokios intervencijos linkę grįžti prie įprasto lygio.",
  small_counts: ({ rows }) => {
    const which = rows.map((r) => `${ltCategory(r.category)} (${ltCaseType(r.case_type)}, ${r.before} → ${r.after})`).join("; ");
    return `Tokie maži skaičiai negali parodyti reikšmingo pokyčio: ${which}. Testai atskiria tikrą pokytį nuo atsitiktinumo tik tada, kai dažnis pasikeičia kelis kartus. Nereikšmingas rezultatas čia reiškia, kad įrodymų nėra, o ne kad niekas nepasikeitė.`;
  },
  many_tests: ({ tested, alpha }) =>
    `Palyginimams „prieš ir po“ pateikta p reikšmių: ${tested} – kiekvienai nusikalstamų veikų kategorijai ir bylų rūšiai tikslusis testas ir E testas, o kur yra, ir WDD bei dažnis ekspozicijai (bendra suma ir jos bylų rūšys persidengia); be to, gali būti laiko eilučių ir placebo testų. Esant ${ltNumber(alpha * 100)} % reikšmingumo lygmeniui, maždaug vienas iš ${Math.round(1 / alpha)} atrodo reikšmingas vien atsitiktinai. Todėl vienas reikšmingas rezultatas tarp daugelio yra silpnas įrodymas.`,
  detection: ({ category }) =>
    `Užregistruoti atvejai (${ltCategory(category)}) rodo nustatymą – policijos veiklą ir gyventojų suteiktą informaciją, o ne tai, kiek tokių veikų iš tikrųjų padaroma. Jei projektas siekia daugiau informacijos, augimas yra pageidaujamas rezultatas, tačiau vien iš skaičiaus neatskirsi geresnio nustatymo nuo dažnesnių veikų.`,
  period_lengths: ({ before_days, after_days }) =>
    `Laikotarpiai skirtingo ilgio (${before_days} ir ${after_days} d.). Dažnio testai lygina atvejų skaičių per dieną, o WDD išreiškiamas laikotarpiui „po“.`,
  same_season: () =>
    "Lyginamas tas pats sezonas: laikotarpis „prieš“ apima tik tuos pačius metų mėnesius kaip laikotarpis „po“. Taip pašalinamas sezoniškumas, bet duomenų naudojama mažiau.",
  seasons_differ: ({ before, after }) =>
    `Laikotarpiai „prieš“ (${before}) ir „po“ (${after}) apima metų mėnesius nevienodomis dalimis. Jei veikų skaičius priklauso nuo sezono, dalis pokyčio yra sezono, o ne projekto poveikis. Lyginkite ištisus metus arba tuos pačius metų mėnesius (--same-season).`,
  pre_trend: (t) =>
    `Užregistruotų atvejų (${ltCategory(t.category)}) skaičius ${t.trend === "falling" ? "mažėjo" : "augo"} jau iki ${t.intervention_month} (×${ltRatio(t.ratio)} per mėnesį, ${ltNumber(t.confidence_level * 100)} % PI ${ltRatio(t.ci_low)}–${ltRatio(t.ci_high)}). ` +
    `Palyginimas „prieš ir po“ šios tendencijos tęsinį laiko pokyčiu, todėl ${t.trend === "falling" ? "sumažėjimas" : "padidėjimas"} tarp laikotarpių pats savaime nėra poveikio įrodymas. ` +
    `Tendenciją įvertina laiko eilutės lygio pokytis (×${ltRatio(t.level_ratio)}, p = ${formatP(t.level_p, 1 - t.confidence_level).replace(".", ",")}).`,
  exposure_area: ({ indicator, area_name, area_code }) =>
    `Ekspozicija (${ltExposure(indicator)}) – teritorijos „${area_name}“ (${area_code}) rodiklis, o ne vertinamos teritorijos. Dažnis ekspozicijai rodo, ar atvejų skaičius augo sparčiau nei šis rodiklis, bet ne riziką vienam asmeniui. Šaltinio lentelėje nenurodyta, ar skaičiuojami per metus atvykę, ar gyvenantys asmenys.`,
  synthetic_source: ({ source }) => SYNTHETIC_SOURCES[source]?.lt ?? source,
  withheld_sensitive: ({ categories, all_excludes, all_withheld }) => {
    const reason = "bent viena šio vertinimo teritorija (vertinamoji, palyginamoji ar buferinė) nėra visa savivaldybė";
    const excluded = all_excludes.map(ltCategory).join(", ");
    const all = `„Visos kategorijos“ šiame vertinime neapima šių kategorijų: ${excluded}`;
    const allWithheld = (too: boolean) =>
      `Nepateikiamos ${too ? "ir " : ""}„visos kategorijos“${too ? " (dėl tos pačios priežasties)" : ""}: jos būtų skaičiuojamos be šių kategorijų: ${excluded}. Projektas pats skelbia šios teritorijos rodiklį, kuris jas gali apimti, todėl iš šių dviejų skaičių skirtumo būtų galima sužinoti jų atvejų skaičių teritorijoje.`;
    const rule = `Jautrios kategorijos duomenys skelbiami tik visos savivaldybės mastu, o ${reason} (projekto konfigūracijos sensitive_categories)`;
    if (categories.length === 0) return all_withheld ? `${allWithheld(false)} ${rule}.` : `${all}. ${rule}.`;
    return (
      `Nepateikiama: ${categories.map(ltCategory).join(", ")}. Jautrios kategorijos duomenys skelbiami tik visos savivaldybės mastu; ${categories.length === 1 ? "jos" : "jų"} atvejų skaičiai, testai, istorija ir palyginimai čia nerodomi, nes ${reason} (projekto konfigūracijos sensitive_categories).` +
      (all_withheld ? ` ${allWithheld(true)}` : all_excludes.length > 0 ? ` ${all} (dėl tos pačios priežasties).` : "")
    );
  },
};

/** A caveat in English or Lithuanian. */
export function caveatText(lang: "en" | "lt", caveat: Caveat): string {
  const table = lang === "lt" ? LT : EN;
  const render = table[caveat.code] as (params: unknown) => string;
  return render("params" in caveat ? caveat.params : undefined);
}

/**
 * The caveats an evaluator must read with the figures, in the order of the ECPA template's concern:
 * design (no control, trends, regression to the mean), chance (small counts, many tests), what a
 * count measures (detection), denominators and data provenance. Only caveats that apply are listed,
 * as codes with their figures (caveatText words them).
 */
export function evaluationCaveatCodes(context: CaveatContext): Caveat[] {
  const { rows } = context;
  const caveats: Caveat[] = [];
  caveats.push({ code: context.hasControl ? "wdd_normal_approximation" : "no_control" });
  if (context.controlBorders && context.controlBorders.bordering > 0) caveats.push({ code: "control_borders", params: context.controlBorders });
  if (context.hasBuffer && !context.hasControl) caveats.push({ code: "buffer_needs_control" });
  if (context.hasBuffer && context.hasControl && !context.hasBufferControl) caveats.push({ code: "no_buffer_control" });
  caveats.push({ code: "regression_to_the_mean" });
  // A borderline row (p below α, interval holding 1) is left to its own verdict, which says why it is
  // unconfirmed: beside its p-value, "counts this small cannot show a significant change" read as a
  // contradiction, and "unless the rate changes several-fold" as false where no split would show one.
  const small = rows.filter((r) => tooSmallToShowChange(r) && r.before + r.after > 0 && rowExactReading(r) !== "borderline");
  if (small.length > 0)
    caveats.push({
      code: "small_counts",
      params: { rows: small.map((r) => ({ category: r.category, case_type: r.case_type, before: r.before, after: r.after })) },
    });
  const tested = testedComparisons(rows);
  if (tested > 1) caveats.push({ code: "many_tests", params: { tested, alpha: 1 - (rows[0]?.exact_test.confidence_level ?? 0.95) } });
  const detection = [...new Set(rows.map((r) => r.category))].filter((c) => DETECTION_DRIVEN_CATEGORIES.has(c));
  for (const category of detection) caveats.push({ code: "detection", params: { category } });
  if (context.beforeDays !== context.afterDays)
    caveats.push({ code: "period_lengths", params: { before_days: context.beforeDays, after_days: context.afterDays } });
  if (context.sameSeason) caveats.push({ code: "same_season" });
  if (context.seasonsDiffer) caveats.push({ code: "seasons_differ", params: context.seasonsDiffer });
  if (context.exposure) caveats.push({ code: "exposure_area", params: { ...context.exposure } });
  for (const source of context.sources) if (SYNTHETIC_SOURCES[source]) caveats.push({ code: "synthetic_source", params: { source } });
  return caveats;
}

/**
 * How many p-values the many-tests caveat counts: each row with incidents shows the exact test's and
 * the E-test's, and the WDD's and the exposure rate test's where it has them — each a chance to look
 * significant by chance. A row with no incidents cannot be significant. (The time series' and
 * placebos' p-values come later, per category, and the caveat names them without a count.)
 */
export function testedComparisons(rows: ReadonlyArray<Pick<OutcomeRow, "before" | "after" | "control" | "exposure">>): number {
  return rows.filter((r) => r.before + r.after > 0).reduce((n, r) => n + 2 + (r.control ? 1 : 0) + (r.exposure ? 1 : 0), 0);
}

/** The caveats in English (see evaluationCaveatCodes). */
export function evaluationCaveats(context: CaveatContext): string[] {
  return evaluationCaveatCodes(context).map((c) => caveatText("en", c));
}
