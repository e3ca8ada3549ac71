import { createHash } from "node:crypto";
import { stringify } from "yaml";
import type { SourceProposal } from "./propose-source.ts";

/**
 * A proposed source description as the commented YAML of data/sources/*.yaml: each decision with
 * a comment saying what it was made from, and what could not be decided at the top, so a reviewer
 * sees first what to write.
 */
export function sourceYaml(proposal: SourceProposal, file: string): string {
  const { description: d, notes, undecided } = proposal;
  const lines: string[] = [`# ${file} — proposed by \`hotspots describe\`; review the comments, then ingest with --source this file.`];
  if (undecided.length > 0) lines.push("# COULD NOT DECIDE (write these before ingesting):", ...undecided.map((u) => `#  - ${u}`));
  const comment = (key: string) => (notes[key] ? [`# ${notes[key]}`] : []);
  const field = (key: string, value: unknown) => (value === undefined ? [] : [`${key}: ${inline(value)}`]);
  lines.push(
    ...field("id", d.id),
    ...field("title", d.title),
    ...comment("format"),
    ...field("format", d.format),
    ...field("sheet", d.sheet),
    ...field("encoding", d.encoding),
    ...field("delimiter", d.delimiter === "\t" ? "tab" : d.delimiter),
    ...field("decimal", d.decimal),
  );
  lines.push(
    ...comment("timezone"),
    ...field("timezone", d.timezone),
    ...comment("crs"),
    ...field("crs", d.crs),
    ...comment("bounds"),
    ...field("bounds", d.bounds),
  );
  lines.push("columns:");
  for (const key of ["id", "time", "x", "y", "point", "offence", "municipality", "locality"] as const) {
    const value = d.columns[key];
    if (value === undefined) {
      if (key === "id" && notes.id) lines.push(`  # ${notes.id}`);
      continue;
    }
    if (notes[key] && key !== "x" && key !== "y") lines.push(`  # ${notes[key]}`);
    lines.push(`  ${key}: ${inline(value)}`);
  }
  lines.push(...comment("categories"), "categories:");
  for (const [raw, category] of Object.entries(d.categories ?? {})) lines.push(`  ${inline(raw)}: ${category}`);
  if (d.repeated_ids) lines.push(...field("repeated_ids", d.repeated_ids));
  const body = `${lines.join("\n")}\n`;
  return `${body}${FINGERPRINT}${fingerprint(body)}\n`;
}

// The last line of a proposal: a digest of the lines above it, so that `describe` run again can tell
// its own unedited proposal (replaced freely) from a description a reviewer has edited (kept).
const FINGERPRINT = "# written by hotspots describe; unedited while this digest matches: ";
const fingerprint = (body: string) => createHash("sha256").update(body).digest("hex").slice(0, 16);

/** Whether `text` is a proposal exactly as `describe` wrote it (no line edited, added or removed). */
export function isUneditedProposal(text: string): boolean {
  const at = text.lastIndexOf(`\n${FINGERPRINT}`);
  if (at < 0) return false;
  const body = text.slice(0, at + 1);
  return text === `${body}${FINGERPRINT}${fingerprint(body)}\n`;
}

/** One YAML value on one line (flow style), strings quoted only where YAML needs it. */
function inline(value: unknown): string {
  return stringify(value, { collectionStyle: "flow", lineWidth: 0, defaultStringType: "PLAIN", defaultKeyType: "PLAIN" }).trimEnd();
}
