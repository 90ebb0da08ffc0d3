import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CredentialsFileSchema, type CredentialsFile, type Principal } from './principal';

export interface CredentialStore {
  /** The principal whose key this is, if any. */
  authenticate(apiKey: string): Principal | undefined;
}

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/**
 * Keys are kept only as SHA-256 hashes (API keys are random, so a plain hash suffices) and
 * every stored hash is compared in constant time, so timing tells nothing about which matched.
 */
export function credentialStore(file: CredentialsFile): CredentialStore {
  const entries = file.principals.map(({ keySha256, ...principal }) => ({ hash: Buffer.from(keySha256, 'hex'), principal: principal as Principal }));
  return {
    authenticate(apiKey) {
      const presented = Buffer.from(hashApiKey(apiKey), 'hex');
      let found: Principal | undefined;
      for (const entry of entries) if (timingSafeEqual(entry.hash, presented)) found = entry.principal;
      return found;
    },
  };
}

export function loadCredentialStore(path: string): CredentialStore {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read the credentials file ${path}: ${(err as Error).message}`);
  }
  const parsed = CredentialsFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`invalid credentials file ${path}:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return credentialStore(parsed.data);
}
