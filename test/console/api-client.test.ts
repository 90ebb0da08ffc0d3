import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientSchemaPath, openApiClientSchema } from '../../scripts/openapi-client-schema';

const root = path.resolve(__dirname, '..', '..');

/** The file as git holds it (staged or committed): `npm run build` rewrites the working copy, so that alone proves nothing in CI. */
async function committedSchema(): Promise<string> {
  const relative = path.relative(root, clientSchemaPath);
  try {
    return execFileSync('git', ['show', `:${relative}`], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    // Not in git yet (a new clone's first build): the working copy is what will be committed.
    return readFile(clientSchemaPath, 'utf8');
  }
}

describe("the console's generated API client", () => {
  it('is current with the OpenAPI document the API builds (else `npm run build` and commit console/src/api/schema.d.ts)', async () => {
    const fresh = await openApiClientSchema();
    expect(fresh).toContain('"/v1/stuck"');
    expect(fresh).toContain('"/v1/runs/{id}/steps/{key}/extend"');
    expect((await committedSchema()) === fresh, 'console/src/api/schema.d.ts is stale: run `npm run build` and commit it').toBe(true);
  });
});
