// The browser's layers run one way: protocol <- call <- stats <- hooks <- components. This reads
// every import in app/ and fails on one that points up a layer or into the server's code.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

/** Every module a file imports or re-exports, as a repository path for relative ones. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2],
  );
  return specifiers.map((s) => (s.startsWith('.') ? relative(root, resolve(root, dirname(file), s)) : s));
}

function violations(dir: string, forbidden: (target: string) => boolean): string[] {
  return sourceFiles(dir).flatMap((file) => importsOf(file).filter(forbidden).map((target) => `${file} -> ${target}`));
}

const under = (folder: string) => (target: string) => target === folder || target.startsWith(`${folder}/`);

describe('browser layers', () => {
  it('finds the imports it checks (the scanner itself works)', () => {
    expect(importsOf('app/lib/stats/normalize.ts')).toContain('app/lib/call/engine');
    expect(sourceFiles('app/lib/call').length).toBeGreaterThan(5);
  });

  it('call engines import neither stats, hooks, components nor React', () => {
    const up = (t: string) => under('app/lib/stats')(t) || under('app/lib/hooks')(t) || under('app/components')(t) || t === 'react';
    expect(violations('app/lib/call', up)).toEqual([]);
  });

  it('stats imports neither hooks, components nor React', () => {
    const up = (t: string) => under('app/lib/hooks')(t) || under('app/components')(t) || t === 'react';
    expect(violations('app/lib/stats', up)).toEqual([]);
  });

  it('hooks do not import components', () => {
    expect(violations('app/lib/hooks', under('app/components'))).toEqual([]);
  });

  it('the browser reaches the server only through the protocol layer', () => {
    const serverSide = (t: string) =>
      under('server')(t) || (under('signaling')(t) && !/^signaling\/(protocol|http)/.test(t)) || /^(mediasoup|socket\.io|pino|prom-client)$/.test(t);
    expect(violations('app', serverSide)).toEqual([]);
  });
});
