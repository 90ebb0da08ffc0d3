import { existsSync } from 'node:fs';
import path from 'node:path';

/** The pinned Temporal CLI that scripts/install-temporal.sh links into the clone. */
export function temporalCliPath(): string {
  const bin = path.resolve(__dirname, '..', '.tools', 'temporal');
  if (!existsSync(bin)) throw new Error(`Temporal CLI not found at ${bin}: run "npm run setup" first`);
  return bin;
}
