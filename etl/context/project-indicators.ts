/**
 * The evaluated projects, their indicators and the outcome evaluations the product re-measures from the
 * lake (`data/projects/projects.json`): schema, types and a
 * loader that refuses a malformed file with the file name, the JSON path and the problem.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

// "2019", "2019-06" or "2019-06-30": the seeds date things to the year, the month or the day.
const DATE_PATTERN = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
const partialDate = z.string().regex(DATE_PATTERN, "expected YYYY, YYYY-MM or YYYY-MM-DD");
// A partial date or an ISO 8601 interval of two ("2019/2020"); a quarter is the interval of its months.
const PERIOD_PATTERN = /^\d{4}(-\d{2}(-\d{2})?)?(\/\d{4}(-\d{2}(-\d{2})?)?)?$/;
const periodText = z.string().regex(PERIOD_PATTERN, "expected YYYY[-MM[-DD]] or an interval A/B");
const count = z.number().finite().nonnegative();
const text = z.string().trim().min(1);
// A Lithuanian translation of the field before it (`title` → `title_lt`): optional, so a file in one language
// stays valid, and nullable, as the lake's context tables read it back where a file gave none.
const lithuanian = text.nullish();

/** How exactly a figure is stated: "8", "about 280", "over 8,000" / "more than 10". */
export const ValueQualifierSchema = z.enum(["exact", "approximate", "more_than"]);

/** An intermediate reading of an indicator (e.g. the mid-term evaluation). */
export const CheckpointSchema = z.strictObject({
  label: text,
  label_lt: lithuanian,
  date: partialDate.nullable(),
  value: count,
  /** "cumulative": total so far at `date`; "in_period": counted within the period that ends at `date`. */
  basis: z.enum(["cumulative", "in_period"]),
  qualifier: ValueQualifierSchema,
});

/**
 * One indicator of one project, with only the figures its seed document states: a figure the seed
 * does not give is null, and `note` says why. `source_quote` is the seed's own sentence(s).
 */
export const IndicatorSchema = z.strictObject({
  id: text,
  project_id: text,
  name: text,
  name_lt: lithuanian,
  kind: z.enum(["process", "outcome"]),
  unit: text,
  baseline: count.nullable(),
  baseline_period: periodText.nullable(),
  target: count.nullable(),
  achieved: count.nullable(),
  achieved_qualifier: ValueQualifierSchema.nullable(),
  period: periodText.nullable(),
  desired_direction: z.enum(["increase", "decrease"]),
  checkpoints: z.array(CheckpointSchema),
  source_document: text,
  source_quote: text,
  note: text.nullable(),
});

/** A project as its seed document describes it; unknown facts are null, never guessed. */
export const ProjectSchema = z.strictObject({
  id: text,
  title: text,
  title_lt: lithuanian,
  /** False when the seed has no title and `title` paraphrases its stated aim. */
  title_in_seed: z.boolean(),
  /** ISO 3166-1 alpha-2 of the implementing country, and of partner countries. */
  country: z.string().regex(/^[A-Z]{2}$/, "expected an ISO 3166-1 alpha-2 code"),
  partner_countries: z.array(z.string().regex(/^[A-Z]{2}$/, "expected an ISO 3166-1 alpha-2 code")),
  promoter: text.nullable(),
  promoter_lt: lithuanian,
  partners: z.array(text),
  programme: text.nullable(),
  programme_lt: lithuanian,
  funding: z.strictObject({ funder: text, amount: count, currency: z.string().regex(/^[A-Z]{3}$/) }).nullable(),
  period: z.strictObject({ start: partialDate.nullable(), end: partialDate.nullable() }),
  /** File name under ../shared/seeds/. */
  source_document: text,
  note: text.nullable(),
});

/**
 * An outcome evaluation the product re-measures from the lake's incidents for a project: the area,
 * periods and categories in the syntax of `hotspots evaluate`, and which of the project's indicators
 * each case type cross-checks. Projects without one have no incident data in the lake.
 */
export const OutcomeEvaluationSchema = z.strictObject({
  /** Evaluation id: the lake partition evaluations/outcomes/evaluation=<id>. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "expected lower-case letters, digits and '-' (it names a lake folder)"),
  project_id: text,
  title: text,
  title_lt: lithuanian,
  area: text,
  control: text.optional(),
  /** What the control is and is not, shown as a caveat. */
  control_note: text.optional(),
  control_note_lt: lithuanian,
  /** Whether the project also reached the control area (it is then no untreated control); absent: not stated. Rates the design. */
  control_reached: z.boolean().optional(),
  before: text,
  after: text,
  categories: z.array(text).min(1),
  /** Indicator id of this file for each case type it covers, to cross-check the lake against the seed. */
  indicators: z.record(text, text),
  /** Exposure indicator of the exposure statistics (e.g. data/context/immigration.csv), or null. */
  exposure: text.nullable(),
  /** Years of the history chart. */
  history: z.strictObject({ first: z.number().int(), last: z.number().int() }),
});

/**
 * The words of an indicator's unit (`unit`, e.g. "persons") for numbers: English singular and plural,
 * Lithuanian in the forms CLDR's plural categories one, few, many and other take ("1 asmuo", "2 asmenys",
 * "1,5 asmens", "10 asmenų"), so that text can make the noun agree with a number.
 */
export const UnitNamesSchema = z.strictObject({ en: z.tuple([text, text]), lt: z.tuple([text, text, text, text]) });

/**
 * The whole file. Beyond field types it checks what ties records together: unique ids, every
 * indicator's and outcome evaluation's project exists, an indicator shares its project's seed
 * document, an outcome evaluation cross-checks existing indicators of its own project, and
 * `achieved_qualifier` is set exactly when `achieved` is. Zod runs these cross-record checks only once every field is well typed, so a
 * file with type errors reports those first.
 */
export const ProjectsFileSchema = z
  .strictObject({
    schema_version: z.literal(1),
    projects: z.array(ProjectSchema).min(1),
    indicators: z.array(IndicatorSchema),
    units: z.record(text, UnitNamesSchema).optional(),
    outcome_evaluations: z.array(OutcomeEvaluationSchema).default([]),
  })
  .superRefine((file, ctx) => {
    const projects = new Map<string, Project>();
    file.projects.forEach((project, i) => {
      if (projects.has(project.id)) ctx.addIssue({ code: "custom", path: ["projects", i, "id"], message: `duplicate project id "${project.id}"` });
      projects.set(project.id, project);
    });
    const indicatorIds = new Set<string>();
    file.indicators.forEach((indicator, i) => {
      const at = (field: string) => ["indicators", i, field];
      if (indicatorIds.has(indicator.id)) ctx.addIssue({ code: "custom", path: at("id"), message: `duplicate indicator id "${indicator.id}"` });
      indicatorIds.add(indicator.id);
      const project = projects.get(indicator.project_id);
      if (!project) ctx.addIssue({ code: "custom", path: at("project_id"), message: `no project with id "${indicator.project_id}"` });
      else if (project.source_document !== indicator.source_document) {
        ctx.addIssue({ code: "custom", path: at("source_document"), message: `differs from project's "${project.source_document}"` });
      }
      if (file.units && !(indicator.unit in file.units)) {
        ctx.addIssue({ code: "custom", path: at("unit"), message: `"${indicator.unit}" has no entry in units: add its words there` });
      }
      if ((indicator.achieved === null) !== (indicator.achieved_qualifier === null)) {
        ctx.addIssue({ code: "custom", path: at("achieved_qualifier"), message: "must be null exactly when achieved is null" });
      }
    });
    const indicatorProject = new Map(file.indicators.map((i) => [i.id, i.project_id]));
    const evaluationIds = new Set<string>();
    file.outcome_evaluations.forEach((evaluation, i) => {
      const at = (...field: string[]) => ["outcome_evaluations", i, ...field];
      if (evaluationIds.has(evaluation.id)) ctx.addIssue({ code: "custom", path: at("id"), message: `duplicate outcome evaluation id "${evaluation.id}"` });
      evaluationIds.add(evaluation.id);
      if (!projects.has(evaluation.project_id))
        ctx.addIssue({ code: "custom", path: at("project_id"), message: `no project with id "${evaluation.project_id}"` });
      for (const [caseType, indicatorId] of Object.entries(evaluation.indicators)) {
        const owner = indicatorProject.get(indicatorId);
        if (owner === undefined) ctx.addIssue({ code: "custom", path: at("indicators", caseType), message: `no indicator with id "${indicatorId}"` });
        else if (owner !== evaluation.project_id)
          ctx.addIssue({ code: "custom", path: at("indicators", caseType), message: `indicator "${indicatorId}" belongs to project "${owner}"` });
      }
      if (evaluation.history.first > evaluation.history.last) ctx.addIssue({ code: "custom", path: at("history"), message: "first must not be after last" });
    });
  });

export type ValueQualifier = z.infer<typeof ValueQualifierSchema>;
export type Checkpoint = z.infer<typeof CheckpointSchema>;
export type Indicator = z.infer<typeof IndicatorSchema>;
export type Project = z.infer<typeof ProjectSchema>;
export type UnitNames = z.infer<typeof UnitNamesSchema>;
export type OutcomeEvaluationSpec = z.infer<typeof OutcomeEvaluationSchema>;
export type ProjectsFile = z.infer<typeof ProjectsFileSchema>;

/** The projects file is unreadable or invalid; `message` names the file, the JSON path and the problem. */
export class ProjectsFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: ${problems.join("; ")}`);
    this.name = "ProjectsFileError";
  }
}

/**
 * Reads and validates a projects file. Every problem is reported, each as `$.path: problem` (for
 * example `$.indicators[3].achieved: "n/a" is not a number: write null where the source gives no figure …`), so one run
 * shows a data owner all that needs fixing.
 */
export function loadProjects(path: string): ProjectsFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ProjectsFileError(path, [`cannot be read as JSON: ${(error as Error).message}`]);
  }
  const result = ProjectsFileSchema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  throw new ProjectsFileError(
    path,
    result.error.issues.map((issue) => `${jsonPath(issue.path)}: ${describe(issue)}`),
  );
}

function describe(issue: z.core.$ZodIssue): string {
  // Zod reports a missing key as "expected string, received undefined"; say what a person means.
  if (issue.code === "invalid_type" && issue.input === undefined) return `missing required field (expected ${issue.expected})`;
  // A figure typed as text ("n/a", "", "about 280"): say what to write instead.
  if (issue.code === "invalid_type" && issue.expected === "number" && typeof issue.input === "string") {
    const number = Number(issue.input.replaceAll(",", "").trim());
    const written = JSON.stringify(issue.input);
    if (issue.input.trim() !== "" && Number.isFinite(number)) return `${written} is text: write the figure as a JSON number, without quotes (${number})`;
    return acceptsNull(issue.path)
      ? `${written} is not a number: write null where the source gives no figure (and say why in note), or the figure as a JSON number (with achieved_qualifier for "about" or "over")`
      : `${written} is not a number: write the figure as a JSON number; this field cannot be null`;
  }
  // A quarter ("2021-Q2") is not an ISO 8601 date: give the form the field takes.
  const quarter = issue.code === "invalid_format" && typeof issue.input === "string" ? /^(\d{4})-?Q([1-4])$/i.exec(issue.input.trim()) : null;
  if (issue.code === "invalid_format" && quarter) {
    const [year, q] = [quarter[1]!, Number(quarter[2])];
    const month = (m: number) => `${year}-${String(m).padStart(2, "0")}`;
    return issue.pattern === String(PERIOD_PATTERN)
      ? `${JSON.stringify(issue.input)}: write a quarter as the interval of its months, "${month(3 * q - 2)}/${month(3 * q)}"`
      : `${JSON.stringify(issue.input)}: a date is YYYY, YYYY-MM or YYYY-MM-DD, not a quarter; write the month it refers to, e.g. "${month(3 * q)}" for the quarter's end`;
  }
  return issue.message;
}

/** Whether the field at `path` may be null (an indicator's baseline, target or achieved), so a missing figure is written null. */
function acceptsNull(path: readonly PropertyKey[]): boolean {
  const field = path.at(-1);
  if (path[0] !== "indicators" || path.length !== 3 || typeof field !== "string") return false;
  return (IndicatorSchema.shape as Record<string, z.ZodType>)[field]?.safeParse(null).success ?? false;
}

function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === "number") return `${out}[${key}]`;
    const name = String(key);
    return /^[A-Za-z_$][\w$]*$/.test(name) ? `${out}.${name}` : `${out}[${JSON.stringify(name)}]`;
  }, "$");
}
