import { existsSync } from 'node:fs';

/**
 * npm start and the CLI read `./.env` (the keys of .env.example) when there is one, so a copy of
 * .env.example edited in place takes effect; a variable set in the environment wins over the file.
 * The api and the worker started on their own take only their environment (compose, systemd).
 */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}
