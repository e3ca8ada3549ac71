import { resolve } from "node:path";
import { InvalidArgumentError, Option, type Command } from "commander";
import { countPhrase } from "../../dashboard/src/components/grammar.js";
import { checkPublishedResolution } from "../analytics/output-resolution.ts";
import { studyOutlines, writeBriefing, type BriefingSummary } from "../briefing/write-briefing.ts";
import { briefingMonth } from "../briefing/site-briefing.ts";
import { PROJECT_ROOT } from "../config.ts";
import { readManifest } from "../lake/manifest.ts";
import { releaseRules } from "../publish/release-rules.ts";
import type { CliContext } from "./context.ts";

/** `briefing`: the monthly patrol briefing (HTML and PDF, Lithuanian and English) from the lake's forecast. */
export function register(program: Command, cli: CliContext): void {
  program
    .command("briefing")
    .description(
      "the monthly patrol briefing: patrol areas by place name, why and when, and last month's accuracy, as HTML and A4 PDF in Lithuanian and English",
    )
    .addOption(
      new Option(
        "--month <YYYY-MM>",
        "the forecast month (default: the month after the lake's analysed ones, the current month when it has not ended)",
      ).argParser(monthArgument),
    )
    .option("--out <dir>", "output folder", resolve(PROJECT_ROOT, "reports", "briefing"))
    .addOption(new Option("--lang <languages...>", "languages").choices(["lt", "en"]).default(["lt", "en"]))
    .option("--places <csv>", "named places for describing where the areas are (name,name_en,kind,population,lon,lat; default: the configuration's places)")
    .option("--no-places", "describe areas by coordinates only (data outside the place file's country)")
    .option("--no-pdf", "write the HTML only")
    .action(async (opts: { month?: string; out: string; lang: Array<"lt" | "en">; places?: string | false; pdf: boolean }) => {
      const settings = cli.settings();
      const manifest = await readManifest(settings.lakeDir, settings.timeZone, settings.resolution);
      // The briefing's map and counts per area: one resolution, the outputs' (any, whatever the lake stores; see checkPublishedResolution).
      checkPublishedResolution(manifest, settings.resolution, "the briefing");
      const month = opts.month ?? briefingMonth(manifest, settings.now);
      if (month === null)
        throw new Error(
          `the lake at ${settings.lakeDir} holds no incidents of a month that has ended: ingest an export and compute its analytics first (hotspots run --source <description.yaml> <file>)`,
        );
      const rules = releaseRules(settings);
      const summary = await writeBriefing({
        lakeDir: settings.lakeDir,
        month,
        timeZone: settings.timeZone,
        k: settings.k,
        outDir: resolve(opts.out),
        languages: opts.lang,
        // A hull study area: no municipalities (they are the bundled demo's defaults then); briefingPages draws its outline.
        outlines:
          settings.hullRing != null
            ? { type: "FeatureCollection", features: [] }
            : await studyOutlines(settings.municipalitiesGeoJson, settings.studyMunicipalities),
        placesCsv: opts.places === false ? null : opts.places !== undefined ? resolve(opts.places) : (settings.placesCsv ?? null),
        suppressionThreshold: rules.threshold,
        sensitiveCategories: rules.sensitive,
        // The manifest read above: the released emerging hot spots (the areas' patterns) are computed with it, as publish does.
        manifest,
        pdf: opts.pdf,
      });
      cli.report(summary, briefingText);
    });
}

/** The command's text report (the CLI speaks English; the count agrees: "1 area", "8 areas"). */
export function briefingText(summary: BriefingSummary): string {
  return [`Patrol briefing for ${summary.month}: ${countPhrase("en", summary.areas, "area")} listed`, ...summary.files.map((f) => `  ${f}`)].join("\n");
}

function monthArgument(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new InvalidArgumentError("expected a month as YYYY-MM, e.g. 2022-01");
  return value;
}
