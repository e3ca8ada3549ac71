/**
 * A draft of the evaluation questions of the ECPA Annex I (11 process evaluation, 12 outcome
 * evaluation, 16 costs, 17 cost-benefit) and a targets-versus-results table, from a project's
 * indicators and outcome evaluations, in English or Lithuanian. Every figure names the lake table
 * and key it comes from, so an evaluator can check it before signing; the draft adds no figure the
 * data do not hold.
 */
import { formatNumber, formatP } from "../format.ts";
import { caveatText } from "../statistics/caveats.ts";
import { tooSmallToShowChange } from "../statistics/verdict.ts";
import type { OutcomeRow } from "../statistics/outcome-row.ts";
import { strings } from "../../../dashboard/src/components/strings.js";
import { borderlineSentence, exactReading } from "../../../dashboard/src/components/evaluation-verdict.js";
import { lt as dashboardLt } from "../../../dashboard/src/components/strings-lt.js";
import type { ProjectReport } from "../lake/project-report.ts";
import { qualified as qualifiedEn, type IndicatorProgress } from "../statistics/process-indicators.ts";
import { paragraph, list, table, type Block, type ReportDocument, type Section } from "../report/report-document.ts";
import { evaluationDesign } from "../report/evaluation-design.ts";
import { TABLES } from "../../lake/tables.ts";

export type DraftLanguage = "en" | "lt";

const INDICATORS_TABLE = TABLES.evaluation_indicators.folder;
const OUTCOMES_TABLE = TABLES.evaluation_outcomes.folder;
const PROJECTS_TABLE = TABLES.projects.folder;

const TEXT = {
  en: {
    title: (t: string) => `ECPA Annex I — evaluation sections (draft): ${t}`,
    subtitle:
      "Drafted from the product's data for the evaluator to check and edit. Each figure names its lake table; figures the data do not hold are left for the evaluator.",
    q11: "Process evaluation (question 11)",
    q11Intro: (n: number) => `${n} process indicators were tracked. Planned and achieved figures as the source states them:`,
    q11None: "The data hold no process indicators for this project.",
    q12: "Outcome evaluation (question 12)",
    q12Intro: (n: number) => `${n} outcome indicators were tracked:`,
    q12None: "The data hold no outcome indicators for this project.",
    q12Incidents: (title: string, counts: string, interval: string, p: string, level: string) =>
      `${title}: registered incidents ${counts}; ${interval}exact test p = ${p}. Design: ${level}.`,
    q12Interval: (ratio: string, level: string, low: string, high: string) => `rate ratio ${ratio} (${level} CI ${low} to ${high}), `,
    q16: "Costs (question 16)",
    q16Funding: (amount: string, funder: string) => `Funding: ${amount} (${funder}) [${PROJECTS_TABLE}].`,
    q16None: "The data state no cost for this project; the evaluator must add it.",
    q16PerUnit: "Cost per unit reached (funding divided by the achieved figure):",
    q17: "Cost-benefit analysis (question 17)",
    q17Text:
      "The data hold the costs but no monetary value of the outcomes, so no cost-benefit ratio can be drafted; the cost per unit reached above is a cost-effectiveness figure, not a cost-benefit one.",
    targets: "Targets and results",
    targetsNone: "No indicator of this project has a stated target.",
    header: ["Indicator", "Baseline", "Target", "Achieved", "% of target", "Source"],
    targetHeader: ["Indicator", "Target", "Result", "% of target", "Met", "Source"],
    yes: "yes",
    no: "no",
    per: (cost: string, unit: string, name: string) => `${cost} per ${unit} (${name})`,
    number: formatNumber,
    qualified: qualifiedEn,
    caseType: (caseType: string) => caseType.replaceAll("_", " "),
  },
  lt: {
    title: (t: string) => `ECPA I priedas — vertinimo dalys (projektas): ${t}`,
    subtitle:
      "Parengta iš produkto duomenų, kad vertintojas patikrintų ir pataisytų. Prie kiekvieno skaičiaus nurodyta duomenų ežero lentelė; skaičių, kurių duomenyse nėra, įrašo vertintojas.",
    q11: "Proceso vertinimas (11 klausimas)",
    q11Intro: (n: number) => `Stebėti proceso rodikliai (${n}). Planuoti ir pasiekti skaičiai, kaip juos nurodo šaltinis:`,
    q11None: "Duomenyse nėra šio projekto proceso rodiklių.",
    q12: "Rezultatų vertinimas (12 klausimas)",
    q12Intro: (n: number) => `Stebėti rezultato rodikliai (${n}):`,
    q12None: "Duomenyse nėra šio projekto rezultato rodiklių.",
    q12Incidents: (title: string, counts: string, interval: string, p: string, level: string) =>
      `${title}: užregistruoti įvykiai ${counts}; ${interval}tikslusis testas p = ${p}. Vertinimo planas: ${level}.`,
    q12Interval: (ratio: string, level: string, low: string, high: string) => `dažnių santykis ${ratio} (${level} PI ${low}–${high}), `,
    q16: "Išlaidos (16 klausimas)",
    q16Funding: (amount: string, funder: string) => `Finansavimas: ${amount} (${funder}) [${PROJECTS_TABLE}].`,
    q16None: "Duomenyse nenurodytos šio projekto išlaidos; jas turi įrašyti vertintojas.",
    q16PerUnit: "Išlaidos vienam pasiektam vienetui (finansavimas, padalytas iš pasiekto skaičiaus):",
    q17: "Sąnaudų ir naudos analizė (17 klausimas)",
    q17Text:
      "Duomenyse yra išlaidos, bet nėra rezultatų piniginės vertės, todėl sąnaudų ir naudos santykio parengti negalima; aukščiau nurodytos išlaidos vienam vienetui yra sąnaudų efektyvumo, o ne sąnaudų ir naudos rodiklis.",
    targets: "Tikslai ir rezultatai",
    targetsNone: "Nė vienam šio projekto rodikliui nenurodytas tikslas.",
    header: ["Rodiklis", "Pradinė reikšmė", "Tikslas", "Pasiekta", "% tikslo", "Šaltinis"],
    targetHeader: ["Rodiklis", "Tikslas", "Rezultatas", "% tikslo", "Pasiektas", "Šaltinis"],
    yes: "taip",
    no: "ne",
    // The unit's Lithuanian words are not in the report's data: the indicator's name says what was counted.
    per: (cost: string, _unit: string, name: string) => `${cost} – ${name}`,
    number: (value: number | null | undefined, digits = 1) => formatNumber(value, digits).replaceAll(",", "\u00a0").replace(".", ","),
    qualified: (value: number | null, qualifier: IndicatorProgress["indicator"]["achieved_qualifier"]) => {
      const text = TEXT.lt.number(value, 1);
      return value === null ? text : qualifier === "approximate" ? `apie ${text}` : qualifier === "more_than" ? `daugiau nei ${text}` : text;
    },
    caseType: (caseType: string) => (dashboardLt.caseTypes as Record<string, string>)[caseType] ?? caseType.replaceAll("_", " "),
  },
};

/** A text of the data in the draft's language: the Lithuanian translation (`title_lt`, `name_lt`, `label_lt`) where the data give one. */
function named(record: object, key: string, language: DraftLanguage): string {
  const fields = record as Record<string, unknown>;
  const translated = language === "lt" ? fields[`${key}_lt`] : null;
  return typeof translated === "string" && translated ? translated : String(fields[key] ?? "");
}

const source = (p: IndicatorProgress) => `${INDICATORS_TABLE} · ${p.indicator.id}`;
const withPeriod = (value: string, period: string | null) => (period && value !== "–" ? `${value} (${period})` : value);

function indicatorRows(progress: readonly IndicatorProgress[], language: DraftLanguage): string[][] {
  const t = TEXT[language];
  return progress.map((p) => {
    const i = p.indicator;
    const checkpoints = p.checkpoints.map((c) => `${named(c, "label", language)}: ${t.qualified(c.value, c.qualifier)}`).join("; ");
    return [
      named(i, "name", language),
      withPeriod(t.number(i.baseline), i.baseline_period),
      t.number(i.target),
      withPeriod(t.qualified(i.achieved, i.achieved_qualifier), i.period) + (checkpoints ? ` [${checkpoints}]` : ""),
      p.percent_of_target === null ? "–" : `${t.number(p.percent_of_target, 1)} %`,
      source(p),
    ];
  });
}

/** The dashboard's sentence on what a row's exact test shows (evaluation-verdict.ts exactReading, strings-*.ts). */
function verdictSentence(r: OutcomeRow, tr: ReturnType<typeof strings>): string {
  const row = {
    significant: r.significant,
    exact_p: r.exact_test.p_value,
    too_small_to_show_change: tooSmallToShowChange(r),
    ci_low: r.exact_test.ci_low,
    ci_high: r.exact_test.ci_high,
  };
  const reading = exactReading(row, r.exact_test.confidence_level);
  const v = tr.evaluation.verdict;
  return reading === "significant"
    ? v.significant(tr.formatP(row.exact_p))
    : reading === "borderline"
      ? borderlineSentence(row, r.exact_test.confidence_level, tr)
      : reading === "tooSmall"
        ? v.tooSmall
        : v.chance;
}

/** The draft of one project in one language, as a document the Markdown, HTML and DOCX renderers share. */
export function ecpaDraft(report: ProjectReport, language: DraftLanguage): ReportDocument {
  const t = TEXT[language];
  const all = [...report.process, ...report.outcomeIndicators];
  const q11: Block[] =
    report.process.length > 0
      ? [paragraph(t.q11Intro(report.process.length)), table(t.q11, [...t.header], indicatorRows(report.process, language))]
      : [paragraph(t.q11None)];
  const q12: Block[] =
    report.outcomeIndicators.length > 0
      ? [paragraph(t.q12Intro(report.outcomeIndicators.length)), table(t.q12, [...t.header], indicatorRows(report.outcomeIndicators, language))]
      : [paragraph(t.q12None)];
  for (const o of report.outcomes) {
    if (!o.result) continue;
    // What the release rules withheld from a shared report (report/release.ts) is said, not left out silently.
    const withheld = o.result.caveat_codes.filter((c) => c?.code === "withheld_sensitive").map((c) => paragraph(caveatText(language, c!)));
    if (o.result.outcomes.length === 0) {
      q12.push(...withheld);
      continue;
    }
    const counts = o.result.outcomes.map((r) => `${t.caseType(r.case_type)} ${r.before} → ${r.after}`).join(", ");
    const total = o.result.outcomes[0]!;
    const design = evaluationDesign(o.result, { comparisonReached: o.spec.control_reached ?? null });
    const tr = strings(language);
    const e = total.exact_test;
    const interval =
      total.rate_ratio === null
        ? ""
        : t.q12Interval(
            tr.formatNumber(total.rate_ratio, 2),
            tr.formatShare(e.confidence_level),
            tr.formatNumber(e.ci_low, 2),
            e.ci_high === null ? "∞" : tr.formatNumber(e.ci_high, 2),
          );
    q12.push(
      paragraph(
        `${t.q12Incidents(named(o.spec, "title", language), counts, interval, formatP(e.p_value, 1 - e.confidence_level), language === "lt" ? `${design.label_lt} – ${design.reason_lt}` : `${design.label} — ${design.reason}`)} [${OUTCOMES_TABLE} · evaluation=${o.spec.id}]`,
      ),
    );
    // What the figures can and cannot show, in the dashboard's words (strings-*.ts), and the evaluation's caveats as its page lists them.
    const v = tr.evaluation.verdict;
    const totals = o.result.outcomes.filter((r) => r.case_type === "all");
    q12.push(paragraph(v.can), list((totals.length ? totals : o.result.outcomes).map((r) => verdictSentence(r, tr))));
    const control = named(o.spec, "control_note", language);
    q12.push(paragraph(v.cannot), list([o.result.control ? v.controlLimits : v.noControl, v.registered, ...(o.result.control && control ? [control] : [])]));
    const caveats = o.result.caveat_codes.filter((c) => c !== null).map((c) => caveatText(language, c));
    if (caveats.length > 0) q12.push(paragraph(tr.evaluation.caveatsTitle), list(caveats));
  }
  const funding = report.project.funding;
  const q16: Block[] = [];
  if (funding) {
    const amount = `${t.number(funding.amount, 0)} ${funding.currency}`;
    q16.push(paragraph(t.q16Funding(amount, funding.funder)));
    const reached = all.filter((p) => p.indicator.achieved !== null && p.indicator.achieved > 0 && p.indicator.kind === "process");
    if (reached.length > 0) {
      q16.push(paragraph(t.q16PerUnit));
      q16.push(
        list(
          reached.map(
            (p) =>
              `${t.per(`${t.number(funding.amount / p.indicator.achieved!, 2)} ${funding.currency}`, p.indicator.unit, named(p.indicator, "name", language))} [${source(p)}]`,
          ),
        ),
      );
    }
  } else q16.push(paragraph(t.q16None));
  const targeted = all.filter((p) => p.indicator.target !== null);
  const targets: Block[] =
    targeted.length > 0
      ? [
          table(
            t.targets,
            [...t.targetHeader],
            targeted.map((p) => [
              named(p.indicator, "name", language),
              t.number(p.indicator.target),
              t.qualified(p.indicator.achieved, p.indicator.achieved_qualifier),
              p.percent_of_target === null ? "–" : `${t.number(p.percent_of_target, 1)} %`,
              p.target_met === null ? "–" : p.target_met ? t.yes : t.no,
              source(p),
            ]),
          ),
        ]
      : [paragraph(t.targetsNone)];
  const sections: Section[] = [
    { title: t.q11, blocks: q11 },
    { title: t.q12, blocks: q12 },
    { title: t.q16, blocks: q16 },
    { title: t.q17, blocks: [paragraph(t.q17Text)] },
    { title: t.targets, blocks: targets },
  ];
  return { title: t.title(named(report.project, "title", language)), subtitle: t.subtitle, sections };
}
