import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { ApiRoutes } from './api-routes';

/**
 * The OpenAPI document: each router registered its own paths from the schemas it parses
 * with; here only what is common is added (how to authenticate) and the document generated.
 */
export function openApiDocument(routes: ApiRoutes) {
  routes.registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' });
  routes.registry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'X-API-Key' });
  return new OpenApiGeneratorV31(routes.registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Sinergi API',
      version: '1',
      description:
        'Joint poverty-program rollout across agencies. Webhooks (POST /v1/webhooks/{agency}) are authenticated by their Standard Webhooks signature (webhook-id, webhook-timestamp, webhook-signature headers), every other route but health and this document by an API key.',
    },
  });
}
