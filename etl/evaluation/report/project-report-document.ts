import { categoryLabel, formatNumber } from "../format.ts";
import type { CategoryTimeSeries } from "../its/outcome-time-series.ts";
import { crossCheckReading, type ProjectReport } from "../lake/project-report.ts";
import { METHOD_NOTES, REFERENCES } from "../statistics/references.ts";
import { heading, list, paragraph, table, type ReportDocument, type Section } from "./report-document.ts";
import { outcomeSection } from "./report-outcome-section.ts";
import { processSection } from "./report-process-section.ts";

/** The CSV tables written beside every report. */
export const REPORT_TABLES = {
  process: "process-indicators.csv",
  outcome: "outcome-indicators.csv",
  checkpoints: "checkpoints.csv",
  tests: "outcome-tests.csv",
} as const;

/**
 * A project's evaluation export as a document in the order of the ECPA template: general
 * information (questions 1–6, 14–16), process evaluation (question 11), outcome evaluation
 * (question 12), then the caveats, the methods with their references, and the data files.
 */
export function projectReportDocument(report: ProjectReport, timeSeries: ReadonlyMap<string, readonly CategoryTimeSeries[]> = new Map()): ReportDocument {
  const p = report.project;
  const period = p.period.start || p.period.end ? `${p.period.start ?? "?"} – ${p.period.end ?? "?"}` : "not stated";
  const funding = p.funding ? `${p.funding.funder}: ${formatNumber(p.funding.amount, 0)} ${p.funding.currency}` : "not stated";
  const general: Section = {
    title: "General information (ECPA questions 1–6, 14–16)",
    blocks: [
      table(
        "Project",
        ["Field", "Value"],
        [
          ["Title", `${p.title}${p.title_in_seed ? "" : " (paraphrase: the source has no title)"}`],
          ["Country", [p.country, ...p.partner_countries].join(", ")],
          ["Responsible / promoter", p.promoter ?? "not stated"],
          ["Partners", p.partners.length > 0 ? p.partners.join("; ") : "not stated"],
          ["Programme", p.programme ?? "not stated"],
          ["Funding", funding],
          ["Period", period],
          ["Source document", `../shared/seeds/${p.source_document}`],
        ],
      ),
      ...(p.note ? [paragraph(p.note)] : []),
    ],
  };
  const caveats: Section = { title: "Caveats", blocks: [list(reportCaveats(report))] };
  const methods: Section = {
    title: "Methods and references",
    blocks: [list([...METHOD_NOTES]), heading("References"), list(Object.entries(REFERENCES).map(([key, text]) => `[${key}] ${text}`))],
  };
  const files: Section = {
    title: "Data files",
    blocks: [
      list([
        `${REPORT_TABLES.process}: process indicators with baseline, target, achieved, % of target and status.`,
        `${REPORT_TABLES.outcome}: outcome indicators as the source reports them.`,
        `${REPORT_TABLES.checkpoints}: interim readings of the indicators, with running totals.`,
        ...(report.outcomes.length > 0 ? [`${REPORT_TABLES.tests}: every before/after measure per category and case type, full precision.`] : []),
        "The same tables are in the lake under evaluations/ for the dashboard.",
      ]),
    ],
  };
  return {
    title: `Evaluation: ${p.title}`,
    subtitle: `Evaluation export following the European Crime Prevention Award template · project id ${p.id}`,
    sections: [general, processSection(report.process), outcomeSection(report.outcomeIndicators, report.outcomes, timeSeries), caveats, methods, files],
  };
}

/** The project's caveats: how its figures were read, then each evaluation's own caveats (once each). */
export function reportCaveats(report: ProjectReport): string[] {
  const caveats = ["Figures are as the source document states them: “about” and “over” are kept, and a figure the source does not give is never estimated."];
  const all = [...report.process, ...report.outcomeIndicators];
  if (report.process.length > 0 && report.process.every((p) => p.indicator.target === null)) {
    caveats.push(
      "The source states no targets for the process indicators, so the process evaluation can show what was done but not how it compares with the plan.",
    );
  }
  if (all.some((p) => p.indicator.achieved === null && p.checkpoints.some((c) => c.basis === "in_period"))) {
    caveats.push("A running total that adds checkpoints counted within separate periods assumes nobody is counted in more than one period.");
  }
  const linked = new Set(report.outcomes.flatMap((o) => Object.values(o.spec.indicators)));
  if (report.outcomeIndicators.some((p) => !linked.has(p.indicator.id))) {
    caveats.push(
      "Outcome indicators other than registered incidents are counts the project reports (meetings, lectures, inspections, people helped): they show what was done, and are not tested statistically — they are decisions, not random events.",
    );
  }
  if (!report.project.title_in_seed) caveats.push("The source gives no title; the title paraphrases its stated aim.");
  for (const outcome of report.outcomes) {
    if (outcome.spec.control_note) caveats.push(outcome.spec.control_note);
    for (const c of outcome.crossChecks.filter((c) => !c.agrees)) {
      const counts = `The lake's ${c.case_type.replaceAll("_", " ")} counts (${c.lake_before} → ${c.lake_after})`;
      caveats.push(
        crossCheckReading(c) === "excluded"
          ? `${counts} are below the source's (${c.seed_before} → ${c.seed_after}) for ${c.indicator_id}, but are not the same figure: they leave out ${c.lake_excludes.map(categoryLabel).join(", ")} (all offences here are counted without the sensitive categories), which the source's may count, so the difference may be that alone.`
          : `${counts} differ from the source's (${c.seed_before} → ${c.seed_after}) for ${c.indicator_id}.`,
      );
    }
    for (const c of outcome.result?.caveats ?? []) if (!caveats.includes(c)) caveats.push(c);
  }
  return caveats;
}
