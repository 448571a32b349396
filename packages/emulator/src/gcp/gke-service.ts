import type { EmulatorResponse, EmulatorService } from '../server/emulator-types.js';
import { googleFaultResponse, invalid, notFound } from './gcp-error.js';
import { gcpRegionOf } from './gcp-region.js';
import {
  decodeSegment,
  isResponse,
  jsonObjectBody,
  methodNotAllowed,
  ok,
  requireBearer,
  route,
} from './gcp-request.js';
import type { GkeWorld } from './gke-world.js';

// /v1/projects/{p}/locations/{l}/clusters/{c}[/nodePools[/{np}[:setSize|:setAutoscaling]]]
const clusterPattern =
  /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/clusters\/([^/:]+)(?:\/nodePools(?:\/([^/:]+)(?::(setSize|setAutoscaling))?)?)?\/?$/;
// /v1/projects/{p}/locations/{l}/operations[/{op}]
const operationPattern = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/operations(?:\/([^/:]+))?\/?$/;

/**
 * GKE (Container API v1, `locations` paths): clusters get, node pools get and
 * list, setSize, setAutoscaling, operations get and list. Mounted at `/gcp/container`.
 */
export function createGkeService(world: GkeWorld): EmulatorService {
  const settled =
    (handle: (stuck: boolean) => EmulatorResponse) =>
    ({ stuck }: { stuck: boolean }) => {
      world.settle();
      return handle(stuck);
    };

  return {
    id: 'gcp.container',
    cloud: 'gcp',
    mount: '/gcp/container',
    errorResponse: googleFaultResponse,
    route(request) {
      const unauthenticated = requireBearer(request);
      if (unauthenticated) return unauthenticated;
      const { method } = request;
      const opMatch = operationPattern.exec(request.path);
      const match = opMatch ?? clusterPattern.exec(request.path);
      if (!match) return notFound(`The requested URL ${request.path} was not found on this server.`);
      const parts = match.slice(1).map((part) => (part === undefined ? undefined : decodeSegment(part)));
      if (parts.some((part, index) => part === undefined && match[index + 1] !== undefined))
        return invalid('The request path is not valid percent-encoding.');

      if (opMatch) {
        const [project, location, name] = parts as [string, string, string | undefined];
        if (method !== 'GET') return methodNotAllowed(method);
        if (name === undefined) {
          return route(
            'projects.locations.operations.list',
            false,
            settled(() => ok({ operations: world.listOperations(project, location) })),
            gcpRegionOf(location),
          );
        }
        return route(
          'projects.locations.operations.get',
          false,
          settled(() => world.getOperation(project, location, name)),
          gcpRegionOf(location),
        );
      }

      // A cluster's requests are served in its region (a zonal cluster's zone is in one).
      const [project, location, cluster, pool, action] = parts as [string, string, string, string?, string?];
      const hasPools = request.path.includes('/nodePools');
      if (!hasPools) {
        if (method !== 'GET') return methodNotAllowed(method);
        return route(
          'projects.locations.clusters.get',
          false,
          settled(() => world.getCluster(project, location, cluster, request.headers.host)),
          gcpRegionOf(location),
        );
      }
      if (pool === undefined) {
        if (method !== 'GET') return methodNotAllowed(method);
        return route(
          'projects.locations.clusters.nodePools.list',
          false,
          settled(() => world.listPools(project, location, cluster)),
          gcpRegionOf(location),
        );
      }
      if (action === undefined) {
        if (method !== 'GET') return methodNotAllowed(method);
        return route(
          'projects.locations.clusters.nodePools.get',
          false,
          settled(() => world.getPool(project, location, cluster, pool)),
          gcpRegionOf(location),
        );
      }
      if (method !== 'POST') return methodNotAllowed(method);
      const operation =
        action === 'setSize'
          ? 'projects.locations.clusters.nodePools.setSize'
          : 'projects.locations.clusters.nodePools.setAutoscaling';
      return route(
        operation,
        true,
        settled((stuck) => {
          const body = jsonObjectBody(request);
          if (isResponse(body)) return body;
          return action === 'setSize'
            ? world.setSize(project, location, cluster, pool, body, stuck)
            : world.setAutoscaling(project, location, cluster, pool, body, stuck);
        }),
        gcpRegionOf(location),
      );
    },
  };
}
