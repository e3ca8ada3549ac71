/**
 * An ingest refusal restated for AWS (review finding L1): the Lambda keeps an InputFileError's
 * `reason` and gives its own advice, so no CLI option (`--replace`, `--source`, `--lake` …) reaches an
 * operator who can only upload, whatever the refusal's wording. Each refusal is made by the ingest
 * itself (ingestFile, as the Lambda runs it) on a file that earns it; the CLI's message still holds
 * the reason and the command line's advice.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadError, UploadRefusedError, type Upload } from "../etl/handlers/upload-errors.ts";
import { ingestFile } from "../etl/ingest/ingest-file.ts";
import { InputFileError } from "../etl/ingest/open-input.ts";
import type { SourceDescription } from "../etl/ingest/source-description.ts";
import { canonicalSource } from "./helpers/shared.ts";

const header = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";
const row = (id: string, month: string, time = `2019-${month}-15T12:00:00+02:00`) =>
  `${id},${time},BK 178,theft,pre_trial_investigation,55.93,23.31,Šiaulių m. sav.,Šiauliai,siauliai-demo`;
const csv = (...rows: string[]) => `${[header, ...rows].join("\n")}\n`;
/** A command-line option: two dashes and a letter (iconv's `-f` or gzip's `-t` are no option of ours). */
const CLI_OPTION = /(?<![\w-])--[a-z]/;

let dir: string;
let source: SourceDescription;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "upload-error-advice-"));
  source = await canonicalSource();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Ingests `file` into `lake` as the Lambda does (the object key as the export's id). */
const ingest = (file: string, lake: string, extra: Record<string, unknown> = {}) =>
  ingestFile(file, {
    lakeDir: lake,
    resolution: 8,
    timeZone: "Europe/Vilnius",
    now: Date.UTC(2026, 0, 1),
    source,
    exportId: "raw/siauliai-demo/x.csv",
    ...extra,
  });

/**
 * The error the ingest refuses `bytes` with (null: no file is written), in a folder of its own with
 * a lake beside it, after `before` (e.g. earlier versions ingested into that lake).
 */
async function refusal(
  name: string,
  bytes: string | Buffer | null,
  before: (file: string, lake: string) => Promise<unknown> = async () => undefined,
  extra: Record<string, unknown> = {},
): Promise<InputFileError> {
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  const file = join(folder, "upload.csv");
  const lake = join(folder, "lake");
  await before(file, lake);
  if (bytes !== null) await writeFile(file, bytes);
  const error = await ingest(file, lake, extra).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${name} to be refused`).toBeInstanceOf(InputFileError);
  return error as InputFileError;
}

/** Ingests `text` as `file` into `lake`, as the version before the one refused. */
const earlier =
  (text: string, extra: Record<string, unknown> = {}) =>
  async (file: string, lake: string) => {
    await writeFile(file, text);
    await ingest(file, lake, extra);
  };

const upload = (file: string): Upload => ({
  key: "raw/siauliai-demo/x.csv",
  file,
  lakeUrl: "s3://curated/lake",
  rawPrefix: "raw",
  sourcePath: "/var/task/data/sources/siauliai-demo.yaml",
});

/** Each refusal an upload can earn: what its reason says, and the file (and earlier versions) that earns it. */
const cases: Array<[string, string, () => Promise<InputFileError>]> = [
  ["an empty file", "is empty (0 bytes)", () => refusal("empty", "")],
  ["a ZIP archive", "is a ZIP archive", () => refusal("zip", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]))],
  ["UTF-16 text", "is UTF-16 text", () => refusal("utf16", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(row("a", "01")), "utf16le")]))],
  ["damaged gzip", "is damaged gzip", () => refusal("gzip", gzipSync(csv(row("a", "01"), row("b", "02"))).subarray(0, 40))],
  ["a header that is not CSV", "its header (line 1) is not readable CSV", () => refusal("header-quote", `id,"occurred"at,lat\n1,2,3\n`)],
  ["no header row", "holds no header row", () => refusal("blank", "\n\n\n")],
  ["a column twice", "column 'lat' appears twice in the header", () => refusal("twice", csv(row("a", "01")).replace("lon,", "lat,"))],
  ["required columns missing", "missing required column(s) id, occurred_at", () => refusal("columns", "case,when,where\n1,2,3\n")],
  ["another delimiter", "not by the described delimiter", () => refusal("delimiter", csv(row("a", "01")).replaceAll(",", ";"))],
  [
    "another encoding",
    "the file is in another encoding",
    () => refusal("encoding", Buffer.concat([Buffer.from([0xc1, 0xe8]), Buffer.from(`${header}\n${row("a", "01")}\n`)])),
  ],
  [
    "a GeoJSON that does not parse",
    "is not valid GeoJSON",
    () => refusal("geojson", '{"type": "FeatureCollection", "features": [', undefined, { source: { ...source, format: "geojson" } }),
  ],
  [
    "a GeoJSON that is no collection",
    "is not a GeoJSON FeatureCollection",
    () => refusal("feature", '{"type": "Feature"}', undefined, { source: { ...source, format: "geojson" } }),
  ],
  ["a header and no rows", "has a header but no data rows", () => refusal("header-only", csv())],
  [
    "a version lacking months the lake holds",
    "lacks months the lake holds from it",
    () => refusal("lost-months", csv(row("a", "03")), earlier(csv(row("a", "01"), row("b", "02")))),
  ],
  [
    "a version with no row ingested",
    "none of its 1 rows could be ingested",
    () => refusal("no-row", csv(row("a", "01", "not a time")), earlier(csv(row("a", "01")))),
  ],
  [
    "the same bytes as another export",
    "the lake cannot tell it from the same bytes",
    () => refusal("copy", csv(row("a", "01")), earlier(csv(row("a", "01")), { exportId: "raw/siauliai-demo/other.csv" })),
  ],
  ["a lake time zone that is none", "is not an IANA time zone", () => refusal("bad-zone", csv(row("a", "01")), undefined, { timeZone: "Europe/Šiauliai" })],
  [
    "a source in another time zone",
    "but this lake's months are cut in America/Phoenix",
    () => refusal("other-zone", csv(row("a", "01")), undefined, { timeZone: "America/Phoenix" }),
  ],
  // Not from an upload (the Lambda downloads each to a file of its own), but the same rule holds.
  ["a missing file", "does not exist", () => refusal("missing", null)],
  ["a folder", "is a folder", () => refusal("folder", null, (file) => mkdir(file))],
];

describe("an ingest refusal restated for an upload", () => {
  it.each(cases)("%s: what is wrong, and AWS's advice with no option of the CLI", async (_, wrong, refuse) => {
    const error = await refuse();
    expect(error.reason).toContain(wrong);
    const restated = uploadError(error, upload(error.file)) as Error;
    expect(restated).toBeInstanceOf(UploadRefusedError);
    // Only the workstation command in AWS's advice may name options.
    const [said, aws] = restated.message.split("In AWS (an upload takes no options):");
    expect(said).not.toMatch(CLI_OPTION);
    expect(aws).toContain("hotspots --lake s3://curated/lake ingest --source data/sources/siauliai-demo.yaml --export-id 'raw/siauliai-demo/x.csv' --replace");
    expect(said).toBe(`${error.reason}. `);
    expect(restated.message).not.toContain(error.file);
    // The command line still prints the reason with its advice, as it did.
    expect(error.message.startsWith(`${error.file}: ${error.reason}`)).toBe(true);
    if (error.advice !== undefined) expect(error.message).toContain(error.advice);
  });

  it("a misdescribed export is told to correct its source description and redeploy, as the CLI is told to edit it", async () => {
    const error = await cases.find(([name]) => name === "another delimiter")![2]();
    expect(error.reason).toContain('the header is one field split by ";", not by the described delimiter ","');
    expect(error.advice).toBe('write delimiter: ";" in the source description');
    expect((uploadError(error, upload(error.file)) as Error).message).toContain(
      "or correct the source description data/sources/siauliai-demo.yaml where it misdescribes the export (its delimiter, encoding or time zone) and redeploy",
    );
  });
});
