import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { Option, type Command } from "commander";
import { describeFile, type FileDescription } from "../ingest/describe-file.ts";
import { sourceDescriptionSchema, type SourceDescription } from "../ingest/source-description.ts";
import type { CliContext } from "./context.ts";

/** Exit code of `describe` when the description was written but something could not be decided. */
export const EXIT_UNDECIDED = 2;

/** `describe FILE`: proposes a source description for an export, tries it on a sample and writes it as commented YAML. */
export function register(program: Command, cli: CliContext): void {
  program
    .command("describe")
    .description(
      "sniff an export (CSV, JSON Lines or GeoJSON; gzip) and write a commented source description to review: encoding, delimiter, columns, time format, CRS, bounds, time zone, categories",
    )
    .argument("<file>", "the export to describe")
    .option("--out <file>", "where to write the description (default: <file name>.yaml in the current folder)")
    .addOption(
      new Option("--crs <code>", "the CRS of projected x/y (metres), which values alone cannot tell").choices(
        sourceDescriptionSchema.shape.crs.unwrap().options,
      ),
    )
    .addOption(
      new Option("--encoding <name>", "the encoding of a file that is not UTF-8, where its bytes alone do not tell").choices(
        sourceDescriptionSchema.shape.encoding.unwrap().options,
      ),
    )
    .action(async (file: string, opts: { out?: string; crs?: SourceDescription["crs"]; encoding?: SourceDescription["encoding"] }) => {
      const described = await describeFile(resolve(file), { ...(opts.crs ? { crs: opts.crs } : {}), ...(opts.encoding ? { encoding: opts.encoding } : {}) });
      const out = resolve(opts.out ?? `${described.proposal.description.id}.yaml`);
      await writeFile(out, described.yaml);
      cli.report({ ...described, out }, describeText);
      if (!described.complete) process.exitCode = EXIT_UNDECIDED;
    });
}

export function describeText(d: FileDescription & { out: string }): string {
  const lines = [`Wrote ${d.out}`];
  if (d.sample) {
    const reasons = Object.entries(d.sample.quarantined).sort((a, b) => b[1] - a[1]);
    lines.push(
      `  tried on the first ${d.sample.rows.toLocaleString("en")} rows: ${d.sample.ingested.toLocaleString("en")} kept, ${(d.sample.rows - d.sample.ingested).toLocaleString("en")} quarantined${reasons.length ? ` (${reasons.map(([r, n]) => `${r} ${n}`).join(", ")})` : ""}`,
    );
    lines.push(`  next: hotspots --lake <new lake folder> ingest --source ${d.out} ${d.file}`);
  } else if (d.complete) {
    // A GeoJSON file longer than the sample is one value: no sample of it could be tried.
    lines.push(
      "  not tried on a sample (a GeoJSON file is one value, and this one is longer than the part read): ingest it into a throw-away lake first to see what is quarantined",
      `  next: hotspots --lake <new lake folder> ingest --source ${d.out} ${d.file}`,
    );
  }
  if (d.proposal.undecided.length > 0)
    lines.push("  could not decide (write these in the file, or give the option named, and describe again):", ...d.proposal.undecided.map((u) => `  - ${u}`));
  return lines.join("\n");
}
