// The server side's layers run one way: protocol (+ errors, HTTP shapes, the SFU interface) <-
// signaling handlers <- server. This reads every import under signaling/ and server/ and fails on
// one that runs back up, or on a leaf that pulls in a runtime library.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file imports, re-exports or loads lazily; relative ones as repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const pattern = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  const specifiers = [...text.matchAll(pattern)].map((m) => m[1] ?? m[2] ?? m[3]);
  return specifiers.map((s) => (s.startsWith('.') ? relative(root, resolve(root, dirname(file), s)) : s));
}

function violations(files: string[], forbidden: (target: string) => boolean): string[] {
  return files.flatMap((file) => importsOf(file).filter(forbidden).map((target) => `${file} -> ${target}`));
}

const under = (folder: string) => (target: string) => target === folder || target.startsWith(`${folder}/`);
/** The protocol layer: what the browser may import, and what the signaling handlers stand on. */
const LEAVES = ['signaling/protocol', 'signaling/errors', 'signaling/http', 'signaling/sfu-service'];
const isLeaf = (path: string) => LEAVES.some((leaf) => under(leaf)(path.replace(/\.ts$/, '')));

const signaling = sourceFiles('signaling');
const leaves = signaling.filter(isLeaf);
const server = sourceFiles('server');
const serverSfu = sourceFiles('server/sfu');

describe('server-side layers', () => {
  it('finds the files and imports it checks (the scanner itself works)', () => {
    expect(leaves).toEqual(expect.arrayContaining(['signaling/protocol/index.ts', 'signaling/errors.ts', 'signaling/http.ts']));
    expect(importsOf('signaling/guard.ts')).toEqual(expect.arrayContaining(['pino', 'socket.io', 'signaling/protocol', 'signaling/errors']));
    expect(importsOf('server/start-sfu.ts')).toContain('server/sfu/index');
    expect(importsOf('server/sfu/index.ts')).toContain('mediasoup');
    expect(serverSfu.length).toBeGreaterThan(5);
  });

  it('signaling imports nothing from server/, app/ or scripts/', () => {
    const up = (t: string) => under('server')(t) || under('app')(t) || under('scripts')(t);
    expect(violations(signaling, up)).toEqual([]);
  });

  it('the protocol layer imports only zod and itself (no Socket.IO, pino, mediasoup or Node)', () => {
    expect(violations(leaves, (t) => t !== 'zod' && !isLeaf(t))).toEqual([]);
  });

  it('signaling handlers hold no media objects: no mediasoup', () => {
    expect(violations(signaling, (t) => t.startsWith('mediasoup'))).toEqual([]);
  });

  it('the server never imports the browser app', () => {
    expect(violations(server, (t) => under('app')(t) || under('scripts')(t))).toEqual([]);
  });

  it('server/sfu knows no Socket.IO and reaches signaling only through the protocol layer', () => {
    const forbidden = (t: string) => t.startsWith('socket.io') || (under('signaling')(t) && !isLeaf(t));
    expect(violations(serverSfu, forbidden)).toEqual([]);
  });
});
