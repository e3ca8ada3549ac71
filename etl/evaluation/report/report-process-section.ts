import { targetsChart } from "./chart-targets.ts";
import { formatNumber, formatPercent, formatSigned } from "../format.ts";
import { isShareUnit, qualified, type IndicatorProgress } from "../statistics/process-indicators.ts";
import { heading, list, paragraph, table, type Block, type Section } from "./report-document.ts";

const PROCESS_INTRO =
  "Process evaluation (also called implementation evaluation or monitoring) documents how the activities were implemented, to find deviations from the original planning (ECPA template, question 11). Figures are as the source document states them; a figure it does not give is shown as –.";

/** Baseline, target, achieved and % of target of each indicator, as a report table. */
export function indicatorTable(caption: string, progress: readonly IndicatorProgress[]): Block {
  return table(
    caption,
    ["Indicator", "Unit", "Baseline", "Target", "Achieved", "% of target", "Change from baseline", "Desired", "Status"],
    progress.map((p) => {
      const i = p.indicator;
      return [
        i.name,
        i.unit,
        i.baseline === null ? "–" : `${formatNumber(i.baseline)}${i.baseline_period ? ` (${i.baseline_period})` : ""}`,
        formatNumber(i.target),
        `${qualified(i.achieved, i.achieved_qualifier)}${i.period && i.achieved !== null ? ` (${i.period})` : ""}`,
        p.percent_of_target === null ? "–" : `${formatNumber(p.percent_of_target, 1)} %`,
        p.change_from_baseline === null
          ? "–"
          : isShareUnit(i.unit)
            ? `${formatSigned(p.change_from_baseline)} percentage points`
            : `${formatSigned(p.change_from_baseline)} (${formatPercent(p.percent_change_from_baseline)})`,
        i.desired_direction,
        p.status,
      ];
    }),
    [false, false, true, true, true, true, true, false, false],
  );
}

/** The checkpoints of the indicators that have any, with running totals and share of target. */
export function checkpointTable(progress: readonly IndicatorProgress[]): Block | null {
  const rows = progress.flatMap((p) =>
    p.checkpoints.map((c) => [
      p.indicator.name,
      c.label,
      c.date ?? "–",
      qualified(c.value, c.qualifier),
      c.basis === "cumulative" ? "total so far" : "within the period",
      qualified(c.cumulative, c.cumulative_qualifier),
      c.percent_of_target === null ? "–" : `${formatNumber(c.percent_of_target, 0)} %`,
    ]),
  );
  if (rows.length === 0) return null;
  return table("Checkpoints (interim readings)", ["Indicator", "Checkpoint", "Date", "Value", "Basis", "Running total", "% of target"], rows, [
    false,
    false,
    false,
    true,
    false,
    true,
    true,
  ]);
}

/** Section "Process evaluation": the process indicators, their checkpoints, the chart and the sources' sentences. */
export function processSection(progress: readonly IndicatorProgress[]): Section {
  const blocks: Block[] = [paragraph(PROCESS_INTRO)];
  if (progress.length === 0) {
    blocks.push(paragraph("The source states no process indicators for this project."));
    return { title: "Process evaluation (ECPA question 11)", blocks };
  }
  blocks.push(indicatorTable("Process indicators", progress));
  const checkpoints = checkpointTable(progress);
  if (checkpoints) blocks.push(checkpoints);
  const chart = targetsChart(progress, "Process indicators against target");
  if (chart) {
    blocks.push({
      kind: "chart",
      file: "process-targets.svg",
      svg: chart,
      caption: "Share of target reached; a bar split into parts shows the checkpoints' increments. The red line is the target.",
    });
  } else {
    blocks.push(paragraph("No process indicator has a stated target, so implementation cannot be compared with a plan."));
  }
  blocks.push(heading("What the source says"));
  blocks.push(list(progress.map((p) => `${p.indicator.name}: “${p.indicator.source_quote}”${p.indicator.note ? ` Note: ${p.indicator.note}` : ""}`)));
  return { title: "Process evaluation (ECPA question 11)", blocks };
}
