import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const LIB = resolve(import.meta.dirname, '../../lib');

/** The part of lib/ a file belongs to: its top folder (`scheduler`), or the file itself (`clock.ts`). */
function partOf(file: string): string {
  const [first = ''] = relative(LIB, file).split('/');
  return first;
}

function libFiles(dir = LIB): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return libFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The lib/ file an import specifier names (`#lib/x`, `./x`, `../x`), or undefined for a package. */
function resolveInLib(from: string, specifier: string): string | undefined {
  if (specifier.startsWith('#lib/')) return join(LIB, `${specifier.slice('#lib/'.length)}.ts`);
  if (specifier.startsWith('.')) return `${resolve(dirname(from), specifier)}.ts`;
  return undefined;
}

/** Edges between parts of lib/: every import (type-only and dynamic ones included) that crosses parts. */
function partGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of libFiles()) {
    const from = partOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      const target = resolveInLib(file, fileName);
      if (target !== undefined && partOf(target) !== from) edges.add(partOf(target));
    }
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the path that closes it (`a → b → a`). */
function cyclesOf(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const cycles: string[] = [];
  const done = new Set<string>();
  const walk = (node: string, path: string[]) => {
    const at = path.indexOf(node);
    if (at >= 0) {
      cycles.push([...path.slice(at), node].join(' → '));
      return;
    }
    if (done.has(node)) return;
    for (const next of graph.get(node) ?? []) walk(next, [...path, node]);
    done.add(node);
  };
  for (const node of graph.keys()) walk(node, []);
  return cycles;
}

/**
 * docs/architecture.md's folder table ("Folders, and which may import which"): each `folder/` row's imports
 * column, top-level modules (`clock.ts`, ...) left out as the table says.
 */
function documentedImports(): Map<string, string[]> {
  const doc = readFileSync(resolve(import.meta.dirname, '../../docs/architecture.md'), 'utf8');
  const rows = new Map<string, string[]>();
  for (const line of doc.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const folder = /^`([a-z-]+)\/`$/.exec(cells[1] ?? '')?.[1];
    if (folder === undefined || cells.length < 5) continue;
    const imports = cells[3] === '—' ? [] : (cells[3] ?? '').split(',').map((name) => name.trim());
    rows.set(folder, imports.sort());
  }
  return rows;
}

describe('imports between the parts of lib/', () => {
  it('form no cycle: each folder depends only on folders below it', () => {
    const graph = partGraph();

    expect(graph.get('scheduler')).toContain('runs');
    expect(cyclesOf(graph)).toEqual([]);
  });

  it("are the ones docs/architecture.md's folder table lists for each folder", () => {
    const graph = partGraph();
    const documented = documentedImports();
    const actual = new Map(
      [...documented.keys()].map((part) => [
        part,
        [...(graph.get(part) ?? [])].filter((target) => !target.endsWith('.ts')).sort(),
      ]),
    );

    expect(documented.size).toBeGreaterThan(10);
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(actual));
  });

  it("go only up docs/architecture.md's folder table: each folder imports folders listed above it", () => {
    const documented = [...documentedImports()];
    const below = documented.flatMap(([part, imports], row) =>
      imports
        .filter((target) => documented.findIndex(([other]) => other === target) >= row)
        .map((target) => `${part} → ${target}`),
    );

    expect(below).toEqual([]);
  });

  it('finds a cycle when two parts import each other (the check itself works)', () => {
    const graph = new Map([
      ['lifecycle', new Set(['scheduler'])],
      ['scheduler', new Set(['runs', 'lifecycle'])],
      ['runs', new Set<string>()],
    ]);

    expect(cyclesOf(graph)).toEqual(['lifecycle → scheduler → lifecycle']);
  });
});
