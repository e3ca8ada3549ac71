import { mkdir, readFile, rename, rm, rmdir } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import { temporaryPath, writeTextAtomically } from "./atomic-file.ts";
import { filesBelow } from "./lake-files.ts";
import { isLiveHolder } from "./lake-lock.ts";

/** The journal of a commit in progress; its presence means a commit must be rolled forward. */
export const COMMIT_JOURNAL = "_commit.json";

/** A set of changes to the lake that readers must see all at once or not at all. */
export interface LakeCommit {
  /** Finished temporary files (relative to the lake) and the names they take. */
  renames: Array<{ from: string; to: string }>;
  /** Files (relative to the lake) that the commit removes. */
  deletes: string[];
}

/**
 * Collects the files of one commit: each is written under a temporary name (invisible to readers,
 * who only read `*.parquet` and `manifest.json`) and takes its real name only at commit.
 */
export class LakeTransaction {
  private readonly commit: LakeCommit = { renames: [], deletes: [] };

  constructor(private readonly lakeDir: string) {}

  /**
   * A temporary path (its folder created) for the file that will become `relative`, registered
   * with the commit. Files are renamed in the order staged: stage the manifest last.
   */
  async stage(relative: string): Promise<string> {
    const path = temporaryPath(join(this.lakeDir, relative));
    await mkdir(dirname(path), { recursive: true });
    this.commit.renames.push({ from: path.slice(this.lakeDir.length + 1), to: relative });
    return path;
  }

  remove(relative: string): void {
    this.commit.deletes.push(relative);
  }

  /** The lake paths the commit will write (staged so far). */
  stagedKeys(): string[] {
    return this.commit.renames.map((r) => r.to);
  }

  /**
   * Makes the staged files visible. The journal is written first, so a process killed while
   * renaming leaves a journal that `recoverLake` completes; killed before, it leaves only invisible
   * temporary files and the lake as it was.
   */
  async commitChanges(): Promise<void> {
    killPoint("before-journal");
    await writeTextAtomically(join(this.lakeDir, COMMIT_JOURNAL), JSON.stringify(this.commit));
    killPoint("journal");
    await applyCommit(this.lakeDir, this.commit, killPoint);
  }

  /** Removes the staged temporary files (after a failure before commit). */
  async abandon(): Promise<void> {
    for (const { from } of this.commit.renames) await rm(join(this.lakeDir, from), { force: true });
  }
}

/**
 * Brings a lake back to a committed state before a write: recoverLake the first time this process
 * writes the lake, then only the journal's roll-forward. The debris scan lists the whole lake (every
 * commit of a run made one); after it, a temporary file can only be a crashed other process's, which
 * readers never see (they read `*.parquet` and the manifest) and which the next process's first write
 * removes. An interrupted commit's journal is completed every time: it decides what readers see.
 */
export async function recoverForWrite(lakeDir: string): Promise<{ rolledForward: boolean; removedTemporary: number }> {
  if (!swept.has(resolve(lakeDir))) return recoverLake(lakeDir);
  return { rolledForward: await rollForward(lakeDir), removedTemporary: 0 };
}
/** The lakes (resolved folders) whose temporary files this process has removed (see recoverForWrite). */
const swept = new Set<string>();
const SWEPT_LIMIT = 64;

/**
 * Brings a lake back to a committed state after a crash: rolls an interrupted commit forward from
 * its journal, then removes temporary files that no commit will claim. Writers call it through
 * recoverForWrite; a command holding the lake's lock, and `check --repair`, call it directly.
 */
export async function recoverLake(lakeDir: string): Promise<{ rolledForward: boolean; removedTemporary: number }> {
  const rolledForward = await rollForward(lakeDir);
  let removedTemporary = 0;
  let files: string[];
  let listed = true;
  try {
    files = filesBelow(lakeDir) ?? [];
  } catch {
    files = []; // an unreadable folder has no debris this process could remove
    listed = false; // …this time: the next write tries again
  }
  for (const file of files) {
    // A temporary file of another process still running is its writer's, not debris (defence in
    // depth: writers hold the lake lock, so there should be none).
    if (file.endsWith(".tmp") && !isLiveHolder(temporaryOwner(file))) {
      await rm(join(lakeDir, file), { force: true });
      removedTemporary++;
    }
  }
  if (listed) {
    // Bounded: a warm Lambda container mirrors each invocation's lake to a new folder.
    if (swept.size >= SWEPT_LIMIT) swept.clear();
    swept.add(resolve(lakeDir));
  }
  return { rolledForward, removedTemporary };
}

/** Completes the commit an interrupted writer's journal describes, if there is one; true when there was. */
async function rollForward(lakeDir: string): Promise<boolean> {
  const text = await readFile(join(lakeDir, COMMIT_JOURNAL), "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (text === null) return false;
  await applyCommit(lakeDir, parseJournal(text, join(lakeDir, COMMIT_JOURNAL)));
  return true;
}

/** A lake path a journal may name: relative, with forward slashes, no `.` or `..` segment, so it stays inside the lake. */
export const lakePath = z
  .string()
  .refine((p) => p !== "" && !isAbsolute(p) && !p.includes("\\") && p.split("/").every((part) => part !== "" && part !== "." && part !== ".."), {
    message: "not a path inside the lake (relative, forward slashes, no '..')",
  });
const JOURNAL = z.strictObject({
  renames: z.array(z.strictObject({ from: lakePath.refine((p) => p.endsWith(".tmp"), { message: "not a temporary file (*.tmp)" }), to: lakePath })),
  deletes: z.array(lakePath),
});

/**
 * The journal's commit, checked before anything is renamed or deleted: a journal is the lake's own
 * output, so one that does not parse, or names a path outside the lake, was damaged or planted, and
 * acting on it could move or delete files anywhere. Refused with the file named and the safe way out.
 */
export function parseJournal(text: string, file: string): LakeCommit {
  let value: unknown;
  let problem: string;
  try {
    value = JSON.parse(text);
    const parsed = JOURNAL.safeParse(value);
    if (parsed.success) return parsed.data;
    problem = parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`).join("; ");
  } catch (error) {
    problem = `not JSON (${(error as Error).message})`;
  }
  throw new Error(
    `the commit journal ${file} is damaged (${problem}); nothing was renamed or deleted. The commit it describes cannot be completed safely: ` +
      `run \`hotspots check\` to see which files differ from the manifest, then delete ${file} and ingest again the source files check names ` +
      `(the *.tmp files left behind are removed by the next command that writes the lake)`,
  );
}

/** The process id a temporary file's name carries (see temporaryPath: `<name>.<pid>.<ms>.tmp`), or null. */
function temporaryOwner(name: string): number | null {
  const match = /\.(\d+)\.\d+\.tmp$/.exec(name);
  return match ? Number(match[1]) : null;
}

/**
 * Applies renames (skipping those already done) and deletions, then drops the journal. Idempotent.
 * `step` marks the points between (see killPoint): a commit, not a recovery, passes it.
 */
async function applyCommit(lakeDir: string, commit: LakeCommit, step: (name: string) => void = () => undefined): Promise<void> {
  for (const [i, { from, to }] of commit.renames.entries()) {
    try {
      await rename(join(lakeDir, from), join(lakeDir, to));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error; // already renamed
    }
    step(`rename:${i + 1}`);
  }
  for (const relative of commit.deletes) {
    await rm(join(lakeDir, relative), { force: true });
    // The partition folder goes too when this leaves it empty (a month no longer in the lake).
    await rmdir(dirname(join(lakeDir, relative))).catch(() => undefined);
  }
  step("deleted");
  await rm(join(lakeDir, COMMIT_JOURNAL), { force: true });
}

/** The environment variable that makes a commit kill its own process at a named step (tests only). */
export const KILL_AT_ENV = "HOTSPOTS_TEST_KILL_AT";

/**
 * Test hook of the kill suite (test/lake-kill-suite.test.ts): when HOTSPOTS_TEST_KILL_AT names this
 * step — `before-journal` (every file staged), `journal` (journal written, nothing renamed),
 * `rename:N` (N files renamed, the manifest last), `deleted` (renames and deletions done, journal
 * still there) — the process SIGKILLs itself, exactly as an operator's kill at that instant would
 * leave the lake. A signal, not a throw, so no cleanup or `finally` runs. Unset in production.
 */
function killPoint(step: string): void {
  if (process.env[KILL_AT_ENV] === step) process.kill(process.pid, "SIGKILL");
}
