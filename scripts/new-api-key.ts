import { randomBytes } from 'node:crypto';
import { hashApiKey } from '../api/auth/credential-store';
import { PrincipalSchema } from '../api/auth/principal';

/**
 * Makes a new random API key for a principal and prints the entry to add to the credentials
 * file (only the hash is stored). Usage: npm run new-api-key -- <id> <role> [agency | regions]
 */
const [id, role, third] = process.argv.slice(2);
// A ministry's third argument is its agency; a person's, the regions they are limited to (35.09,35.07).
const extra = third === undefined ? {} : role === 'ministry' ? { agency: third } : { regions: third.split(',') };
const principal = PrincipalSchema.safeParse({ id, role, ...extra });
if (!principal.success) {
  console.error('usage: npm run new-api-key -- <id> <viewer|coordinator|manager|ministry> [agency, for a ministry | regions, e.g. 35.09,35.07, for a person limited to them]');
  console.error(principal.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n'));
  process.exit(2);
}
const key = `snrg_${randomBytes(24).toString('base64url')}`;
console.log(`API key for ${principal.data.id} (give it to them; it is not stored anywhere):\n  ${key}\n`);
console.log('Add to the principals of your credentials file (AUTH_CREDENTIALS_FILE):');
console.log(JSON.stringify({ ...principal.data, keySha256: hashApiKey(key) }, null, 2));
