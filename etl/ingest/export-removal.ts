import type { Manifest } from "../lake/manifest.ts";
import type { ExportIdentity } from "./export-identity.ts";
import { InputFileError } from "./open-input.ts";

/** Months an ingest takes out of the lake: of this export's earlier version, or of an export it supersedes. */
export interface Removal {
  /** The export as the user knows it (its path or id; see ExportIdentity). */
  export: string;
  months: string[];
  /** Incidents those months held. */
  rows: number;
}

/** The months of export `owner` (its file name in the lake) that `gone` picks, as a Removal. */
export function removal(manifest: Manifest, owner: string, gone: (month: string) => boolean): Removal {
  const entries = Object.values(manifest.tables.incidents ?? {}).filter((e) => e.source === owner && gone(e.month));
  const held = manifest.sources[owner];
  return { export: held?.export ?? held?.file ?? owner, months: entries.map((e) => e.month).sort(), rows: entries.reduce((s, e) => s + e.rows, 0) };
}

/**
 * A new version of an export that lacks months the old version holds would take them out of the
 * lake (q1 finding 3: the next half-year saved as the same export.csv wiped the first, exit 0).
 * Refused unless `replace` says the file replaces the export, months and all.
 */
export function refuseLostMonths(file: string, identity: ExportIdentity, own: Removal, replace: boolean): void {
  if (own.months.length === 0 || replace) return;
  throw new InputFileError(
    file,
    `is a new version of export '${identity.path}' of source '${identity.source}' that lacks months the lake holds from it: ` +
      `${monthList(own.months)} (${own.rows} incidents) would be removed; the lake was not changed`,
    "If it is another export (the next download saved under the same name), give it a name of its own: another file name, or --export-id <name>; " +
      "if it replaces that export, those months included, ingest it with --replace",
    (reason, advice) => `${reason}. ${advice}`,
  );
}

/** Months for a sentence: every one up to twelve, else the first and last six around how many lie between. */
export function monthList(months: readonly string[]): string {
  if (months.length <= 12) return months.join(", ");
  return `${months.slice(0, 6).join(", ")} … (${months.length - 12} more) … ${months.slice(-6).join(", ")}`;
}
