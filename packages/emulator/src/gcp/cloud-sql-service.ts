import type { EmulatorResponse, EmulatorService, ServiceContext } from '../server/emulator-types.js';
import { CloudSqlWorld, type SqlApiRoot } from './cloud-sql-world.js';
import { googleFaultResponse, invalid, notFound } from './gcp-error.js';
import {
  decodeSegment,
  isResponse,
  jsonObjectBody,
  methodNotAllowed,
  ok,
  paginate,
  requireBearer,
  route,
} from './gcp-request.js';
import type { GcpSeed } from './gcp-seed.js';

// {root}/projects/{project}/(instances|operations)[/{name}[/(failover|promoteReplica|switchover)]]
const pathPattern =
  /^(\/v1|\/sql\/v1beta4)\/projects\/([^/]+)\/(instances|operations)(?:\/([^/]+)(?:\/(failover|promoteReplica|switchover))?)?\/?$/;

/**
 * Cloud SQL Admin v1 (and the identical v1beta4 paths): instances get, list,
 * insert (a primary or a read replica) and patch; HA failover, promoteReplica and switchover; operations get and list.
 * Mounted at `/gcp/sqladmin`.
 */
export function createCloudSqlService(context: ServiceContext, seed: GcpSeed): EmulatorService {
  const world = new CloudSqlWorld(context, seed);
  const settled =
    <A extends unknown[]>(handle: (...args: A) => EmulatorResponse) =>
    (...args: A): EmulatorResponse => {
      world.settle();
      return handle(...args);
    };

  return {
    id: 'gcp.sqladmin',
    cloud: 'gcp',
    mount: '/gcp/sqladmin',
    errorResponse: googleFaultResponse,
    route(request) {
      const unauthenticated = requireBearer(request);
      if (unauthenticated) return unauthenticated;
      const match = pathPattern.exec(request.path);
      if (!match) return notFound(`The requested URL ${request.path} was not found on this server.`);
      const root = match[1] as SqlApiRoot;
      const project = decodeSegment(match[2]!);
      const name = match[4] === undefined ? undefined : decodeSegment(match[4]);
      if (project === undefined || (match[4] !== undefined && name === undefined))
        return invalid('The request path is not valid percent-encoding.');
      const collection = match[3];
      const action = match[5];
      const { method, query } = request;
      // A request about an instance is served in the instance's region (a blackout there takes
      // it down); listing a project's instances goes to the global front end.
      const instanceRegion = (instance: string | undefined) =>
        instance === undefined ? undefined : world.regionOf(project, instance);

      if (collection === 'operations') {
        if (action !== undefined)
          return notFound(`The requested URL ${request.path} was not found on this server.`);
        if (method !== 'GET') return methodNotAllowed(method);
        if (name === undefined) {
          return route(
            'operations.list',
            false,
            settled(() => {
              const page = paginate(world.listOperations(project, query.get('instance'), root), query, 100);
              if (isResponse(page)) return page;
              return ok({
                kind: 'sql#operationsList',
                ...(page.page.length > 0 && { items: page.page }),
                ...(page.nextPageToken !== undefined && { nextPageToken: page.nextPageToken }),
              });
            }),
            instanceRegion(query.get('instance') ?? undefined),
          );
        }
        return route(
          'operations.get',
          false,
          settled(() => world.getOperation(project, name, root)),
          world.operationRegion(project, name),
        );
      }

      if (name === undefined) {
        if (method === 'POST') {
          // Served in the new instance's region: a blackout there refuses the create.
          const body = jsonObjectBody(request);
          const region = isResponse(body) || typeof body.region !== 'string' ? undefined : body.region;
          return route(
            'instances.insert',
            true,
            settled(({ stuck }) => (isResponse(body) ? body : world.insert(project, body, stuck, root))),
            region,
          );
        }
        if (method !== 'GET') return methodNotAllowed(method);
        return route(
          'instances.list',
          false,
          settled(() => {
            const page = paginate(world.list(project, root), query, 500);
            if (isResponse(page)) return page;
            return ok({
              kind: 'sql#instancesList',
              ...(page.page.length > 0 && { items: page.page }),
              ...(page.nextPageToken !== undefined && { nextPageToken: page.nextPageToken }),
            });
          }),
        );
      }

      if (action === undefined) {
        if (method === 'GET')
          return route(
            'instances.get',
            false,
            settled(() => world.get(project, name, root)),
            instanceRegion(name),
          );
        if (method === 'PATCH') {
          return route(
            'instances.patch',
            true,
            settled(({ stuck }) => {
              const body = jsonObjectBody(request);
              return isResponse(body) ? body : world.patch(project, name, body, stuck, root);
            }),
            instanceRegion(name),
          );
        }
        return methodNotAllowed(method);
      }

      if (method !== 'POST') return methodNotAllowed(method);
      if (action === 'failover') {
        return route(
          'instances.failover',
          true,
          settled(({ stuck }) => {
            const body = jsonObjectBody(request);
            return isResponse(body) ? body : world.failover(project, name, body, stuck, root);
          }),
          instanceRegion(name),
        );
      }
      if (action === 'promoteReplica') {
        return route(
          'instances.promoteReplica',
          true,
          settled(({ stuck }) => {
            const failover = query.get('failover');
            if (failover !== null && failover !== 'true' && failover !== 'false')
              return invalid(`Invalid value for 'failover': '${failover}'.`);
            return world.promoteReplica(project, name, failover === 'true', stuck, root);
          }),
          instanceRegion(name),
        );
      }
      return route(
        'instances.switchover',
        true,
        settled(({ stuck }) => world.switchover(project, name, query.get('dbTimeout'), stuck, root)),
        instanceRegion(name),
      );
    },
  };
}
