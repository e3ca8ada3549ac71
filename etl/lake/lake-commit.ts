import { mkdir, readFile, readdir, rename, rm, rmdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { temporaryPath, writeTextAtomically } from "./atomic-file.ts";

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
    await writeTextAtomically(join(this.lakeDir, COMMIT_JOURNAL), JSON.stringify(this.commit));
    await applyCommit(this.lakeDir, this.commit);
  }

  /** Removes the staged temporary files (after a failure before commit). */
  async abandon(): Promise<void> {
    for (const { from } of this.commit.renames) await rm(join(this.lakeDir, from), { force: true });
  }
}

/**
 * Brings a lake back to a committed state after a crash: rolls an interrupted commit forward from
 * its journal, then removes temporary files that no commit will claim. Run before every write.
 */
export async function recoverLake(lakeDir: string): Promise<{ rolledForward: boolean; removedTemporary: number }> {
  let rolledForward = false;
  try {
    const commit = JSON.parse(await readFile(join(lakeDir, COMMIT_JOURNAL), "utf8")) as LakeCommit;
    await applyCommit(lakeDir, commit);
    rolledForward = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  let removedTemporary = 0;
  const entries = await readdir(lakeDir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.isFile() && entry.name.endsWith(".tmp")) {
      await rm(join(entry.parentPath, entry.name), { force: true });
      removedTemporary++;
    }
  }
  return { rolledForward, removedTemporary };
}

/** Applies renames (skipping those already done) and deletions, then drops the journal. Idempotent. */
async function applyCommit(lakeDir: string, commit: LakeCommit): Promise<void> {
  for (const { from, to } of commit.renames) {
    try {
      await rename(join(lakeDir, from), join(lakeDir, to));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error; // already renamed
    }
  }
  for (const relative of commit.deletes) {
    await rm(join(lakeDir, relative), { force: true });
    // The partition folder goes too when this leaves it empty (a month no longer in the lake).
    await rmdir(dirname(join(lakeDir, relative))).catch(() => undefined);
  }
  await rm(join(lakeDir, COMMIT_JOURNAL), { force: true });
}
