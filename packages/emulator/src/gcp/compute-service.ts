import type { EmulatorService } from '../server/emulator-types.js';
import { googleFaultResponse, invalid, notFound } from './gcp-error.js';
import { gcpRegionOf } from './gcp-region.js';
import { decodeSegment, methodNotAllowed, ok, requireBearer, route } from './gcp-request.js';
import type { GkeWorld } from './gke-world.js';

const pattern = /^\/compute\/v1\/projects\/([^/]+)\/zones\/([^/]+)\/instanceGroupManagers\/([^/]+)\/?$/;

/**
 * The one Compute Engine call a GKE node-pool reader needs: the instance group
 * manager behind each zone of a pool (`targetSize` and `currentActions`), which
 * is where GKE keeps a pool's real size. Mounted at `/gcp/compute`.
 */
export function createComputeService(world: GkeWorld): EmulatorService {
  return {
    id: 'gcp.compute',
    cloud: 'gcp',
    mount: '/gcp/compute',
    errorResponse: googleFaultResponse,
    route(request) {
      const unauthenticated = requireBearer(request);
      if (unauthenticated) return unauthenticated;
      const match = pattern.exec(request.path);
      if (!match) return notFound(`The requested URL ${request.path} was not found on this server.`);
      const [project, zone, name] = match.slice(1).map((part) => decodeSegment(part!));
      if (project === undefined || zone === undefined || name === undefined)
        return invalid('The request path is not valid percent-encoding.');
      if (request.method !== 'GET') return methodNotAllowed(request.method);
      // Zonal: served in the zone's region (a blackout there takes it down).
      return route(
        'instanceGroupManagers.get',
        false,
        () => {
          world.settle();
          const group = world.instanceGroup(project, zone, name);
          if (!group)
            return notFound(
              `The resource 'projects/${project}/zones/${zone}/instanceGroupManagers/${name}' was not found`,
            );
          const zoneUrl = `https://www.googleapis.com/compute/v1/projects/${project}/zones/${zone}`;
          const growing = Math.max(0, group.targetSize - group.running);
          const shrinking = Math.max(0, group.running - group.targetSize);
          return ok({
            kind: 'compute#instanceGroupManager',
            name,
            zone: zoneUrl,
            baseInstanceName: name.replace(/-grp$/, ''),
            instanceGroup: `${zoneUrl}/instanceGroups/${name}`,
            targetSize: group.targetSize,
            currentActions: {
              none: Math.min(group.running, group.targetSize),
              creating: growing,
              deleting: shrinking,
              abandoning: 0,
              recreating: 0,
              refreshing: 0,
              restarting: 0,
              verifying: 0,
              creatingWithoutRetries: 0,
            },
            status: { isStable: growing === 0 && shrinking === 0 },
            selfLink: `${zoneUrl}/instanceGroupManagers/${name}`,
          });
        },
        gcpRegionOf(zone),
      );
    },
  };
}
