import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CONFIG_DEFAULTS } from "../config.ts";
import { fileSlug } from "./export-identity.ts";
import { fileExtent } from "./file-extent.ts";
import { ingestFile } from "./ingest-file.ts";
import { DEFAULT_MAX_QUARANTINED_SHARE, quarantineFailure } from "./ingest-verdict.ts";
import { proposeSource, type SourceProposal } from "./propose-source.ts";
import { sniffTable } from "./sniff-file.ts";
import { parseSourceDescription, type SourceDescription } from "./source-description.ts";
import { sourceYaml } from "./source-yaml.ts";

/** What `hotspots describe` found: the commented YAML, the proposal, and how the sample fared. */
export interface FileDescription {
  file: string;
  yaml: string;
  proposal: SourceProposal;
  /** The sample ingested with the proposal into a throw-away lake: rows read, kept, quarantined by reason. */
  sample: {
    rows: number;
    ingested: number;
    quarantined: Record<string, number>;
    /** Why the real ingest would fail on rows like these (more quarantined than it allows), with the likely cause. */
    failure?: string;
  } | null;
  /** Whether the description is complete and valid (nothing left undecided). */
  complete: boolean;
}

/** Rows of the file the proposal is tried on. */
export const SAMPLE_ROWS = 20_000;

/**
 * Sniffs `file`, proposes its source description and, when the proposal is complete, ingests the
 * first SAMPLE_ROWS rows with it into a temporary lake — the ingest's own validation, so the
 * reasons counted are exactly those the real ingest would give for those rows.
 */
export async function describeFile(
  file: string,
  hints: { crs?: SourceDescription["crs"]; encoding?: SourceDescription["encoding"]; sheet?: string } = {},
): Promise<FileDescription> {
  let table = await sniffTable(file, { ...(hints.encoding ? { encoding: hints.encoding } : {}), ...(hints.sheet ? { sheet: hints.sheet } : {}) });
  const name = fileSlug(file);
  let proposal = proposeSource(table, name, hints);
  // chardet tells Baltic from Western European letters poorly on short texts (a Riga export came out
  // as windows-1252, "Pārkāpuma" as "Pârkâpuma"); the place the points lie in decides between them.
  const local = table.encodingGuessed && proposal.description.timezone ? codePageOf(proposal.description.timezone) : undefined;
  if (local && local !== table.encoding) {
    table = await sniffTable(file, { encoding: local });
    proposal = proposeSource(table, name, hints);
    proposal.notes.format = `${proposal.notes.format}; not UTF-8: ${local}, the code page of ${proposal.description.timezone} (give --encoding if it is another)`;
  }
  if (table.truncated) await boundsOverWholeFile(file, proposal);
  const yaml = sourceYaml(proposal, file);
  let description: SourceDescription | null = null;
  if (proposal.undecided.length === 0) {
    try {
      description = parseSourceDescription(proposal.description, file);
    } catch (error) {
      proposal.undecided.push(`the proposal is not a valid description: ${(error as Error).message}`);
    }
  }
  if (!description) return { file, yaml: sourceYaml(proposal, file), proposal, sample: null, complete: false };
  const dir = await mkdtemp(join(tmpdir(), "describe-"));
  try {
    // CSV and JSON Lines: the sample's first lines; GeoJSON is one value, tried whole when the sample holds all of it.
    if (table.format === "geojson" && table.truncated) return { file, yaml, proposal, sample: null, complete: true };
    // A workbook's sample is its rows' texts written as CSV (sniffTable): the mapping is tried on exactly what it reads.
    const workbook = table.format === "xlsx";
    const sample = join(dir, `${name}.${workbook ? "csv" : table.format}`);
    await writeFile(
      sample,
      table.format === "geojson" ? table.sampleBytes : sampleLines(table.sampleBytes, table.format === "jsonl" ? SAMPLE_ROWS : SAMPLE_ROWS + 1),
    );
    const { sheet: _sheet, ...asCsv } = description;
    const report = await ingestFile(sample, {
      lakeDir: join(dir, "lake"),
      resolution: CONFIG_DEFAULTS.h3Resolution,
      timeZone: description.timezone,
      source: workbook ? { ...asCsv, format: "csv", encoding: "utf-8", delimiter: "," } : description,
      readers: 0,
    });
    // The ingest's own limit: a proposal whose trial it would fail is not one to ingest with.
    const failed = quarantineFailure([report], DEFAULT_MAX_QUARANTINED_SHARE);
    const failure = failed
      ? `${report.rows_quarantined.toLocaleString("en")} of ${report.rows_read.toLocaleString("en")} rows were quarantined, more than the ingest allows (${DEFAULT_MAX_QUARANTINED_SHARE * 100} %)${report.likely_cause ? `; likely cause: ${report.likely_cause}` : ""}`
      : undefined;
    const tried = { rows: report.rows_read, ingested: report.rows_ingested, quarantined: report.quarantine_reasons, ...(failure ? { failure } : {}) };
    return { file, yaml, proposal, sample: tried, complete: true };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Draws the proposal's bounds again around every point of the file (the sample is its head only),
 * around the sample's median point, and says so in their note.
 */
async function boundsOverWholeFile(file: string, proposal: SourceProposal): Promise<void> {
  const { description: d, centre } = proposal;
  if (!d.bounds || !d.crs || !centre || !d.format) return;
  const { extent, records } = await fileExtent(
    file,
    {
      format: d.format,
      encoding: d.encoding ?? "utf-8",
      delimiter: d.delimiter ?? ",",
      ...(d.sheet ? { sheet: d.sheet } : {}),
      crs: d.crs,
      decimal: d.decimal,
      x: d.columns.x,
      y: d.columns.y,
      point: d.columns.point,
    },
    centre,
  );
  const bounds = extent.bounds();
  if (!bounds) return;
  d.bounds = bounds;
  proposal.notes.bounds = extent.note(`the whole file (${records.toLocaleString("en")} records read; the sample was its start only)`);
}

const CENTRAL_EUROPE = ["Europe/Warsaw", "Europe/Prague", "Europe/Bratislava", "Europe/Budapest", "Europe/Ljubljana", "Europe/Zagreb", "Europe/Bucharest"];

/**
 * The single-byte code page used where `zone` is: Baltic in Lithuania, Latvia and Estonia, Central
 * European from Poland to Croatia and Romania, else Western European.
 */
export function codePageOf(zone: string): SourceDescription["encoding"] {
  if (["Europe/Vilnius", "Europe/Riga", "Europe/Tallinn"].includes(zone)) return "windows-1257";
  return CENTRAL_EUROPE.includes(zone) ? "windows-1250" : "windows-1252";
}

/** The first `n` lines of the bytes (whole lines; a quoted newline may cut a record, which the sample then quarantines). */
function sampleLines(bytes: Buffer, n: number): Buffer {
  let at = -1;
  for (let i = 0; i < n; i++) {
    const next = bytes.indexOf(0x0a, at + 1);
    if (next < 0) return bytes;
    at = next;
  }
  return bytes.subarray(0, at + 1);
}
