/**
 * The import graph of etl/ has no cycle: a module never depends, through any chain of relative
 * imports, on itself. A cycle makes the load order decide which bindings are still undefined, and
 * ties modules together that should be independent (issue 12). The graph is read from the sources'
 * import and export statements and dynamic imports, like /work/tools/cycles.py; every cycle found is
 * reported as its chain of files.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "./helpers/shared.ts";

const SPECIFIER = /(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;

/** Relative imports of every .ts file under `root`, as absolute paths of files under `root`. */
function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith(".ts"));
  for (const entry of files) {
    const file = join(entry.parentPath, entry.name);
    const targets = [...readFileSync(file, "utf8").matchAll(SPECIFIER)].map((m) => {
      const target = resolve(dirname(file), m[1]!);
      return target.endsWith(".js") && !existsSync(target) ? `${target.slice(0, -3)}.ts` : target;
    });
    graph.set(
      file,
      targets.filter((t) => t.startsWith(`${root}/`) && t.endsWith(".ts")),
    );
  }
  return graph;
}

/** Every cycle a depth-first search meets (each as the chain of files, first repeated at the end). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string): void => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe("import cycles", () => {
  it("finds a cycle where there is one (the check itself)", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    expect(cycles(graph)).toEqual([["a", "b", "c", "a"]]);
    expect(
      cycles(
        new Map([
          ["a", ["b"]],
          ["b", []],
          ["c", ["a", "b"]],
        ]),
      ),
    ).toEqual([]);
  });

  it("etl/ has none", () => {
    const root = join(projectRoot, "etl");
    const graph = importGraph(root);
    expect(graph.size).toBeGreaterThan(100);
    expect(cycles(graph).map((chain) => chain.map((file) => relative(projectRoot, file)).join(" -> "))).toEqual([]);
  });
});
