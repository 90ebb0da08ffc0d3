import { randomBytes } from 'node:crypto';
import { credentialStore, hashApiKey } from '../api/auth/credential-store';
import type { Principal } from '../api/auth/principal';
import { ContactsSchema } from '../activities/notifications/contacts';
import type { AgencyEndpoints, WebhookSecrets } from '../config/config';
import { agencies, byAgency, type Agency } from '../domain/agency';

export const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

/**
 * One principal per role (and one ministry per agency), each with its own API key; and a manager
 * and a coordinator of Jember (regency 35.09) alone.
 */
export const testPrincipals = {
  coordinator: { id: 'test-coordinator', role: 'coordinator' },
  manager: { id: 'test-manager', role: 'manager' },
  viewer: { id: 'test-viewer', role: 'viewer' },
  jemberManager: { id: 'test-manager-jember', role: 'manager', regions: ['35.09'] },
  jemberCoordinator: { id: 'test-coordinator-jember', role: 'coordinator', regions: ['35.09'] },
  ...Object.fromEntries(agencies.map((a) => [a, { id: `test-ministry-${a}`, role: 'ministry', agency: a }])),
} as Record<'coordinator' | 'manager' | 'viewer' | 'jemberManager' | 'jemberCoordinator' | Agency, Principal>;
export type Caller = keyof typeof testPrincipals;

export const apiKeyOf = (caller: Caller) => `key-of-${testPrincipals[caller].id}`;

export function testCredentialStore() {
  return credentialStore({
    principals: Object.entries(testPrincipals).map(([caller, p]) => ({ ...p, keySha256: hashApiKey(apiKeyOf(caller as Caller)) })),
  });
}

/** Agency endpoints with fresh credentials and request-signing secrets (urls filled in by the caller). */
export function testEndpoints(): AgencyEndpoints {
  return byAgency((definition, agency) => ({
    url: '',
    credentials: Object.fromEntries(Object.keys(definition.credentials).map((name) => [name, `test-${agency}-${name.toLowerCase()}`])),
    requestSecret: newSecret(),
  }));
}

/** Two secrets per agency, as during a rotation: the simulators sign with the first. */
export function testWebhookSecrets(): WebhookSecrets {
  return Object.fromEntries(agencies.map((a) => [a, [newSecret(), newSecret()]])) as WebhookSecrets;
}

/**
 * Who hears of SLAs in tests: a focal point per agency, a manager for regency 35.07, the province
 * above (who reads English, so an escalation goes out in both languages).
 */
export const testContacts = ContactsSchema.parse({
  focalPoints: Object.fromEntries(agencies.map((a) => [a, [{ name: `Focal ${a}`, email: `focal.${a}@sinergi.test` }]])),
  managers: [
    { name: 'Manager 35.07', email: 'manager.3507@sinergi.test', regions: ['35.07'] },
    // Regency 36.01 is used by the digest test alone, so its digest holds only that test's runs.
    { name: 'Manager 36.01', email: 'manager.3601@sinergi.test', regions: ['36.01'] },
  ],
  escalation: [{ name: 'Province 35', email: 'province.35@sinergi.test', regions: ['35'], language: 'en' }],
});
