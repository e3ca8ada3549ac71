/**
 * `run` and `ingest` with no file read the bundled Šiauliai demo only where it belongs: through the
 * bundled source description, into a lake empty or holding only the demo (q4 #2, q5 #1: a forgotten
 * file argument put 36,282 demo rows into another source's lake, or labelled them as the user's
 * source). `run --no-ingest` recomputes from the lake instead, on any lake.
 */
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { incidentFiles } from "../etl/cli/bundled-incidents.ts";
import { DEFAULTS } from "../etl/config.ts";
import type { RunSummary } from "../etl/cli/summary-text.ts";
import { hotspotsInProcess } from "./helpers/hotspots-cli.ts";

const HEADER = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";
/** `perMonth` incidents a month in central Šiauliai. */
function exportText(months: readonly string[], perMonth: number): string {
  const rows = months.flatMap((month, t) =>
    Array.from({ length: perMonth }, (_, i) =>
      [`R-${month}-${i}`, `${month}-1${i % 9}T12:00:00Z`, "X", i % 3 ? "theft" : "burglary", "pre_trial_investigation"]
        .concat([(55.93 + ((i + t) % 4) * 0.004).toFixed(6), (23.31 + (i % 5) * 0.006).toFixed(6), "Šiaulių m. sav.", "Šiauliai", "test"])
        .join(","),
    ),
  );
  return `${[HEADER, ...rows].join("\n")}\n`;
}

let dir: string;
let file: string;
let ownSource: string;
const cli = (lake: string, ...args: string[]) => hotspotsInProcess(["--lake", lake, "--json", ...args]);
const manifestText = (lake: string) => readFile(join(lake, "manifest.json"), "utf8");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "bundled-default-"));
  file = join(dir, "export.csv");
  await writeFile(file, exportText(["2019-01", "2019-02", "2019-03"], 12));
  // The user's own source: the demo's layout under another id (as `my-police.yaml` in q4's report).
  ownSource = join(dir, "my-police.yaml");
  await writeFile(ownSource, (await readFile(DEFAULTS.sourceDescription, "utf8")).replace("id: siauliai-demo", "id: my-police"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("no file given", () => {
  it("a lake of another source: ingest and run refuse, naming the source, what to give and run --no-ingest; the lake is unchanged", async () => {
    const lake = join(dir, "own");
    await cli(lake, "ingest", "--source", ownSource, file);
    const before = await manifestText(lake);
    await expect(cli(lake, "ingest", "--source", ownSource)).rejects.toThrow(
      /^no incident file given: the bundled demo data \(data\/incidents\/siauliai-2015-2021\.csv\.gz\) is the default only for the demo .* but this lake holds exports of source 'my-police' and --source names .*my-police\.yaml; nothing was ingested\. Name the export: hotspots ingest --source <description\.yaml> <file>; .* hotspots run --no-ingest$/,
    );
    // The bundled source description does not make the demo data welcome in another source's lake.
    await expect(cli(lake, "run", "--no-build")).rejects.toThrow(
      /but this lake holds exports of source 'my-police'; nothing was ingested\. Name the export: hotspots run --source/,
    );
    expect(await manifestText(lake)).toBe(before);
  }, 120_000);

  it("an empty lake with the user's source description: refused (the demo rows would carry the user's source)", async () => {
    const refusal = incidentFiles([], ownSource, join(dir, "empty"), "ingest");
    await expect(refusal).rejects.toThrow(/but --source names .*my-police\.yaml; nothing was ingested/);
    // Nothing to recompute from: run --no-ingest is no advice here.
    await expect(refusal).rejects.not.toThrow(/no-ingest/);
  });

  it("the demo's source description on an empty lake or a lake of the demo only: the bundled files (npm start)", async () => {
    expect(await incidentFiles([], DEFAULTS.sourceDescription, join(dir, "empty"), "run")).toEqual(DEFAULTS.incidentFiles);
    // The bundled description reached through a link (a checkout under a linked folder) is the bundled one.
    await symlink(dirname(DEFAULTS.sourceDescription), join(dir, "linked-sources"));
    expect(await incidentFiles([], join(dir, "linked-sources", basename(DEFAULTS.sourceDescription)), join(dir, "empty"), "run")).toEqual(
      DEFAULTS.incidentFiles,
    );
    const lake = join(dir, "demo");
    await cli(lake, "ingest", file);
    expect(await incidentFiles([], DEFAULTS.sourceDescription, lake, "run")).toEqual(DEFAULTS.incidentFiles);
  }, 60_000);

  it("files given are used whatever the lake holds", async () => {
    expect(await incidentFiles(["x.csv"], ownSource, join(dir, "own"), "ingest")).toEqual([join(process.cwd(), "x.csv")]);
  });
});

describe("run --no-ingest", () => {
  it("recomputes and publishes from another source's lake, ingesting nothing", async () => {
    const lake = join(dir, "recompute");
    await cli(lake, "ingest", "--source", ownSource, file);
    const summary = JSON.parse((await cli(lake, "run", "--no-ingest", "--no-build", "--hull")).stdout) as RunSummary;
    expect(summary.ingest).toBeUndefined();
    expect(summary.analyse).toMatchObject({ months_recomputed: 3 });
    expect(summary.publish).toBeDefined();
    expect(Object.values(JSON.parse(await manifestText(lake)).sources).map((s) => (s as { source: string }).source)).toEqual(["my-police"]);
  }, 180_000);

  it("keeps the context the user loaded into another city's lake (no bundled context replaces it with nothing)", async () => {
    const lake = join(dir, "own-context");
    await cli(lake, "ingest", "--source", ownSource, file);
    await cli(lake, "context", "--projects", DEFAULTS.projectsJson);
    const loaded = JSON.parse(await manifestText(lake)).tables.context;
    const summary = JSON.parse((await cli(lake, "run", "--no-ingest", "--no-build", "--hull")).stdout) as RunSummary;
    expect(summary.context).toMatchObject({ projects: 5 });
    expect(JSON.parse(await manifestText(lake)).tables.context).toEqual(loaded);
  }, 180_000);

  it("refuses a lake with no incidents (none yet, or a mistyped --lake) before writing anything", async () => {
    const lake = join(dir, "no-such-lake");
    await expect(cli(lake, "run", "--no-ingest", "--no-build")).rejects.toThrow(
      /^the lake at .*no-such-lake holds no incidents \(no lake there yet: is --lake right\?\), so hotspots run --no-ingest has nothing to compute from and wrote nothing; ingest an export first/,
    );
    // No manifest in the default time zone that the user's first export would then be refused by.
    await expect(manifestText(lake)).rejects.toThrow(/ENOENT/);
  });

  it("refuses files, --export-id and --replace: it reads no file", async () => {
    await expect(cli(join(dir, "own"), "run", "--no-ingest", file)).rejects.toThrow(/run --no-ingest computes from what the lake holds and reads no file/);
    await expect(cli(join(dir, "own"), "run", "--no-ingest", "--replace")).rejects.toThrow(/reads no file/);
  });
});
