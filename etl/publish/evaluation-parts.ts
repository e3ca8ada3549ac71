import { sha256Text } from "../lake/atomic-file.ts";
import { readManifestText, type Manifest } from "../lake/manifest.ts";
import { tableScope } from "../lake/table-paths.ts";
import { ALL_TABLES, TABLES, type LakeTable } from "../lake/tables.ts";
import { readState, writeState } from "./publish-state.ts";

/**
 * The version of evaluation.json's parts as evaluation-data.ts makes them: raise it with any change
 * to what a part holds (a field, a rounding, a filter), so that no part of an older publish is kept.
 */
export const EVALUATION_PARTS_FORMAT = 4;

/**
 * evaluation.json in parts, each kept from the previous publish while every input it was made from
 * is unchanged: the list of projects and the units (the context tables), each project but its
 * evaluations (and its indicators' files), each evaluation (its files of every table partitioned
 * by evaluation). Every key holds this format, the sensitive categories and the SHA-256 of every
 * context file, beside the part's own files' keys and SHA-256s from the manifest; a part is stored
 * as published, so a kept part is byte for byte the one computed.
 */
export interface EvaluationParts {
  context<T>(compute: () => Promise<T>): Promise<T>;
  project<T>(id: string, position: number, compute: () => Promise<T>): Promise<T>;
  /** `run`: the evaluation's row of the runs table (in the key too: a runs file with two rows of one evaluation keeps each). */
  evaluation<T>(id: string, run: unknown, compute: () => Promise<T>): Promise<T>;
  /** Writes the parts of this publish (only those) to the state file. */
  save(): Promise<void>;
}

interface PartsState {
  format: number;
  /** Each part by the SHA-256 of its key. */
  parts: Record<string, unknown>;
}

/** The tables a part reads, by what they are partitioned on (the context's: all of the group it is in). */
const CONTEXT_TABLES = ALL_TABLES.filter((t) => t.manifest === TABLES.projects.manifest);
const PROJECT_TABLES = ALL_TABLES.filter((t) => t.manifest === TABLES.evaluation_runs.manifest && t.partition === "project");
const EVALUATION_TABLES = ALL_TABLES.filter((t) => t.manifest === TABLES.evaluation_runs.manifest && t.partition === "evaluation");

/** Where the parts are kept, and the lake's manifest where the caller has read it (publish's; else it is read here). */
export interface EvaluationReuse {
  stateFile: string;
  manifest?: Pick<Manifest, "tables">;
}

/**
 * The parts kept in `reuse.stateFile` (none without reuse: every part is computed). Where a file the
 * tables' readers read has no SHA-256 in the manifest, or does not lie in its partition's folder,
 * nothing is kept and nothing is stored.
 */
export async function evaluationParts(lakeDir: string, sensitive: ReadonlySet<string>, reuse: EvaluationReuse | undefined): Promise<EvaluationParts> {
  const files = reuse ? fileLines(reuse.manifest ?? (await lakeManifest(lakeDir))) : null;
  if (!reuse || !files) {
    return {
      context: (compute) => compute(),
      project: (_id, _position, compute) => compute(),
      evaluation: (_id, _run, compute) => compute(),
      save: async () => {},
    };
  }
  const previous = await readState<PartsState>(reuse.stateFile);
  const kept = previous?.format === EVALUATION_PARTS_FORMAT && previous.parts !== null && typeof previous.parts === "object" ? previous.parts : {};
  const now: PartsState = { format: EVALUATION_PARTS_FORMAT, parts: {} };
  const common = { format: EVALUATION_PARTS_FORMAT, sensitive: [...sensitive].sort(), context: CONTEXT_TABLES.map((t) => [...files.get(t)!.values()].flat()) };
  const part = async <T>(key: unknown, compute: () => Promise<T>): Promise<T> => {
    const hash = sha256Text(JSON.stringify({ ...common, key }));
    const value = Object.hasOwn(kept, hash) ? (kept[hash] as T) : await compute();
    now.parts[hash] = value;
    return value;
  };
  const own = (tables: readonly LakeTable[], id: string) => tables.map((t) => [t.name, files.get(t)!.get(id) ?? []]);
  return {
    context: (compute) => part({ part: "context" }, compute),
    project: (id, position, compute) => part({ part: "project", id, position, files: own(PROJECT_TABLES, id) }, compute),
    evaluation: (id, run, compute) => part({ part: "evaluation", id, run, files: own(EVALUATION_TABLES, id) }, compute),
    save: async () => {
      await writeState(reuse.stateFile, now);
    },
  };
}

/** The lake's manifest, or null where it has none. */
async function lakeManifest(lakeDir: string): Promise<Pick<Manifest, "tables"> | null> {
  const text = await readManifestText(lakeDir);
  return text === null ? null : (JSON.parse(text) as Manifest);
}

/**
 * Per table the files its reader reads — those the lake's manifest lists under its folder, as
 * tableFiles (table-reader.ts) takes them from the same manifest file — by partition value ("" for an
 * unpartitioned table), each as "key sha256"; null without a manifest (the readers then read the
 * folders as they are) or where a file lies outside `<folder>/<partition>=<value>/`.
 */
function fileLines(manifest: Pick<Manifest, "tables"> | null): Map<LakeTable, Map<string, string[]>> | null {
  if (manifest === null) return null;
  const out = new Map<LakeTable, Map<string, string[]>>();
  for (const table of [...CONTEXT_TABLES, ...PROJECT_TABLES, ...EVALUATION_TABLES]) {
    const byPartition = new Map<string, string[]>();
    const listed = manifest.tables[table.manifest!] ?? {};
    for (const key of Object.keys(listed)
      .filter((k) => k.startsWith(tableScope(table)))
      .sort()) {
      let value = "";
      if (table.partition !== null) {
        const segment = key.slice(tableScope(table).length).split("/");
        if (segment.length !== 2 || !segment[0]!.startsWith(`${table.partition}=`)) return null;
        value = segment[0]!.slice(table.partition.length + 1);
      }
      byPartition.set(value, [...(byPartition.get(value) ?? []), `${key} ${listed[key]!.sha256}`]);
    }
    out.set(table, byPartition);
  }
  return out;
}
