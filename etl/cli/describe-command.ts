import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { InvalidArgumentError, Option, type Command } from "commander";
import { DEFAULT_CONFIG_FILE, DEFAULTS, loadProjectConfig } from "../config.ts";
import { municipalityRings } from "../geo/municipality-index.ts";
import { readMunicipalities } from "../geo/municipalities.ts";
import { describeFile, type FileDescription } from "../ingest/describe-file.ts";
import { crsProblem, SUPPORTED_CRS_TEXT } from "../ingest/crs.ts";
import { fileSlug } from "../ingest/export-identity.ts";
import { sourceDescriptionSchema, type SourceDescription } from "../ingest/source-description.ts";
import { isUneditedProposal } from "../ingest/source-yaml.ts";
import type { CliContext } from "./context.ts";

/** Exit code of `describe` when the description was written but something could not be decided, or its trial fails. */
export const EXIT_UNDECIDED = 2;

/** `describe FILE`: proposes a source description for an export, tries it on a sample and writes it as commented YAML. */
export function register(program: Command, cli: CliContext): void {
  program
    .command("describe")
    .description(
      "sniff an export (CSV, JSON Lines, GeoJSON or an Excel workbook; gzip) and write a commented source description to review: encoding, delimiter, columns, time format, CRS, bounds, time zone, categories",
    )
    .argument("<file>", "the export to describe")
    .option("--out <file>", "where to write the description (default: <file name>.yaml in the current folder)")
    .option("--force", "replace the --out file even when it was edited since describe wrote it")
    .addOption(
      new Option("--crs <code>", `the CRS of projected x/y (metres), which values alone cannot tell: ${SUPPORTED_CRS_TEXT}`).argParser((code: string) => {
        const problem = crsProblem(code);
        if (problem) throw new InvalidArgumentError(problem);
        return code;
      }),
    )
    .addOption(
      new Option("--encoding <name>", "the encoding of a file that is not UTF-8, where its bytes alone do not tell").choices(
        sourceDescriptionSchema.shape.encoding.unwrap().options,
      ),
    )
    .option("--sheet <name>", "the sheet of an Excel workbook (.xlsx) that holds the incidents (default: the first)")
    .action(
      async (
        file: string,
        opts: { out?: string; force?: boolean; crs?: SourceDescription["crs"]; encoding?: SourceDescription["encoding"]; sheet?: string },
      ) => {
        // Checked first, so that a refusal costs no reading of the export. The proposal's id is the file's slug.
        const out = resolve(opts.out ?? `${fileSlug(file)}.yaml`);
        if (!opts.force) await refuseEdited(out);
        const described = await describeFile(resolve(file), {
          ...(opts.crs ? { crs: opts.crs } : {}),
          ...(opts.encoding ? { encoding: opts.encoding } : {}),
          ...(opts.sheet ? { sheet: opts.sheet } : {}),
        });
        await writeFile(out, described.yaml);
        const bounds = described.proposal.description.bounds;
        const outsideDefaultArea = bounds !== undefined && !(await defaultStudyAreaMeets(bounds));
        cli.report({ ...described, out, outsideDefaultArea }, describeText);
        if (!described.complete || described.sample?.failure) process.exitCode = EXIT_UNDECIDED;
      },
    );
}

/**
 * Refuses to replace a description someone has edited (or that describe did not write): describe
 * proposes afresh from the export and reads nothing of the old file, so the edits would be lost.
 */
export async function refuseEdited(out: string): Promise<void> {
  const existing = await readFile(out, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (existing === null || isUneditedProposal(existing)) return;
  throw new Error(
    `${out} exists and was edited since describe wrote it (or describe did not write it); describe proposes afresh from the export and would lose the edits. Ingest with it as it is (hotspots ingest --source ${out} FILE), write the new proposal elsewhere with --out, or give --force to replace it`,
  );
}

/**
 * Whether `bounds` meet the study area of the default project configuration (data/project.yaml, the
 * bundled demo's Šiauliai municipalities), which every command uses when neither --config nor the
 * lake gives one. A hull study area meets any place.
 */
async function defaultStudyAreaMeets([west, south, east, north]: readonly number[]): Promise<boolean> {
  const area = loadProjectConfig(DEFAULT_CONFIG_FILE).study_area;
  if (!("municipalities" in area)) return true;
  const { rings } = municipalityRings(await readMunicipalities(area.boundaries ?? DEFAULTS.municipalitiesGeoJson), "");
  const points = area.municipalities.flatMap((name) => (rings[name] ?? []).flat());
  const lons = points.map((p) => p[0]!);
  const lats = points.map((p) => p[1]!);
  // Boxes that meet: the study area's box and the bounds overlap on both axes.
  return points.length > 0 && west! <= Math.max(...lons) && east! >= Math.min(...lons) && south! <= Math.max(...lats) && north! >= Math.min(...lats);
}

/** The command to run next; outside the default configuration's area, with a configuration of the user's own place first. */
function nextSteps(d: FileDescription & { out: string; outsideDefaultArea?: boolean }): string[] {
  if (!d.outsideDefaultArea) return [`  next: hotspots --lake <new lake folder> ingest --source ${d.out} ${d.file}`];
  return [
    `  next: this place lies outside the default project configuration (${DEFAULT_CONFIG_FILE}, the bundled demo's study area): copy it, write this place's title, categories (every one the description maps to), study_area (your boundaries, or { hull: 1 }: the incidents' hull) and places (or null), then`,
    `        hotspots --config <your project.yaml> --lake <new lake folder> ingest --source ${d.out} ${d.file}`,
    "        (the lake records the configuration for later commands; without one, analyse, run and publish take --hull)",
  ];
}

export function describeText(d: FileDescription & { out: string; outsideDefaultArea?: boolean }): string {
  const lines = [`Wrote ${d.out}`];
  if (d.sample) {
    const reasons = Object.entries(d.sample.quarantined).sort((a, b) => b[1] - a[1]);
    lines.push(
      `  tried on the first ${d.sample.rows.toLocaleString("en")} rows: ${d.sample.ingested.toLocaleString("en")} kept, ${(d.sample.rows - d.sample.ingested).toLocaleString("en")} quarantined${reasons.length ? ` (${reasons.map(([r, n]) => `${r} ${n}`).join(", ")})` : ""}`,
    );
    lines.push(
      ...(d.sample.failure
        ? [
            `  not ready to ingest: ${d.sample.failure}. Correct the description (or the export) and describe again, or edit the written file and try it with ingest into a throw-away lake`,
          ]
        : nextSteps(d)),
    );
  } else if (d.complete) {
    // A GeoJSON file longer than the sample is one value: no sample of it could be tried.
    lines.push(
      "  not tried on a sample (a GeoJSON file is one value, and this one is longer than the part read): ingest it into a throw-away lake first to see what is quarantined",
      ...nextSteps(d),
    );
  }
  if (d.proposal.undecided.length > 0)
    lines.push(
      "  could not decide (write these in the file and ingest with it — describe again would propose afresh and refuses to replace an edited file — or give the option named and describe again):",
      ...d.proposal.undecided.map((u) => `  - ${u}`),
    );
  return lines.join("\n");
}
