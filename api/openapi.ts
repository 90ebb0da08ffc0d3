import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { ApiRoutes } from './api-routes';
import { CSRF_HEADER } from './auth/csrf-token';
import { SESSION_COOKIE } from './auth/session-cookie';

/**
 * The OpenAPI document: each router registered its own paths from the schemas it parses
 * with; here only what is common is added (how to authenticate) and the document generated.
 */
export function openApiDocument(routes: ApiRoutes) {
  routes.registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' });
  routes.registry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'X-API-Key' });
  routes.registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: `The console's session, from POST /v1/session. A request that changes something (POST, PUT, PATCH, DELETE) made with it must also carry the session's ${CSRF_HEADER} header.`,
  });
  return new OpenApiGeneratorV31(routes.registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Sinergi API',
      version: '1',
      description:
        'Joint poverty-program rollout across agencies. Webhooks (POST /v1/webhooks/{agency}) are authenticated by their Standard Webhooks signature (webhook-id, webhook-timestamp, webhook-signature headers), every other route but health, sign-in and this document by an API key or the console session cookie.',
    },
  });
}
