// The kit's folders import one way: no cycle between them, lib/ never reaches into cli/, and the
// app is read only through its documented hooks' types (lib/hooks.ts), never its code.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');
const kit = 'scripts/kit';

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry.name) ? [path] : [];
  });
}

interface Import {
  target: string;
  typeOnly: boolean;
}

/** Every relative module a file imports or re-exports, as a repository path. */
function importsOf(file: string): Import[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(import|export)\s+(type\s+)?[^'"]*?from\s+['"](\.[^'"]+)['"]/g)].map((m) => ({
    target: relative(root, resolve(root, dirname(file), m[3])),
    typeOnly: !!m[2],
  }));
}

/** The kit folder a path belongs to (cli, lib, lib/browser, …), or null outside the kit. */
function folderOf(path: string): string | null {
  if (!path.startsWith(`${kit}/`)) return null;
  return dirname(path.slice(kit.length + 1));
}

function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(kit)) {
    const from = folderOf(file)!;
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const { target } of importsOf(file)) {
      const to = folderOf(target);
      if (to !== null && to !== from) edges.add(to);
    }
  }
  return graph;
}

/** One cycle as a path of folders, or null. */
function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

describe('kit layers', () => {
  it('finds the folders and imports it checks (the scanner itself works)', () => {
    const graph = folderGraph();
    expect([...graph.keys()].sort()).toEqual(['cli', 'lib', 'lib/browser', 'lib/cluster', 'lib/lab', 'lib/measure', 'lib/report', 'lib/rtp']);
    expect(graph.get('lib/report')).toContain('lib/measure');
    expect(findCycle(new Map([['a', new Set(['b'])], ['b', new Set(['a'])]]))).toEqual(['a', 'b', 'a']);
  });

  it('has no import cycle between its folders', () => {
    expect(findCycle(folderGraph())).toBeNull();
  });

  it('lib/ never imports a CLI', () => {
    const bad = sourceFiles(`${kit}/lib`).flatMap((f) => importsOf(f).filter((i) => folderOf(i.target) === 'cli').map((i) => `${f} -> ${i.target}`));
    expect(bad).toEqual([]);
  });

  it('reads the app only through lib/hooks.ts, and only its types', () => {
    const appImports = sourceFiles(kit).flatMap((f) => importsOf(f).filter((i) => i.target.startsWith('app/')).map((i) => ({ f, ...i })));
    expect(appImports.map((i) => i.f)).toEqual([`${kit}/lib/hooks.ts`]);
    expect(appImports.every((i) => i.typeOnly)).toBe(true);
  });
});
