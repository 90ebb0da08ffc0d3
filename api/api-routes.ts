import { OpenAPIRegistry, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { AppError } from './app-error';
import { allow } from './auth/authenticate';
import type { Role } from './auth/principal';
import { ErrorBodySchema } from './error-body';
import { parseRequest } from './parse';

type Method = 'get' | 'post' | 'delete';

export interface ResponseSpec {
  description: string;
  /** The JSON body (an error body when absent on a 4xx); `content` for other types. */
  schema?: z.ZodType;
  content?: Record<string, z.ZodType>;
  headers?: z.ZodObject;
}

export interface RouteSpec<P extends z.ZodObject | undefined, Q extends z.ZodObject | undefined> {
  summary: string;
  /** Who may call it (401 without a key, 403 with another role); absent for public routes. */
  roles?: readonly Role[];
  /** Authenticated by the console's session cookie alone, not by an API key (the session's own routes). */
  sessionOnly?: boolean;
  params?: P;
  query?: Q;
  /** Headers the route reads (documented; the route parses them where it needs them). */
  headers?: z.ZodObject;
  /** The request body by content type (always required); the handler parses it, with this schema. */
  body?: Record<string, z.ZodType>;
  /** Success answers and the errors particular to this route; the common ones are added. */
  responses: Record<number, ResponseSpec>;
  /** False for routes that answer without Temporal (no 503 unless they use the records store). */
  temporal?: boolean;
  /** True for a route that answers without Temporal but reads or writes the records store (503 while it is down). */
  records?: boolean;
}

type Parsed<S> = S extends z.ZodObject ? z.infer<S> : undefined;
type Handler<P, Q> = (input: { params: Parsed<P>; query: Parsed<Q> }, req: Request, res: Response) => unknown;

const errorResponse = (description: string): ResponseConfig => ({ description, content: { 'application/json': { schema: ErrorBodySchema } } });
export const retryAfter = z.object({ 'retry-after': z.string().meta({ description: 'seconds to wait' }) });

/**
 * Where every route is declared once: the express route (with its role check and the parsing
 * of its path and query) and its OpenAPI operation come from the same spec and schemas, and the
 * set of paths and methods answers 405 for the others.
 */
export class ApiRoutes {
  readonly registry = new OpenAPIRegistry();
  private readonly methodsByPath = new Map<string, Set<string>>();

  add<P extends z.ZodObject | undefined = undefined, Q extends z.ZodObject | undefined = undefined>(
    router: Router,
    method: Method,
    path: string,
    spec: RouteSpec<P, Q>,
    handler: Handler<P, Q>,
  ): void {
    const methods = this.methodsByPath.get(path) ?? new Set<string>();
    methods.add(method.toUpperCase());
    this.methodsByPath.set(path, methods);
    this.registry.registerPath({
      method,
      path: path.replace(/:(\w+)/g, '{$1}'),
      summary: spec.summary,
      ...(spec.roles ? { description: `Roles: ${spec.roles.join(', ')}.`, security: spec.sessionOnly ? [{ session: [] }] : [{ bearer: [] }, { apiKey: [] }, { session: [] }] } : { security: [] }),
      request: {
        ...(spec.params && { params: spec.params }),
        ...(spec.query && { query: spec.query }),
        ...(spec.headers && { headers: spec.headers }),
        ...(spec.body && { body: { required: true, content: Object.fromEntries(Object.entries(spec.body).map(([type, schema]) => [type, { schema }])) } }),
      },
      responses: { ...commonResponses(spec), ...Object.fromEntries(Object.entries(spec.responses).map(([status, r]) => [status, responseConfig(Number(status), r)])) },
    });
    const checks: RequestHandler[] = spec.roles ? [allow(...spec.roles)] : [];
    router[method](path, ...checks, async (req, res) => {
      const params = (spec.params ? parseRequest(spec.params, req.params, 'params') : undefined) as Parsed<P>;
      const query = (spec.query ? parseRequest(spec.query, req.query, 'query') : undefined) as Parsed<Q>;
      await handler({ params, query }, req, res);
    });
  }

  /** Answers 405 (with Allow) for a method no route of a known path takes, and OPTIONS with Allow. */
  methodGuard(): Router {
    const guard = Router();
    const allowed = new WeakMap<Request, Set<string>>();
    const literal = new WeakSet<Request>();
    for (const [path, methods] of this.methodsByPath) {
      const isLiteral = !path.includes(':');
      guard.all(path, (req, _res, next) => {
        // A literal path (…/preview) is a resource of its own: a sibling's :id lends it no methods.
        if (literal.has(req)) return next();
        if (isLiteral) literal.add(req);
        const set = (!isLiteral && allowed.get(req)) || new Set<string>();
        for (const m of methods) set.add(m);
        allowed.set(req, set);
        next();
      });
    }
    guard.use((req, res, next) => {
      const methods = allowed.get(req);
      if (!methods) return next();
      if (methods.has('GET')) methods.add('HEAD');
      if (methods.has(req.method)) return next();
      const allow = [...methods].sort().join(', ');
      res.set('Allow', allow);
      if (req.method === 'OPTIONS') return res.status(204).end();
      next(new AppError('method_not_allowed', `${req.method} is not supported on ${req.path}; allowed: ${allow}`));
    });
    return guard;
  }
}

function responseConfig(status: number, r: ResponseSpec): ResponseConfig {
  const json = r.schema ?? (status >= 400 ? ErrorBodySchema : undefined);
  const content = r.content ?? (json ? { 'application/json': json } : undefined);
  return { description: r.description, ...(r.headers && { headers: r.headers }), ...(content && { content: Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema }])) }) };
}

function commonResponses(spec: RouteSpec<z.ZodObject | undefined, z.ZodObject | undefined>): Record<number, ResponseConfig> {
  const responses: Record<number, ResponseConfig> = {};
  if (spec.params || spec.query || spec.body || spec.headers) responses[400] = errorResponse('bad input; `fields` names each bad field');
  if (spec.roles) {
    responses[401] = errorResponse('no credentials, an unknown API key, or a session that expired or ended');
    responses[403] = errorResponse('a role that may not do this, or a session cookie without its x-csrf-token on a request that changes something');
    responses[429] = { ...errorResponse('too many requests; retry after Retry-After seconds'), headers: retryAfter };
  }
  if (spec.body) {
    responses[413] = errorResponse('the body is too large');
    responses[415] = errorResponse('a content-encoding or charset the API does not read');
  }
  if (spec.temporal !== false || spec.records) {
    const what = spec.temporal === false ? 'the records store is' : 'Temporal or the records store is';
    responses[503] = { ...errorResponse(`${what} unreachable; retry after Retry-After seconds`), headers: retryAfter };
  }
  return responses;
}
