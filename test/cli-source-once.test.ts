/**
 * `--source` names the layout of every file of one command. Commander keeps the last of a repeated
 * option, so `run --source a.yaml --source b.yaml a.csv b.csv` read a.csv as b's layout without a
 * word (its offence labels under b's mapping). A repeated --source is refused, with what to do.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { hotspotsProcess } from "./helpers/hotspots-cli.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cli-source-once-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it.each(["run", "ingest"])("%s refuses a second --source before reading anything", async (command) => {
  const lake = join(dir, `lake-${command}`);
  const exit = await hotspotsProcess([
    "--lake",
    lake,
    command,
    "--source",
    "data/sources/nottingham-burglary.yaml",
    "--source",
    "data/sources/nottingham-robbery.yaml",
    "a.csv",
  ]);
  expect(exit.code).not.toBe(0);
  expect(exit.stderr).toMatch(/--source is given more than once.*ingest --source a\.yaml a\.csv/);
});

it("one --source is taken as given", async () => {
  // The file does not exist: the command gets past the options and stops at the file.
  const exit = await hotspotsProcess(["--lake", join(dir, "lake-one"), "ingest", "--source", "data/sources/nottingham-robbery.yaml", join(dir, "none.csv")]);
  expect(exit.code).not.toBe(0);
  expect(exit.stderr).not.toMatch(/more than once/);
  expect(exit.stderr).toMatch(/none\.csv/);
});
