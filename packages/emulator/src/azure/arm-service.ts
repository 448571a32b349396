import type { EmulatorResponse, EmulatorService, RouteMatch } from '../server/emulator-types.js';
import { armError } from './arm-errors.js';
import type { ArmRequestRegion } from './arm-request-region.js';
import { type ArmRoute, compileRoutes, matchRoutes } from './arm-route.js';
import type { ArmWorld } from './arm-world.js';

const apiVersionPattern = /^\d{4}-\d{2}-\d{2}(-preview|-privatepreview|-beta|-alpha)?$/i;

/**
 * Azure Resource Manager, mounted at `/azure`: clients keep
 * `https://management.azure.com` and a rewriting `httpClient` sends to
 * `${emulator.url}/azure`. The gateway part lives here (bearer token,
 * api-version, case-insensitive routing, ARM error bodies and headers); the
 * resource providers contribute routes.
 */
export function createArmService(
  world: ArmWorld,
  routes: readonly ArmRoute[],
  regionOf: ArmRequestRegion = () => undefined,
): EmulatorService {
  const compiled = compileRoutes(routes);

  const service: EmulatorService = {
    id: 'azure.arm',
    cloud: 'azure',
    mount: '/azure',
    errorResponse(kind, detail) {
      if (kind === 'throttled') {
        const seconds = detail.retryAfterSeconds ?? 1;
        return armError(
          429,
          'SubscriptionRequestsThrottled',
          `Number of requests for the subscription exceeded the limit. Please try again after '${seconds}' seconds. ${detail.message}`,
          {
            'retry-after': String(seconds),
            'x-ms-ratelimit-remaining-subscription-reads': '0',
            'x-ms-ratelimit-remaining-subscription-writes': '0',
          },
        );
      }
      if (kind === 'server-error') return armError(500, 'InternalServerError', detail.message);
      return armError(400, 'InvalidRequestContent', detail.message);
    },
    route(request) {
      if (!/^Bearer\s+\S+/i.test(String(request.headers.authorization ?? ''))) {
        return armError(
          401,
          'AuthenticationFailed',
          "Authentication failed. The 'Authorization' header is missing or is not a bearer token.",
          {
            'www-authenticate':
              'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"',
          },
        );
      }
      let segments: string[];
      try {
        segments = request.path.split('/').filter(Boolean).map(decodeURIComponent);
      } catch {
        return armError(400, 'InvalidRequestUri', `The request URI '${request.path}' is not valid.`);
      }
      const matches = matchRoutes(compiled, segments);
      if (matches.length === 0) {
        return armError(
          404,
          'NotFound',
          `No HTTP resource was found that matches the request URI '${request.path}'.`,
        );
      }
      const match = matches.find((candidate) => candidate.route.method === request.method);
      if (!match) {
        return armError(
          405,
          'MethodNotAllowed',
          `The requested resource does not support http method '${request.method}' in this emulator.`,
        );
      }

      const apiVersion = request.query.get('api-version');
      if (!apiVersion) {
        return armError(
          400,
          'MissingApiVersionParameter',
          'The api-version query parameter (?api-version=) is required for all requests.',
        );
      }
      const { route, params } = match;
      if (!apiVersionPattern.test(apiVersion) || (route.minApiVersion && apiVersion < route.minApiVersion)) {
        return armError(
          400,
          'InvalidApiVersionParameter',
          `The api-version '${apiVersion}' is invalid for '${route.operation}'.${route.minApiVersion ? ` The operation exists from api-version '${route.minApiVersion}'.` : ''}`,
        );
      }

      const mutating = route.mutating ?? route.method !== 'GET';
      const region = regionOf(params);
      const routeMatch: RouteMatch = {
        operation: route.operation,
        mutating,
        ...(region !== undefined && { region }),
        handle: ({ stuck }) => {
          world.operations.settle();
          return withArmHeaders(
            route.handle({ params, request, apiVersion, stuck }),
            mutating,
            world.newId(),
          );
        },
      };
      return routeMatch;
    },
  };
  return service;
}

/** The headers every ARM response carries. */
function withArmHeaders(response: EmulatorResponse, mutating: boolean, requestId: string): EmulatorResponse {
  return {
    ...response,
    headers: {
      'x-ms-request-id': requestId,
      'x-ms-correlation-request-id': requestId,
      'x-ms-routing-request-id': `EMULATOR:${requestId}`,
      [`x-ms-ratelimit-remaining-subscription-${mutating ? 'writes' : 'reads'}`]: mutating ? '1199' : '11999',
      ...response.headers,
    },
  };
}
