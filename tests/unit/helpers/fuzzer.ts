// Seeded payload fuzzing for the signaling tests: a tiny generator (a failure replays with the same
// payloads), random values, valid payloads with one thing wrong, and the check every refusal passes.
import { expect } from 'vitest';
import { ERROR_CODES, type Result } from '../../../signaling/protocol';

const KNOWN_CODES = new Set<string>(ERROR_CODES);

/** True when the request was refused, after checking it was refused with a known code, never INTERNAL. */
export function refusedWithKnownCode(result: Result<unknown>, what: string): boolean {
  if (result.ok) return false;
  expect(KNOWN_CODES, what).toContain(result.error.code);
  expect(result.error.code, what).not.toBe('INTERNAL');
  return true;
}

/** mulberry32: a tiny seeded generator, so a failure replays with the same payloads. */
export function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function fuzzer(random: () => number) {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const text = () => {
    const length = pick([0, 1, 3, 4, 8, 64, 65, 300]);
    return Array.from({ length }, () => pick(['a', 'Z', '0', '-', '_', ' ', '/', '.', '\u0000', 'é', '🙂', '"'])).join('');
  };
  const value = (depth = 0): unknown => {
    const kinds = ['string', 'number', 'bool', 'null', 'undefined', ...(depth < 2 ? ['array', 'object'] : [])];
    switch (pick(kinds)) {
      case 'string': return text();
      case 'number': return pick([0, -1, 1.5, 1e308, Number.NaN, 2 ** 53]);
      case 'bool': return random() < 0.5;
      case 'null': return null;
      case 'undefined': return undefined;
      case 'array': return Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1));
      default: return Object.fromEntries(Array.from({ length: Math.floor(random() * 3) }, () => [text(), value(depth + 1)]));
    }
  };
  /** A valid payload with one field replaced, dropped, or an extra field added; or pure noise. */
  const mutate = (valid: Record<string, unknown>): unknown => {
    const keys = Object.keys(valid);
    const copy: Record<string, unknown> = { ...valid };
    switch (pick(['replace', 'drop', 'extra', 'noise'])) {
      case 'replace': copy[pick(keys)] = value(); return copy;
      case 'drop': delete copy[pick(keys)]; return copy;
      case 'extra': copy[pick(['passcode', 'from', 'host', text()])] = value(); return copy;
      default: return value();
    }
  };
  return { pick, mutate };
}
