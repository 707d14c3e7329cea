import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './api-error';
import { checkJsonValue } from './json-body';
import { fieldPath, unstorableCharacter } from './storable-text';

/** The route config flag (`@RouteConfig(MULTIPART_ROUTE)`) of the routes that take multipart/form-data. */
export const MULTIPART_ROUTE = { multipart: true } as const;

/** RFC 2046: a boundary is 1 to 70 characters (busboy fails with a server error beyond 256, or when empty). */
const BOUNDARY = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))\s*(?:;|$)/i;

function takesMultipart(request: FastifyRequest): boolean {
  const config = request.routeOptions.config as { multipart?: boolean } | undefined;
  return config?.multipart === true;
}

/** application/json for JSON routes, multipart/form-data for the upload routes. */
export function acceptedMediaType(request: FastifyRequest): string {
  return takesMultipart(request) ? 'multipart/form-data' : 'application/json';
}

/** Path parameters and the query string reach SQL too: the same characters are refused there. */
function checkFlatValues(values: unknown, root: 'path' | 'query'): void {
  if (typeof values !== 'object' || values === null) return;
  for (const [name, value] of Object.entries(values)) {
    for (const text of Array.isArray(value) ? value : [value]) {
      if (typeof text !== 'string') continue;
      const reason = unstorableCharacter(text) ?? unstorableCharacter(name);
      if (reason) {
        const field = unstorableCharacter(name) ? root : fieldPath('', name);
        throw ApiError.badRequest('INVALID_CHARACTER', `${field} contains ${reason}; remove it`, field);
      }
    }
  }
}

/**
 * The request edge, before any Nest pipe sees a body: only application/json is parsed (with a depth limit and
 * a check for text PostgreSQL cannot store), multipart/form-data only on the routes that take it and only with
 * a usable boundary. Anything else is 415 naming what the route accepts (see the error filter).
 * Call before the routes are registered (app.init()).
 */
export function configureHttpEdge(fastify: FastifyInstance): void {
  // Fastify's defaults also parse text/plain (a JSON body sent as text/plain was validated as a string).
  fastify.removeAllContentTypeParsers();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parseJson(request, body as string, (error: Error | null, value?: unknown) => {
      if (error) return done(error, undefined);
      try {
        checkJsonValue(value);
      } catch (refusal) {
        return done(refusal as Error, undefined);
      }
      done(null, value);
    });
  });

  fastify.addHook('preValidation', async (request) => {
    checkFlatValues(request.params, 'path');
    checkFlatValues(request.query, 'query');
    const isMultipart = (request as { isMultipart?: () => boolean }).isMultipart?.() ?? false;
    if (!isMultipart) return;
    if (!takesMultipart(request)) {
      throw new ApiError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'This route takes application/json (Content-Type: application/json), not multipart/form-data',
        'Content-Type',
      );
    }
    if (!BOUNDARY.test(request.headers['content-type'] ?? '')) {
      throw ApiError.badRequest(
        'MULTIPART_BOUNDARY_REQUIRED',
        'multipart/form-data needs a boundary of 1 to 70 characters (Content-Type: multipart/form-data; boundary=…)',
        'Content-Type',
      );
    }
  });
}
