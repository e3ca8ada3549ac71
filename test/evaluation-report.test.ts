import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Command } from "commander";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cliContext } from "../etl/cli/context.ts";
import { register } from "../etl/cli/evaluate-commands.ts";
import { withConnection } from "../etl/duckdb/connection.ts";
import { evaluationLayout } from "../etl/evaluation/lake/evaluation-tables.ts";
import { renderMarkdown } from "../etl/evaluation/report/report-markdown.ts";
import { defaultSettings } from "../etl/settings.ts";
import { writeProjectReports, type ReportSummary } from "../etl/evaluation/report/write-project-reports.ts";
import { buildFixtureLake } from "./evaluation-fixture-lake.ts";
import { projectRoot, SHARED_BOUNDARIES } from "./helpers/shared.ts";

let lake: string;
let out: string;
let summary: ReportSummary;

beforeAll(async () => {
  lake = await buildFixtureLake();
  out = await mkdtemp(join(tmpdir(), "reports-"));
  summary = await writeProjectReports({
    settings: defaultSettings({ lakeDir: lake, municipalitiesGeoJson: SHARED_BOUNDARIES }),
    outDir: out,
    projectsFile: resolve(projectRoot, "data", "projects", "projects.json"),
    exposureFile: resolve(projectRoot, "data", "context", "immigration.csv"),
  });
});
afterAll(async () => {
  await rm(dirname(lake), { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
});

const read = (project: string, file: string) => readFileSync(join(out, project, file), "utf8");
const csv = (project: string, file: string) => parse(read(project, file), { columns: true, bom: true }) as Record<string, string>[];

describe("per-project evaluation exports", () => {
  it("writes an export for each of the five seed projects, in the ECPA template's sections", () => {
    expect(summary.projects.map((p) => p.id)).toEqual([
      "we-are",
      "lt-no-organised-crime",
      "ro-no-itinerant-crime",
      "lt-no-domestic-violence",
      "bg-no-migrant-crisis-oc",
    ]);
    for (const p of summary.projects) {
      const md = read(p.id, "evaluation.md");
      for (const title of [
        "General information",
        "Process evaluation (ECPA question 11)",
        "Outcome evaluation (ECPA question 12)",
        "Caveats",
        "Methods and references",
      ])
        expect(md, p.id).toContain(title);
      for (const file of ["evaluation.html", "process-indicators.csv", "outcome-indicators.csv", "checkpoints.csv"])
        expect(existsSync(join(out, p.id, file)), `${p.id}/${file}`).toBe(true);
    }
  });

  it("shows We Are's Kuršėnai outcome with its tests, its cross-check against the seed and its charts", () => {
    const md = read("we-are", "evaluation.md");
    expect(md).toContain("drug possession: 3 → 8 (2 + 1 → 5 + 3 by case type");
    expect(md).toContain("counts this small cannot show a significant change");
    // The fixture lake's Kuršėnai history is 14 cases in 36 months: the time series is refused, and says why.
    expect(md).toContain(
      "Interrupted time series of drug possession (2017-01 … 2019-12, intervention 2019-01): refused — too sparse: 14 cases in 36 months (30 months with none)",
    );
    expect(md).toContain("A change of at least +407.4 % (a rise) would have been detectable with 80 % power; no fall would have been, not even to zero.");
    // Kuršėnai ×2.43 against Kairiai ×0.76 (the fixture's only other locality with drug cases): rank 1 of 2.
    expect(md).toContain("The evaluation area's ×2.43 ranks 1 of 2 by size of change (permutation p = 0.5;");
    // Its 24 months before hold fewer cases than the time series' floor: weights would fit monthly noise.
    expect(md).toMatch(
      /Synthetic control of drug possession: refused — too sparse: the evaluation area has \d+ cases? in the 24 months before the intervention, fewer than the 20 /,
    );
    expect(md).toContain("Design strength: Maryland SMS level 2: measures of crime before and after the programme, with no comparable control condition.");
    expect(md).toMatch(/\| we-are-kursenai-drug-pretrial \| pre-trial investigations \| 2 → 5 \| 2 → 5 \| yes \|/);
    const charts = [...md.matchAll(/!\[[^\]]*\]\(([^)]+\.svg)\)/g)].map((m) => m[1]!);
    expect(charts).toEqual([
      "process-targets.svg",
      "we-are-kursenai-drug-possession-before-after.svg",
      "we-are-kursenai-drug-possession-rate-ratios.svg",
      "we-are-kursenai-drug-possession-history.svg",
    ]);
    for (const chart of charts) expect(read("we-are", chart)).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\n$/);
    const tests = csv("we-are", "outcome-tests.csv");
    expect(tests.map((r) => [r.case_type, r.before, r.after, r.exact_p])).toEqual([
      ["all", "3", "8", "0.2265625"],
      ["pre_trial_investigation", "2", "5", "0.453125"],
      ["administrative_offence", "1", "3", "0.625"],
    ]);
  });

  it("makes the HTML self-contained and printable: inline SVG, no script, nothing fetched", () => {
    const html = read("we-are", "evaluation.html");
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain("@media print");
    expect(html).not.toMatch(/<script|<link|\ssrc=|\shref=/);
  });

  it("states process indicators with baseline, target, achieved and % of target in CSV", () => {
    const ro = csv("ro-no-itinerant-crime", "process-indicators.csv").find((r) => r.indicator_id === "ro-no-workshop-participants")!;
    expect([ro.target, ro.achieved, ro.target_met]).toEqual(["300", "538", "true"]);
    expect(Math.abs(Number(ro.percent_of_target) - 538 / 3)).toBeLessThanOrEqual(1e-9);
    expect(read("ro-no-itinerant-crime", "process-indicators.csv").startsWith("\uFEFFindicator_id,")).toBe(true);
    const checkpoints = csv("we-are", "checkpoints.csv");
    expect(checkpoints.map((c) => [c.value, c.cumulative, c.cumulative_qualifier])).toEqual([
      ["3000", "3000", "approximate"],
      ["8000", "11000", "more_than"],
    ]);
    expect(read("lt-no-organised-crime", "evaluation.md")).toContain("No process indicator has a stated target");
  });

  it("writes the indicator, checkpoint and outcome tables into the lake for the dashboard", async () => {
    const count = (dir: string) =>
      withConnection(async (c) =>
        Number(
          (
            await c.runAndReadAll(`SELECT count(*) AS n FROM read_parquet($glob, hive_partitioning = true)`, { glob: join(dir, "*", "*.parquet") })
          ).getRowObjectsJS()[0]!.n,
        ),
      );
    expect(await count(evaluationLayout.indicatorsDir(lake))).toBe(30);
    expect(await count(evaluationLayout.checkpointsDir(lake))).toBe(2);
    expect(await count(evaluationLayout.outcomesDir(lake))).toBe(3);
  });

  it("escapes Markdown in text", () => {
    const md = renderMarkdown({
      title: "a_b",
      subtitle: "*x*",
      sections: [{ title: "T", blocks: [{ kind: "table", caption: "c", header: ["h"], rows: [["1 | 2"]] }] }],
    });
    expect(md).toContain("# a\\_b\n\n\\*x\\*");
    expect(md).toContain("| 1 \\| 2 |");
  });
});

describe("the evaluate command", () => {
  // The global options as etl/cli/main.ts defines them.
  async function run(args: string[]): Promise<string> {
    const program = new Command("hotspots")
      .exitOverride()
      .configureOutput({ writeErr: () => undefined })
      .option("--lake <dir>")
      .option("--resolution <n>", "", (v) => Number(v), 8)
      .option("--k <n>", "", (v) => Number(v), 1)
      .option("--timezone <zone>", "", "Europe/Vilnius")
      .option("--geo <file>", "", SHARED_BOUNDARIES)
      .option("--municipality <name...>", "", ["Šiaulių m. sav."])
      .option("--json", "", false);
    register(program, cliContext(program));
    const chunks: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (chunks.push(String(chunk)), true));
    try {
      await program.parseAsync(["node", "hotspots", "--lake", lake, ...args]);
    } finally {
      spy.mockRestore();
    }
    return chunks.join("");
  }

  it("prints the Kuršėnai figures as JSON with --json after the command's options", async () => {
    const json = JSON.parse(await run(["evaluate", "--area", "Kuršėnai", "--before", "2018", "--after", "2019", "--category", "drug_possession", "--json"]));
    const total = json.outcomes[0];
    expect([total.before, total.after, total.exact_test.p_value]).toEqual([3, 8, 0.2265625]);
    expect(Math.abs(total.rate_ratio - 8 / 3)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(total.exact_test.ci_low - 0.640036)).toBeLessThanOrEqual(5e-7);
    expect(Math.abs(total.exact_test.ci_high - 15.606)).toBeLessThanOrEqual(5e-4);
    expect(Math.abs(total.e_test.p_value - 0.1407088692)).toBeLessThanOrEqual(1e-9);
    expect(json.summary[0]).toContain("counts this small cannot show a significant change");
    expect(total.exposure.area_code).toBe("LT026");
    expect([json.design.level, json.design.at_best]).toEqual([2, false]);
    const controlled = JSON.parse(
      await run([
        "evaluate",
        "--area",
        "Kuršėnai",
        "--control",
        "municipality:Šiaulių r. sav.",
        "--control-reached",
        "--before",
        "2018",
        "--after",
        "2019",
        "--category",
        "drug_possession",
        "--json",
      ]),
    );
    expect([controlled.design.level, controlled.design.at_best]).toEqual([2, false]);
    const text = await run([
      "evaluate",
      "--area",
      "Kuršėnai",
      "--before",
      "2018",
      "--after",
      "2019",
      "--category",
      "drug_possession",
      "--no-exposure",
      "--history-from",
      "2015",
    ]);
    expect(text).toContain(
      "Monthly history\n  Interrupted time series of drug possession (2017-01 … 2019-12, intervention 2019-01): refused — too sparse: 14 cases in 36 months",
    );
  });

  it("prints text for people, and refuses a bad confidence level", async () => {
    const text = await run(["evaluate", "--area", "Kuršėnai", "--before", "2018", "--after", "2019", "--category", "drug_possession", "--no-exposure"]);
    expect(text).toContain("Evaluation area: Kuršėnai (locality)");
    expect(text).toContain(
      "Design\n  Maryland SMS level 2: measures of crime before and after the programme, with no comparable control condition.\n  Why: a before/after comparison of the evaluation area alone",
    );
    expect(text).toContain("Counts this small cannot show a significant change");
    expect(text).not.toContain("Per 10,000");
    await expect(run(["evaluate", "--area", "Kuršėnai", "--before", "2018", "--after", "2019", "--confidence", "95"])).rejects.toThrow(
      /strictly between 0 and 1/,
    );
  });
});
