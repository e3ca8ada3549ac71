/**
 * `hotspots ingest` fails (exit code 3, EXIT_QUARANTINED) when a file's rows were all, or more than
 * `--max-quarantined-share` of them, quarantined, and names the likely cause: the time format with
 * the described pattern and an example value, or the axis order / bounds / CRS (issue 18 item 4).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_QUARANTINED } from "../etl/ingest/ingest-verdict.ts";
import { HEADER, row } from "./bad-input/corpus.ts";
import { projectRoot } from "./helpers/shared.ts";

let dir: string;
let canonicalYaml: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "exit-codes-"));
  canonicalYaml = await readFile(join(projectRoot, "data", "sources", "siauliai-demo.yaml"), "utf8");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let runs = 0;
/** Runs `hotspots [global...] ingest --source <yaml> <csv>` on a new lake. */
async function ingest(rows: string[], options: { yaml?: string; global?: string[] } = {}) {
  const n = runs++;
  const file = join(dir, `input-${n}.csv`);
  const source = join(dir, `source-${n}.yaml`);
  await writeFile(file, `${HEADER}\n${rows.join("\n")}\n`);
  await writeFile(source, options.yaml ?? canonicalYaml);
  const run = spawnSync(
    process.execPath,
    [join(projectRoot, "bin", "hotspots.js"), "--lake", join(dir, `lake-${n}`), ...(options.global ?? []), "--json", "ingest", "--source", source, file],
    {
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  return { status: run.status, stderr: run.stderr, summary: run.stdout ? JSON.parse(run.stdout) : undefined };
}

describe("ingest exit codes", () => {
  it("every time in the wrong format: exit 3, naming the pattern and an example value", async () => {
    const yaml = canonicalYaml.replace(
      "time: { format: iso, column: occurred_at }",
      'time: { format: pattern, column: occurred_at, pattern: "dd.MM.yyyy HH:mm" }',
    );
    const { status, stderr, summary } = await ingest([row("a"), row("b"), row("c")], { yaml });
    expect(status).toBe(EXIT_QUARANTINED);
    expect(stderr).toMatch(/input-\d+\.csv: every row \(3\) was quarantined; likely cause: 3 of 3 rows are invalid_timestamp: the time format/);
    expect(stderr).toContain('pattern: "dd.MM.yyyy HH:mm" on column occurred_at');
    expect(stderr).toMatch(/e\.g\. line 2: time '2019-06-14T21:35:00\+03:00'/);
    expect(summary.ingest.files[0]).toMatchObject({ rows_ingested: 0, quarantine_examples: { invalid_timestamp: { line: 2 } } });
  }, 60_000);

  it("every point swapped: exit 3, naming the axis order and the bounds", async () => {
    const swapped = (id: string) => row(id, { lat: "23.3142", lon: "55.9335" });
    const { status, stderr } = await ingest([swapped("a"), swapped("b")]);
    expect(status).toBe(EXIT_QUARANTINED);
    expect(stderr).toMatch(
      /2 of 2 rows are swapped_coordinates: the axis order — x must be the longitude\/easting column .* bounds are \[west, south, east, north\] \(now \[22, 55\.4, 24\.2, 56\.6\]\)/,
    );
  }, 60_000);

  it("every point outside the municipality it names: exit 3, naming the municipality column and the CRS", async () => {
    const latvia = (id: string) => row(id, { lat: "56.45", lon: "23.7" });
    const { status, stderr } = await ingest([latvia("a"), latvia("b")]);
    expect(status).toBe(EXIT_QUARANTINED);
    expect(stderr).toContain(
      "2 of 2 rows are outside_municipality: the municipality or the coordinates — each row's point must lie in the municipality it names " +
        "(municipality from column municipality, coordinates read as EPSG:4326) — e.g. line 2: lat 56.45, lon 23.7 is not inside Šiaulių m. sav.",
    );
  }, 60_000);

  it("a source outside the boundaries: the summary says the municipality check was skipped", async () => {
    const yaml = canonicalYaml
      .replace("timezone: Europe/Vilnius", "timezone: America/Vancouver")
      .replace("bounds: [22.0, 55.4, 24.2, 56.6]", "bounds: [-123.3, 49.0, -122.9, 49.4]");
    const vancouver = row("v", { lat: "49.2827", lon: "-123.1207", municipality: "Vancouver", occurred_at: "2019-06-14T21:35:00-07:00" });
    const { status, summary } = await ingest([vancouver], { yaml });
    expect(status).toBe(0);
    expect(summary.ingest.files[0].municipality_check).toMatch(
      /^skipped: the source's bounds \[-123\.3, 49, -122\.9, 49\.4\] lie outside the municipality boundaries \(lt-municipalities\.topojson\)/,
    );
  }, 60_000);

  it("every row a record the description excludes as no offence: exit 3; most of them: exit 0", async () => {
    const yaml = canonicalYaml.replace("  other: other\n", "  other: other\n  HECHO NO DELICTIVO: exclude\n");
    const none = (id: string) => row(id, { offence_category: "HECHO NO DELICTIVO" });
    const only = await ingest([none("a"), none("b")], { yaml });
    expect(only.status).toBe(EXIT_QUARANTINED);
    expect(only.stderr).toMatch(
      /every row \(2\) was quarantined; likely cause: 2 of 2 rows are excluded_offence: the offence mapping maps their offences to exclude/,
    );
    const mostly = await ingest([none("a"), none("b"), row("c")], { yaml });
    expect(mostly.status, mostly.stderr).toBe(0);
    expect(mostly.summary.ingest.files[0]).toMatchObject({ rows_read: 3, rows_ingested: 1, quarantine_reasons: { excluded_offence: 2 } });
  }, 120_000);

  it("more than the allowed share quarantined: exit 3; within it: exit 0 with the warnings counted", async () => {
    const rows = [row("a"), row("b", { occurred_at: "2019-10-27T03:30:00" }), row("c", { lat: "", lon: "" })];
    const strict = await ingest(rows, { global: ["--max-quarantined-share", "0.2"] });
    expect(strict.status).toBe(EXIT_QUARANTINED);
    expect(strict.stderr).toMatch(/1 of 3 rows were quarantined, more than the allowed share 0\.2; likely cause: 1 of 3 rows are missing_coordinates/);
    const lenient = await ingest(rows);
    expect(lenient.status, lenient.stderr).toBe(0);
    expect(lenient.summary.ingest.files[0]).toMatchObject({ rows_ingested: 2, warnings: { ambiguous_local_time: 1 } });
    expect((await ingest(rows, { global: ["--max-quarantined-share", "1.5"] })).stderr).toMatch(/expected a share from 0 to 1/);
    // Three CLI processes: 53 s at load average 20 on 2 cores.
  }, 180_000);
});

describe("the ingest summary text", () => {
  it("counts warnings and says when a file had no row ingested", async () => {
    const { summaryText } = await import("../etl/cli/summary-text.ts");
    const file = (over: object) => ({
      source: "s",
      file: "f.csv",
      sha256: "",
      rows_read: 3,
      rows_ingested: 2,
      rows_quarantined: 1,
      quarantine_reasons: { invalid_timestamp: 1 },
      warnings: {},
      months: ["2019-10"],
      time_range: null,
      time_precision: {},
      coordinate_bounds: null,
      share_without_coordinates: 0,
      ...over,
    });
    const text = summaryText({
      lake: "l",
      ingest: {
        rows_read: 6,
        rows_ingested: 2,
        rows_quarantined: 4,
        files: [file({ warnings: { ambiguous_local_time: 43 } }), file({ rows_ingested: 0, months: [] })],
      },
    } as never);
    expect(text).toContain("Ingest: 6 rows read, 2 ingested, 4 quarantined, 43 kept with a warning");
    expect(text).toContain("f.csv: months 2019-10 … 2019-10; quarantined: invalid_timestamp 1; warnings: ambiguous_local_time 43");
    expect(text).toContain("f.csv: no rows ingested; quarantined: invalid_timestamp 1");
  });
});

describe("run", () => {
  it("stops after an ingest that loaded nothing: exit 3, and no stage runs on the lake", async () => {
    const file = join(dir, "run-input.csv");
    await writeFile(file, `${HEADER}\n${["a", "b", "c"].map((id) => row(id, { occurred_at: "14.06.2019 21:35" })).join("\n")}\n`);
    const lake = join(dir, "run-lake");
    const run = spawnSync(process.execPath, [join(projectRoot, "bin", "hotspots.js"), "--lake", lake, "--json", "run", "--no-build", file], {
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(EXIT_QUARANTINED);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(summary).sort()).toEqual(["ingest", "lake"]);
    expect(existsSync(join(lake, "hotspots"))).toBe(false);
    expect(existsSync(join(lake, "context"))).toBe(false);
  }, 120_000);

  it("reports through the same check as ingest: a run that loaded nothing exits 3", async () => {
    const { Command } = await import("commander");
    const { vi } = await import("vitest");
    const { cliContext } = await import("../etl/cli/context.ts");
    const program = new Command().option("--json", "", true).option("--max-quarantined-share <share>", "", Number, 0.5).option("--lake <dir>", "", dir);
    program.parse([], { from: "user" });
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const file = {
      source: "s",
      file: "f.csv",
      sha256: "",
      rows_read: 3,
      rows_ingested: 0,
      rows_quarantined: 3,
      quarantine_reasons: { invalid_timestamp: 3 },
      warnings: {},
      months: [],
      time_range: null,
      time_precision: {},
      coordinate_bounds: null,
      share_without_coordinates: 0,
    };
    try {
      // The summary `run` reports: every stage's, the ingest's among them.
      cliContext(program).report(
        { lake: dir, ingest: { files: [file], rows_read: 3, rows_ingested: 0, rows_quarantined: 3 }, analyse: { months: [] } },
        () => "",
      );
      expect(process.exitCode).toBe(EXIT_QUARANTINED);
      expect(String(err.mock.calls[0]?.[0])).toMatch(/f\.csv: every row \(3\) was quarantined/);
    } finally {
      process.exitCode = 0;
      out.mockRestore();
      err.mockRestore();
    }
  });
});
