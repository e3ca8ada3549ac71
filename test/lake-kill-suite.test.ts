/**
 * Concurrency and kills against the real CLI (issue 21, Deliver 8): two writers at once both land; a
 * reader beside a writer sees the old or the new commit, never a mix; and a SIGKILL at every step of
 * an ingest's and an analyse's commit (the HOTSPOTS_TEST_KILL_AT hook in lake-commit.ts) leaves a
 * lake that `hotspots check` reports as interrupted, `hotspots check --repair` brings to exactly the
 * old or the new commit (byte for byte, against uninterrupted runs), with every row accounted for:
 * rows written to the file = rows in the lake + rows in quarantine.
 */
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LakeCheck } from "../etl/lake/check-lake.ts";
import { COMMIT_JOURNAL, KILL_AT_ENV, parseJournal } from "../etl/lake/lake-commit.ts";
import { LOCK_FILE } from "../etl/lake/lake-lock.ts";
import type { Manifest } from "../etl/lake/manifest.ts";
import { isRootCache } from "../etl/lake/root-caches.ts";
import { hotspotsInProcess, hotspotsProcess } from "./helpers/hotspots-cli.ts";

const HEADER = "id,occurred_at,offence_code,offence_category,case_type,lat,lon,municipality,locality,source";

/**
 * A small canonical export: `perMonth` incidents in each month around central Šiauliai (`shift`
 * moves them, so two versions differ in every month), then `bad` rows with no valid time. `rows`
 * is the count of data lines written — the independent count the lake must account for.
 */
function exportText(months: readonly string[], perMonth: number, shift: number, bad: number): { text: string; rows: number; good: number } {
  const good = months.flatMap((month, t) =>
    Array.from({ length: perMonth }, (_, i) =>
      [`S${shift}-${month}-${i}`, `${month}-1${i % 9}T12:00:00Z`, "X", i % 2 ? "theft" : "burglary", "pre_trial_investigation"]
        .concat([(55.93 + ((i + shift + t) % 4) * 0.004).toFixed(6), (23.31 + ((i * 3 + shift) % 5) * 0.006).toFixed(6), "Šiaulių m. sav.", "Šiauliai", "test"])
        .join(","),
    ),
  );
  const refused = Array.from(
    { length: bad },
    (_, j) => `BAD-${shift}-${j},not a time,X,theft,pre_trial_investigation,55.93,23.31,Šiaulių m. sav.,Šiauliai,test`,
  );
  return { text: `${[HEADER, ...good, ...refused].join("\n")}\n`, rows: good.length + bad, good: good.length };
}

// Two months each keep the commits short (every step is one CLI process) while covering a replaced,
// a removed and a new month: the corrected export drops January, changes February, adds March.
const V1 = exportText(["2019-01", "2019-02"], 20, 0, 1);
const V2 = exportText(["2019-02", "2019-03"], 25, 1, 2);

let dir: string;
let file: string;
let base: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kill-suite-"));
  await mkdir(join(dir, "data"));
  file = join(dir, "data", "incidents.csv");
  await writeFile(file, V1.text);
  base = join(dir, "base");
  await hotspotsInProcess(["--lake", base, "--json", "ingest", file]);
  await writeFile(file, V2.text);
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** What a reader of the lake's files sees: every file but temporary ones and the lock, with its bytes. */
async function visible(lake: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(lake, { recursive: true, withFileTypes: true })) {
    // The root caches (etl/lake/root-caches.ts) are no lake data: outside any commit.
    const cache = e.parentPath === lake && isRootCache(e.name);
    if (e.isFile() && !e.name.endsWith(".tmp") && e.name !== LOCK_FILE && !cache)
      out[join(e.parentPath, e.name).slice(lake.length)] = (await readFile(join(e.parentPath, e.name))).toString("base64");
  }
  return out;
}

/** A copy of `from` as a new lake beside the others (the export's path relative to every lake is the same). */
async function copyLake(from: string, name: string): Promise<string> {
  const to = join(dir, name);
  await cp(from, to, { recursive: true });
  return to;
}

/** `hotspots --json check` in this process, with `--repair` when asked. */
async function check(lake: string, repair = false): Promise<{ result: LakeCheck; exitCode: number | undefined }> {
  const { stdout, exitCode } = await hotspotsInProcess(["--lake", lake, "--json", "check", ...(repair ? ["--repair"] : [])]);
  return { result: JSON.parse(stdout) as LakeCheck, exitCode };
}

/** Runs `tasks` at most `limit` at a time (each a CLI process: the machine's cores are few). */
async function pooled<T>(tasks: Array<() => Promise<T>>, limit = 3): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

/**
 * Kills `args` (on a copy of `from`) at every step of its commit. The steps every commit has run
 * first, side by side: `journal` (whose journal says how many renames the commit has),
 * `before-journal`, the first rename and `deleted`; then each further rename. Returns the killed lakes by step.
 */
async function killAtEveryStep(from: string, label: string, args: string[]): Promise<Map<string, string>> {
  const kill = async (step: string) => {
    const lake = await copyLake(from, `${label}-${step.replace(":", "-")}`);
    const exit = await hotspotsProcess(["--lake", lake, "--json", ...args], { [KILL_AT_ENV]: step });
    expect({ step, signal: exit.signal, stderr: exit.stderr }).toEqual({ step, signal: "SIGKILL", stderr: expect.any(String) as string });
    return lake;
  };
  const always = ["journal", "before-journal", "rename:1", "deleted"];
  const first = await pooled(always.map((step) => () => kill(step)));
  const journal = parseJournal(await readFile(join(first[0]!, COMMIT_JOURNAL), "utf8"), COMMIT_JOURNAL);
  expect(journal.renames.at(-1)!.to).toBe("manifest.json");
  const further = journal.renames.slice(1).map((_, i) => `rename:${i + 2}`);
  const lakes = await pooled(further.map((step) => () => kill(step)));
  return new Map([...always.map((step, i) => [step, first[i]!] as [string, string]), ...further.map((step, i) => [step, lakes[i]!] as [string, string])]);
}

/** After a kill: check reports the half-done commit (exit 4), check --repair completes or removes it, and the lake is whole. */
async function repaired(lake: string, step: string): Promise<LakeCheck> {
  const before = await check(lake);
  expect({ step, exitCode: before.exitCode, ok: before.result.ok, journal: before.result.journal }).toEqual({
    step,
    exitCode: 4,
    ok: false,
    journal: step !== "before-journal",
  });
  // check --repair reports the lake as a plain check finds it after the repair: exit 0 is a whole lake.
  const after = await check(lake, true);
  expect({ step, exitCode: after.exitCode, ok: after.result.ok }).toEqual({ step, exitCode: undefined, ok: true });
  return after.result;
}

describe("a SIGKILL at every step of a commit", () => {
  it("of an ingest replacing an export's months: check, repair, then exactly the old or the new lake, every row accounted for", async () => {
    const old = await visible(base);
    const clean = await copyLake(base, "ingest-clean");
    // The corrected export lacks a month the old one held: --replace says so.
    await hotspotsInProcess(["--lake", clean, "--json", "ingest", "--replace", file]);
    const renewed = await visible(clean);
    expect(renewed).not.toEqual(old);

    const killed = await killAtEveryStep(base, "ingest", ["ingest", "--replace", file]);
    expect(killed.size).toBeGreaterThanOrEqual(6);
    // A reader right after the kill at the journal (issue 21: analyse ran on the rows of both commits)
    // sees the commit rolled forward: the corrected export's months and incidents only.
    const reader = await copyLake(killed.get("journal")!, "ingest-journal-reader");
    const analysed = JSON.parse((await hotspotsInProcess(["--lake", reader, "--json", "analyse"])).stdout) as { analyse: Record<string, unknown> };
    expect(analysed.analyse).toMatchObject({ first_month: "2019-02", last_month: "2019-03", incidents_in_study_area: V2.good });
    for (const [step, lake] of killed) {
      const result = await repaired(lake, step);
      // Killed before its journal: the old commit; from the journal on: the new one, rolled forward.
      const expected = step === "before-journal" ? V1 : V2;
      expect(await visible(lake)).toEqual(step === "before-journal" ? old : renewed);
      expect({ step, incidents: result.rows.incidents, quarantine: result.rows.quarantine }).toEqual({
        step,
        incidents: expected.good,
        quarantine: expected.rows - expected.good,
      });
    }
  }, 600_000);

  it("of an analyse at another k: exactly the old or the new hot spots, never months of both", async () => {
    const analysed = await copyLake(base, "analysed");
    await hotspotsInProcess(["--lake", analysed, "--k", "1", "--json", "analyse"]);
    const old = await visible(analysed);
    const clean = await copyLake(analysed, "analyse-clean");
    await hotspotsInProcess(["--lake", clean, "--k", "2", "--json", "analyse"]);
    const renewed = await visible(clean);
    const hotSpotFiles = (files: Record<string, string>) => Object.keys(files).filter((f) => f.includes("hotspots"));
    expect(hotSpotFiles(renewed)).toHaveLength(2);
    for (const f of hotSpotFiles(renewed)) expect(renewed[f]).not.toBe(old[f]);

    const killed = await killAtEveryStep(analysed, "analyse", ["--k", "2", "analyse"]);
    for (const [step, lake] of killed) {
      const result = await repaired(lake, step);
      expect(await visible(lake)).toEqual(step === "before-journal" ? old : renewed);
      expect({ step, incidents: result.rows.incidents, quarantine: result.rows.quarantine }).toEqual({ step, incidents: V1.good, quarantine: 1 });
    }
  }, 600_000);
});

describe("commands at the same time", () => {
  it("two writers of different files started at once both land, nothing lost", async () => {
    const lake = join(dir, "two-writers");
    const north = exportText(["2019-05", "2019-06"], 15, 2, 1);
    const south = exportText(["2019-06", "2019-07"], 12, 3, 0);
    await writeFile(join(dir, "data", "north.csv"), north.text);
    await writeFile(join(dir, "data", "south.csv"), south.text);
    const exits = await Promise.all(
      ["north", "south"].map((f) => hotspotsProcess(["--lake", lake, "--wait", "120", "--json", "ingest", join(dir, "data", `${f}.csv`)])),
    );
    expect(exits.map((e) => e.code)).toEqual([0, 0]);
    const { result, exitCode } = await check(lake);
    expect(exitCode).toBeUndefined();
    expect(result.rows.incidents! + result.rows.quarantine!).toBe(north.rows + south.rows);
    expect(result.rows).toMatchObject({ incidents: north.good + south.good, quarantine: 1 });
    const manifest = JSON.parse(await readFile(join(lake, "manifest.json"), "utf8")) as Manifest;
    expect(
      Object.values(manifest.sources)
        .map((s) => s.file)
        .sort(),
    ).toEqual(["north.csv", "south.csv"]);
  }, 300_000);

  it("readers beside a writer see the old or the new commit, whole", async () => {
    const lake = await copyLake(base, "writer-reader");
    const reader = () => hotspotsProcess(["--lake", lake, "--wait", "120", "--json", "check"]);
    const delayed = (ms: number) => new Promise((r) => setTimeout(r, ms)).then(reader);
    const [writer, ...readers] = await Promise.all([
      hotspotsProcess(["--lake", lake, "--wait", "120", "--json", "ingest", "--replace", file]),
      reader(),
      delayed(400),
    ]);
    expect(writer.code).toBe(0);
    for (const r of readers) {
      expect(r.code).toBe(0);
      const seen = JSON.parse(r.stdout) as LakeCheck;
      expect(seen.ok).toBe(true);
      expect([
        [V1.good, V1.rows - V1.good],
        [V2.good, V2.rows - V2.good],
      ]).toContainEqual([seen.rows.incidents, seen.rows.quarantine]);
    }
    expect((await check(lake)).result.rows).toMatchObject({ incidents: V2.good, quarantine: V2.rows - V2.good });
  }, 300_000);
});
