// signaling/PROTOCOL.md keeps up with the code: it names every client event, every error code and
// every HTTP path, and quotes the limits the code enforces.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { HTTP_PATHS } from '../../../signaling/http';
import { CLIENT_EVENTS, ERROR_CODES, MAX_PAYLOAD_BYTES, ROOM_ID_PATTERN } from '../../../signaling/protocol';
import { RATES_MAX_AGE_MS } from '../../../server/sfu/rates';

const doc = readFileSync(resolve(__dirname, '../../../signaling/PROTOCOL.md'), 'utf8');

it('names every client event, error code and HTTP path', () => {
  const names = [...CLIENT_EVENTS, ...ERROR_CODES, ...Object.values(HTTP_PATHS)];
  expect(names.filter((name) => !doc.includes(`\`${name}\``) && !doc.includes(`GET ${name}`))).toEqual([]);
});

it('quotes the limits the code enforces', () => {
  expect(MAX_PAYLOAD_BYTES).toBe(64 * 1024);
  expect(doc).toContain('64 KiB');
  expect(doc).toContain(`\`${ROOM_ID_PATTERN.source}\``);
  expect(RATES_MAX_AGE_MS).toBe(1_000);
  expect(doc).toContain('at most once per second');
});
