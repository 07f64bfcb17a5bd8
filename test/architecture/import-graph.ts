/** The file-level graph of relative imports among edge/ and sidecar/ sources, and its cycles. */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** Each source file (repo-relative) and the files it imports. */
export type ImportGraph = Map<string, Set<string>>;

const importPattern =
  /^\s*(import|export)\s+(type\s+)?(?:[^"';]*?\s+from\s+)?["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/gm;

/**
 * Reads every non-test .ts file under `folders` of `root` and returns its relative-import graph; with
 * `types: false`, `import type` statements (erased at run time) are left out.
 */
export function importGraph(
  root: string,
  folders: readonly string[],
  options: { types: boolean },
): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const folder of folders) {
    const files = readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile() && f.name.endsWith(".ts") && !f.name.endsWith(".test.ts"))
      .map((f) => join(f.parentPath, f.name));
    for (const file of files) {
      const edges = new Set<string>();
      for (const m of readFileSync(file, "utf8").matchAll(importPattern)) {
        if (m[2] && !options.types) continue;
        const spec = m[3] ?? m[4];
        if (spec) edges.add(relative(root, resolve(dirname(file), spec)));
      }
      graph.set(relative(root, file), edges);
    }
  }
  return graph;
}

/** The strongly connected components with more than one node (Tarjan's algorithm): the import cycles. */
export function cycles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** The graph with each file replaced by its folder; edges inside one folder dropped. */
export function folderGraph(graph: ImportGraph): ImportGraph {
  const folders: ImportGraph = new Map();
  for (const [file, imports] of graph) {
    const from = dirname(file);
    const edges = folders.get(from) ?? new Set<string>();
    for (const target of imports) if (dirname(target) !== from) edges.add(dirname(target));
    folders.set(from, edges);
  }
  return folders;
}
