// The resume secret outlives the process: generated once into a private file and read back by the
// next start, unless RESUME_SECRET is set; a file that cannot be written costs only the restart.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { resolveResumeSecret } from '../../../server/resume-secret';
import type { Logger } from '../../../server/logger';

const dir = mkdtempSync(join(tmpdir(), 'resume-secret-'));
afterEach(() => rmSync(join(dir, 'state'), { recursive: true, force: true }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fakeLogger = () => ({ warn: vi.fn() }) as unknown as Logger & { warn: ReturnType<typeof vi.fn> };

describe('resolveResumeSecret', () => {
  it('creates the file once (mode 600, directory 700) and the next start reads the same secret', () => {
    const file = join(dir, 'state', 'mvs', 'resume-secret');
    const first = resolveResumeSecret(undefined, file, fakeLogger());
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'state', 'mvs')).mode & 0o777).toBe(0o700);
    expect(resolveResumeSecret(undefined, file, fakeLogger())).toBe(first);
  });

  it('a configured secret wins and no file is written', () => {
    const file = join(dir, 'state', 'never');
    expect(resolveResumeSecret('configured-secret-123', file, fakeLogger())).toBe('configured-secret-123');
    expect(() => statSync(file)).toThrow();
  });

  it('a too-short kept secret is replaced', () => {
    const file = join(dir, 'state-short');
    writeFileSync(file, 'short\n');
    const secret = resolveResumeSecret(undefined, file, fakeLogger());
    expect(secret).not.toBe('short');
    expect(readFileSync(file, 'utf8').trim()).toBe(secret);
    rmSync(file);
  });

  it('a file that cannot be written still gives a secret, with a warning that a restart will not restore seats', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'x');
    const logger = fakeLogger();
    const secret = resolveResumeSecret(undefined, join(blocker, 'under-a-file', 'secret'), logger);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(logger.warn).toHaveBeenCalledWith(expect.anything(), expect.stringContaining('will not restore mesh seats'));
  });
});
