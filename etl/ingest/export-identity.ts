import { createHash } from "node:crypto";
import { realpath } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";

/**
 * Which export a file is: its source and its path, so that a corrected version (same source, same
 * path) replaces exactly the earlier version's months and any other file, whatever its name, is
 * kept beside it (issue 17: partitions keyed by a slug of the name alone let `a/export.csv` replace
 * `b/export.csv`, and `Šiauliai 2019 Q1.csv` replace `siauliai-2019-q1.csv`).
 */
export interface ExportIdentity {
  /** The source description's id. */
  source: string;
  /**
   * The export within its source: an explicit id (the S3 upload's object key), or else the file's
   * real path (symlinks resolved) relative to the lake folder (or another base: see
   * IngestOptions.exportBase), with forward slashes, so the identity survives moving the project
   * folder with its lake, and a symlink is the file it points to.
   */
  path: string;
}

/** The identity of `file`, its path taken relative to `base` (the lake folder); `exportId` overrides the path (see ExportIdentity). */
export async function exportIdentity(file: string, base: string, source: string, exportId?: string): Promise<ExportIdentity> {
  if (exportId !== undefined) {
    if (exportId.trim() === "") throw new Error("an export id must not be empty: give the export's name within its source, e.g. its object key or folder/file");
    return { source, path: exportId };
  }
  const path = relative(await realPathOf(base), await realpath(file));
  return { source, path: path.split(sep).join("/") };
}

/**
 * The name of the export's files in the lake (its month partitions, its quarantine, its report in
 * the manifest): the slug of the export path's last part for people (a symlink's target's, an
 * object key's file name), then 12 hex digits of SHA-256 over source and path, so two exports never
 * share a name (a clash would need 2^24 exports for even odds).
 */
export function exportName(identity: ExportIdentity): string {
  const digest = createHash("sha256").update(`${identity.source}\n${identity.path}`).digest("hex").slice(0, 12);
  const last = identity.path.split("/").filter(Boolean).at(-1) ?? "";
  return `${/[a-z0-9]/i.test(last.normalize("NFKD")) ? fileSlug(last) : "export"}-${digest}`;
}

/** File name reduced to a safe partition-file name: `Siauliai 2019.csv.gz` → `siauliai-2019`. */
export function fileSlug(file: string): string {
  const stem = basename(file).replace(/(\.(csv|tsv|txt|jsonl|ndjson|json|geojson|xlsx))?(\.gz)?$/i, "");
  const slug = stem
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug === "") throw new Error(`cannot derive a partition name from the file name '${basename(file)}'`);
  return slug;
}

/** The real path of a folder that may not exist yet: its nearest existing ancestor's, resolved, plus the rest. */
async function realPathOf(dir: string): Promise<string> {
  try {
    return await realpath(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT" || dirname(dir) === dir) throw error;
    return join(await realPathOf(dirname(dir)), basename(dir));
  }
}
