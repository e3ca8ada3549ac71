// A compiled build kept in a cache folder and used only while every input it was built from is
// unchanged. Plain JavaScript: the check runs at each start, before anything could compile TypeScript.
//
// Layout of `cacheDir`: `current-<scope>.json` names the latest bundle folder of a scope (a source
// tree: copies of the repository may share one node_modules, and so one cache); each `bundle-<key>/`
// holds the build's files and `inputs.json`, the record of its inputs (path, SHA-256 of the content,
// and the file's size, times and inode, which let an unchanged file pass without reading it). `key`
// hashes the scope and Node version with every input's path and content. A folder is built under a
// temporary name and renamed into place whole, and the current file is replaced by rename, so a
// process starting at any moment sees either no bundle or a complete one.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";

const INPUTS = "inputs.json";
const FORMAT = 1;
/** Bundle and temporary folders not current and older than this are removed when a new one is built. */
const PRUNE_AFTER_MS = 24 * 3600 * 1000;

/**
 * The path of `entry` in a bundle of `scope` (the source tree's root) in `cacheDir` whose inputs are
 * all unchanged, building one with `build(outdir)` (which returns the absolute paths of every file the
 * build read) when there is none. Throws what the build throws.
 */
export async function cachedBundle({ cacheDir, scope, entry, build }) {
  const fresh = freshBundle(cacheDir, scope);
  if (fresh !== undefined) return join(fresh, entry);
  mkdirSync(cacheDir, { recursive: true });
  const outdir = mkdtempSync(join(cacheDir, "tmp-"));
  try {
    const started = Date.now();
    const inputs = await build(outdir);
    const record = recordInputs(scope, inputs, started);
    if (record === undefined) {
      // An input changed while the build read it: run this build once, cache none.
      process.once("exit", () => rmSync(outdir, { recursive: true, force: true }));
      return join(outdir, entry);
    }
    return join(publish(cacheDir, outdir, record), entry);
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
}

/** The folder of the current bundle of `scope` in `cacheDir` when its record still matches every input, else undefined. */
export function freshBundle(cacheDir, scope) {
  let dir, record;
  try {
    dir = join(cacheDir, JSON.parse(readFileSync(currentFile(cacheDir, scope), "utf8")).bundle);
    record = JSON.parse(readFileSync(join(dir, INPUTS), "utf8"));
  } catch {
    return undefined; // none yet, or another version's layout
  }
  if (record.format !== FORMAT || record.scope !== scope || record.node !== process.version) return undefined;
  let touched = false;
  for (const input of record.inputs) {
    const stat = statSync(input.path, { bigint: true, throwIfNoEntry: false });
    if (stat === undefined) return undefined;
    const signature = statSignature(stat);
    if (signature === input.stat) continue;
    // Touched (a checkout, a copy): the bundle still holds it if its content is the one built from.
    if (sha256(readFileSync(input.path)) !== input.sha256) return undefined;
    input.stat = signature;
    touched = true;
  }
  // Remember the new times, so the next start need not read those files again (where it may write).
  if (touched) {
    try {
      writeAtomically(join(dir, INPUTS), JSON.stringify(record));
    } catch {
      // a read-only cache: the next start reads them again
    }
  }
  return dir;
}

/**
 * The record of `paths` (absolute), or undefined when one of them changed at or after `since` (ms,
 * less a second for the file system's clock granularity): the build may have read it half-written.
 * The change time, which every write sets from the system clock (a modification time can be set to
 * anything, the future included).
 */
export function recordInputs(scope, paths, since) {
  const inputs = [];
  for (const path of [...new Set(paths)].sort()) {
    const stat = statSync(path, { bigint: true });
    if (stat.ctimeMs >= BigInt(since - 1000)) return undefined;
    inputs.push({ path, sha256: sha256(readFileSync(path)), stat: statSignature(stat) });
  }
  return { format: FORMAT, scope, node: process.version, inputs };
}

/** Renames the finished `outdir` into place as the bundle of `record` and makes it current; returns its folder. */
function publish(cacheDir, outdir, record) {
  writeFileSync(join(outdir, INPUTS), JSON.stringify(record));
  const key = sha256(JSON.stringify([record.format, record.scope, record.node, record.inputs.map((i) => [i.path, i.sha256])]));
  const dir = join(cacheDir, `bundle-${key.slice(0, 32)}`);
  try {
    renameSync(outdir, dir);
  } catch (error) {
    // Another process built the same inputs first: its folder is complete (it was renamed whole), and
    // this record is as true of it (same inputs, same content), whatever times its own holds.
    if (error.code !== "EEXIST" && error.code !== "ENOTEMPTY") throw error;
    rmSync(outdir, { recursive: true, force: true });
    writeAtomically(join(dir, INPUTS), JSON.stringify(record));
  }
  writeAtomically(currentFile(cacheDir, record.scope), JSON.stringify({ bundle: basename(dir) }));
  prune(cacheDir);
  return dir;
}

/** The file naming the current bundle of `scope`. */
function currentFile(cacheDir, scope) {
  return join(cacheDir, `current-${sha256(scope).slice(0, 16)}.json`);
}

/** Removes bundle and temporary folders older than a day (old builds, a killed build's) that no scope's current file names. */
function prune(cacheDir) {
  const names = readdirSync(cacheDir);
  const current = new Set();
  for (const name of names.filter((n) => n.startsWith("current-") && n.endsWith(".json"))) {
    try {
      current.add(JSON.parse(readFileSync(join(cacheDir, name), "utf8")).bundle);
    } catch {
      // being replaced, or unreadable: its bundle is simply not kept for it
    }
  }
  for (const name of names) {
    if (current.has(name) || !(name.startsWith("bundle-") || name.startsWith("tmp-"))) continue;
    const path = join(cacheDir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat !== undefined && Date.now() - stat.mtimeMs > PRUNE_AFTER_MS) rmSync(path, { recursive: true, force: true });
  }
}

/** Writes `text` to `path` by renaming a file of this process's over it, so readers see all or nothing. */
function writeAtomically(path, text) {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** What changes whenever a file's content is written: size, modification and change times (ns), inode. */
function statSignature(stat) {
  return `${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}:${stat.ino}`;
}

function sha256(data) {
  return createHash("sha256").update(data).digest("hex");
}
