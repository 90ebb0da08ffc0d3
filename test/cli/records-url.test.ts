import { describe, expect, it } from 'vitest';
import { cliRecordsUrl } from '../../cli/records-url';
import { loadConfig } from '../../config/config';

/** `records rebuild` and `data reseal` beside `npm start`, which sets DATABASE_URL only for its own children. */
describe("the CLI's records store", () => {
  it('is DATABASE_URL when set', () => {
    expect(cliRecordsUrl(loadConfig({ DATABASE_URL: 'postgres://u:p@db.example:5432/sinergi' }))).toBe('postgres://u:p@db.example:5432/sinergi');
  });

  it("is npm start's embedded PostgreSQL, on its configured port, when unset outside production", () => {
    expect(cliRecordsUrl(loadConfig({ EMBEDDED_POSTGRES_PORT: '5999' }))).toBe('postgres://sinergi:sinergi-embedded@127.0.0.1:5999/sinergi');
  });

  it('is nothing in production, so the command refuses rather than guess', () => {
    expect(cliRecordsUrl(loadConfig({ NODE_ENV: 'production' }))).toBeUndefined();
  });
});
