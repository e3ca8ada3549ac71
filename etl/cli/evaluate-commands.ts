import { resolve } from "node:path";
import { InvalidArgumentError, Option, type Command } from "commander";
import { PROJECT_ROOT } from "../config.ts";
import { loadImmigrationExposure } from "../context/immigration.ts";
import { evaluationTimeSeries, withTimeSeriesCaveats } from "../evaluation/its/outcome-time-series.ts";
import { evaluationDesign } from "../evaluation/report/evaluation-design.ts";
import { evaluationText } from "../evaluation/report/evaluation-summary.ts";
import { reportText, writeProjectReports } from "../evaluation/report/write-project-reports.ts";
import { runEvaluation } from "../evaluation/lake/run-evaluation.ts";
import { saveEvaluation } from "../evaluation/lake/evaluation-tables.ts";
import { releaseRules } from "../publish/release-rules.ts";
import type { CliContext } from "./context.ts";

const DEFAULT_EXPOSURE = resolve(PROJECT_ROOT, "data", "context", "immigration.csv");
const DEFAULT_PROJECTS = resolve(PROJECT_ROOT, "data", "projects", "projects.json");

/** Evaluation commands: `evaluate` (one before/after comparison) and `report` (per-project evaluation exports). */
export function register(program: Command, cli: CliContext): void {
  program
    .command("evaluate")
    .description(
      "before/after evaluation of an area: counts, change, exact rate-ratio test and E-test, rates per exposure, WDD against a control, WDQ/TNE with a buffer",
    )
    .requiredOption("--area <area>", "evaluation area: municipality, locality, GeoJSON file or H3 cells (prefixes municipality:, locality:, geojson:, h3:)")
    .requiredOption("--before <period>", "before period: YYYY, YYYY-MM, YYYY-MM-DD or a range A/B")
    .requiredOption("--after <period>", "after period: YYYY, YYYY-MM, YYYY-MM-DD or a range A/B")
    .option("--same-season", "use only the after period's months of the year within the before period", false)
    .option("--category <names...>", "offence categories (default: all present, and all offences together)")
    .option("--control <area>", "control area (the evaluation and buffer areas are excluded from it)")
    .option("--buffer <area>", "buffer (displacement) area around the evaluation area (the evaluation area is excluded from it)")
    .option("--buffer-control <area>", "control area for the buffer, for the displacement part of the WDD")
    .option(
      "--control-reached",
      "the project also reached the control area (it is no untreated control): rates the design level 2, not 3 (level 3 needs an untreated control)",
    )
    .option("--control-untreated", "the project did not reach the control area (without either flag its comparability is not stated)")
    .addOption(
      new Option("--desired <direction>", "desired direction of every indicator (default: increase for detection-driven offences, else decrease)").choices([
        "increase",
        "decrease",
      ]),
    )
    .option("--exposure <indicator>", "exposure indicator for rates per exposure", "immigrants_registered")
    .option("--no-exposure", "no rates per exposure")
    .option(
      "--exposure-file <csv>",
      "exposure table (long format); used only where its area (area_name, covers) holds the evaluated area's incidents",
      DEFAULT_EXPOSURE,
    )
    .option("--exposure-area <code>", "area code of the exposure series when the table has several")
    .addOption(new Option("--confidence <level>", "confidence level of intervals (significance level = 1 − level)").default(0.95).argParser(probability))
    .addOption(
      new Option(
        "--history-from <year>",
        "also fit an interrupted time series of each category over the monthly history from January of this year to the end of the after period",
      ).argParser(year),
    )
    .option("--save <id>", "also write the result to the lake table evaluations/outcomes under this id")
    .action(async (opts: EvaluateOptions) => {
      const settings = cli.settings();
      const exposure = opts.exposure === false ? null : loadImmigrationExposure(resolve(opts.exposureFile), opts.exposure, opts.exposureArea);
      const result = await runEvaluation({
        lakeDir: settings.lakeDir,
        timeZone: settings.timeZone,
        resolution: settings.resolution,
        municipalitiesGeoJson: settings.municipalitiesGeoJson,
        area: opts.area,
        control: opts.control,
        buffer: opts.buffer,
        bufferControl: opts.bufferControl,
        before: String(opts.before),
        after: String(opts.after),
        sameSeason: opts.sameSeason,
        categories: opts.category,
        desired: opts.desired,
        exposure,
        confidenceLevel: opts.confidence,
        sensitive: releaseRules(settings).sensitive,
      });
      if (opts.controlReached && opts.controlUntreated)
        throw new Error("--control-reached and --control-untreated contradict each other: give at most one of them");
      if (opts.save) await saveEvaluation(settings.lakeDir, opts.save, null, result, releaseRules(settings).sensitive);
      const comparisonReached = opts.controlReached ? true : opts.controlUntreated ? false : null;
      const timeSeries =
        opts.historyFrom === undefined
          ? null
          : await evaluationTimeSeries(
              {
                lakeDir: settings.lakeDir,
                timeZone: settings.timeZone,
                resolution: settings.resolution,
                municipalitiesGeoJson: settings.municipalitiesGeoJson,
              },
              { area: opts.area, categories: opts.category ?? [], firstYear: opts.historyFrom },
              result,
            );
      const fitted = (timeSeries ?? []).flatMap((t) => (t.its.refused ? [] : [t.its.pre_months]));
      const design = evaluationDesign(result, { comparisonReached, preMonths: fitted.length > 0 ? Math.min(...fitted) : 0 });
      cli.report({ ...withTimeSeriesCaveats(result, timeSeries ?? []), design, time_series: timeSeries }, evaluationText);
    });

  program
    .command("report")
    .description(
      "per-project evaluation exports following the ECPA template (process, outcome, caveats) as HTML, Markdown, SVG charts and CSV; evaluation tables into the lake",
    )
    .option("--project <ids...>", "project ids (default: every project)")
    .option("--out <dir>", "output folder (one sub-folder per project)", "reports")
    .option("--projects-file <json>", "projects and indicators", DEFAULT_PROJECTS)
    .option("--exposure-file <csv>", "exposure table (long format)", DEFAULT_EXPOSURE)
    .action(async (opts: { project?: string[]; out: string; projectsFile: string; exposureFile: string }) => {
      const settings = cli.settings();
      const summary = await writeProjectReports({
        settings,
        outDir: resolve(opts.out),
        projectsFile: resolve(opts.projectsFile),
        exposureFile: resolve(opts.exposureFile),
        projectIds: opts.project,
      });
      cli.report(summary, reportText);
    });
}

interface EvaluateOptions {
  area: string;
  before: string;
  after: string;
  sameSeason: boolean;
  category?: string[];
  control?: string;
  buffer?: string;
  bufferControl?: string;
  controlReached?: boolean;
  controlUntreated?: boolean;
  desired?: "increase" | "decrease";
  exposure: string | false;
  exposureFile: string;
  exposureArea?: string;
  confidence: number;
  save?: string;
  historyFrom?: number;
}

function year(value: string): number {
  const n = Number(value);
  if (!/^\d{4}$/.test(value)) throw new InvalidArgumentError("expected a four-digit year, e.g. 2015");
  return n;
}

function probability(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError("expected a number strictly between 0 and 1, e.g. 0.95");
  return n;
}
