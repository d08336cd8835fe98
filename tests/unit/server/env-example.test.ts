// .env.example lists every variable the server reads: those of server/config.ts's schema and the
// ones server/sfu/worker-bin.ts reads, found in the sources so a new variable cannot go undocumented.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { parseConfig } from '../../../server/config';

const root = resolve(__dirname, '../../..');
const read = (path: string) => readFileSync(resolve(root, path), 'utf8');

function variablesRead(): string[] {
  const schema = read('server/config.ts');
  const body = schema.slice(schema.indexOf('const envSchema'), schema.indexOf('});', schema.indexOf('const envSchema')));
  const fromSchema = [...body.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]);
  const fromWorkerBin = [...read('server/sfu/worker-bin.ts').matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]);
  return [...new Set([...fromSchema, ...fromWorkerBin])].sort();
}

it('documents every variable the server reads, and only those', () => {
  const variables = variablesRead();
  expect(variables).toEqual(expect.arrayContaining(['PORT', 'TURN_MODE', 'TURN_PORT', 'MEDIASOUP_WORKER_CACHE', 'MEDIASOUP_WORKER_BIN']));
  const documented = [...read('.env.example').matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
  expect([...new Set(documented)].sort()).toEqual(variables);
});

it('the values .env.example sets parse', () => {
  const text = read('.env.example');
  const env = Object.fromEntries([...text.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]));
  expect(Object.keys(env).length).toBeGreaterThan(10);
  expect(() => parseConfig(env)).not.toThrow();
});
