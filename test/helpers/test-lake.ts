import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ingestStage } from "../../etl/pipeline.ts";
import { defaultSettings, type PipelineSettings } from "../../etl/settings.ts";
import { SHARED_BOUNDARIES } from "./shared.ts";

/** A test's lake in `dir`: the lake in dir/lake, its dashboard in dir/dashboard, the shared boundaries, and `overrides`. */
export function testLakeSettings(dir: string, overrides: Partial<PipelineSettings> = {}): PipelineSettings {
  return defaultSettings({ lakeDir: join(dir, "lake"), municipalitiesGeoJson: SHARED_BOUNDARIES, dashboardDir: join(dir, "dashboard"), ...overrides });
}

/** Writes an export's text to `file` and ingests it into the settings' lake. */
export async function ingestText(settings: PipelineSettings, file: string, text: string) {
  await writeFile(file, text);
  return ingestStage([file], settings);
}
