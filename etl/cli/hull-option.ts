import { Option } from "commander";
import { overrideValue } from "../config.ts";
import type { PipelineSettings } from "../settings.ts";

/** `--hull [ring]`, the same on every command that takes a study area (analyse, emerging, forecast, backtest, run, publish). */
export function hullOption(): Option {
  return new Option("--hull [ring]", "study area: hull of the incident cells plus this many rings (default 1) instead of the municipalities").argParser(
    (value: string): number => {
      // The ring count is optional, so `run --hull export.csv` hands the file to --hull: say how to write it.
      if (value.trim() === "" || Number.isNaN(Number(value)))
        throw new Error(`--hull takes an optional number of rings (0–10), not '${value}': write --hull 1 before the files, or --hull after them`);
      return overrideValue("hull", value, "--hull");
    },
  );
}

/** `--hull [ring]` as a ring count: a bare `--hull` is 1 ring; no flag is null (the municipalities). */
export const ring = (h: number | true | undefined): number | null => (h === undefined ? null : h === true ? 1 : h);

/** The study area's hull ring: `--hull`, else the configuration's `study_area: { hull }`, else null (the municipalities). */
export const hullRingOf = (hull: number | true | undefined, settings: PipelineSettings): number | null => ring(hull ?? settings.hullRing ?? undefined);
