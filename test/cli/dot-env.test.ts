import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDotEnv } from '../../config/dot-env';

/** A copy of .env.example edited in place is what npm start and the CLI run with. */
describe('./.env', () => {
  const keys = ['SINERGI_TEST_DOTENV_FROM_FILE', 'SINERGI_TEST_DOTENV_SET'];
  let dir = '';
  afterEach(async () => {
    for (const key of keys) delete process.env[key];
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("sets the file's keys, leaving those the environment already sets", async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sinergi-dotenv-'));
    const file = path.join(dir, '.env');
    await writeFile(file, '# a comment\nSINERGI_TEST_DOTENV_FROM_FILE=5433\nSINERGI_TEST_DOTENV_SET=from-file\n');
    process.env.SINERGI_TEST_DOTENV_SET = 'from-environment';
    loadDotEnv(file);
    expect(process.env.SINERGI_TEST_DOTENV_FROM_FILE).toBe('5433');
    expect(process.env.SINERGI_TEST_DOTENV_SET).toBe('from-environment');
  });

  it('is nothing when there is no file', () => {
    expect(() => loadDotEnv(path.join(tmpdir(), 'no-such-dir-sinergi', '.env'))).not.toThrow();
    expect(process.env.SINERGI_TEST_DOTENV_FROM_FILE).toBeUndefined();
  });
});
