import type {
  EmulatorResponse,
  EmulatorService,
  HandleOptions,
  ServiceContext,
} from '../server/emulator-types.js';
import { CloudDnsZone } from './cloud-dns-zone.js';
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

// /dns/v1/projects/{project}/managedZones[/{zone}[/(rrsets|changes)[/{a}[/{b}]]]]
const pathPattern =
  /^\/dns\/v1\/projects\/([^/]+)\/managedZones(?:\/([^/]+)(?:\/(rrsets|changes)(?:\/([^/]+)(?:\/([^/]+))?)?)?)?\/?$/;

/**
 * Cloud DNS v1: managed zones (get, list), resource record sets (list with
 * pagination, get, create, patch, delete) and changes (create, get, list).
 * Mounted at `/gcp/dns`; clients use `${endpoint('gcp.dns')}/` as root URL.
 */
export function createCloudDnsService(context: ServiceContext, seed: GcpSeed): EmulatorService {
  const changeMs = context.duration('gcp.dns.change', 30_000);
  const zones = new Map<string, CloudDnsZone[]>();
  let nextId = 1000;
  for (const project of seed.projects ?? []) {
    const list = (project.managedZones ?? []).map(
      (zone) => new CloudDnsZone(zone, zone.id ?? String(nextId++), () => context.clock.now(), changeMs),
    );
    zones.set(project.id, list);
  }

  const findZone = (project: string, zone: string) =>
    zones.get(project)?.find((candidate) => candidate.name === zone || candidate.id === zone);
  const zoneMissing = (zone: string) =>
    notFound(`The 'parameters.managedZone' resource named '${zone}' does not exist.`);

  return {
    id: 'gcp.dns',
    cloud: 'gcp',
    mount: '/gcp/dns',
    errorResponse: googleFaultResponse,
    route(request) {
      const unauthenticated = requireBearer(request);
      if (unauthenticated) return unauthenticated;
      const match = pathPattern.exec(request.path);
      if (!match) return notFound(`The requested URL ${request.path} was not found on this server.`);
      const segments = match
        .slice(1)
        .map((segment) => (segment === undefined ? undefined : decodeSegment(segment)));
      if (segments.some((segment, index) => segment === undefined && match[index + 1] !== undefined))
        return invalid('The request path is not valid percent-encoding.');
      const [project, zoneName, collection, first, second] = segments as Array<string | undefined>;
      const { method, query } = request;

      if (zoneName === undefined) {
        if (method !== 'GET') return methodNotAllowed(method);
        return route('managedZones.list', false, () => {
          const list = zones.get(project!) ?? [];
          return ok({
            kind: 'dns#managedZonesListResponse',
            managedZones: list.map((z) => z.toManagedZone()),
          });
        });
      }
      const withZone =
        (handle: (zone: CloudDnsZone, call: HandleOptions) => EmulatorResponse) => (call: HandleOptions) => {
          const zone = findZone(project!, zoneName);
          return zone ? handle(zone, call) : zoneMissing(zoneName);
        };

      if (collection === undefined) {
        if (method !== 'GET') return methodNotAllowed(method);
        return route(
          'managedZones.get',
          false,
          withZone((zone) => ok(zone.toManagedZone())),
        );
      }

      if (collection === 'rrsets') {
        if (first === undefined) {
          if (method === 'GET') {
            return route(
              'resourceRecordSets.list',
              false,
              withZone((zone) => {
                const name = query.get('name') ?? undefined;
                const type = query.get('type') ?? undefined;
                if (type !== undefined && name === undefined)
                  return invalid("The 'parameters.type' filter needs 'parameters.name' as well.");
                const page = paginate(zone.list(name, type), query, 100);
                if (isResponse(page)) return page;
                // The real service leaves `rrsets` out when nothing matches.
                return ok({
                  kind: 'dns#resourceRecordSetsListResponse',
                  ...(page.page.length > 0 && { rrsets: page.page }),
                  ...(page.nextPageToken !== undefined && { nextPageToken: page.nextPageToken }),
                });
              }),
            );
          }
          if (method === 'POST') {
            return route(
              'resourceRecordSets.create',
              true,
              withZone((zone) => {
                const body = jsonObjectBody(request);
                return isResponse(body) ? body : zone.create(body);
              }),
            );
          }
          return methodNotAllowed(method);
        }
        if (second === undefined)
          return notFound(`The requested URL ${request.path} was not found on this server.`);
        const missing = () =>
          notFound(`The resource 'entity.rrset' named '${first} (${second})' does not exist.`);
        if (method === 'GET') {
          return route(
            'resourceRecordSets.get',
            false,
            withZone((zone) => {
              const record = zone.get(first, second);
              return record ? ok(record) : missing();
            }),
          );
        }
        if (method === 'PATCH') {
          return route(
            'resourceRecordSets.patch',
            true,
            withZone((zone) => {
              const body = jsonObjectBody(request);
              return isResponse(body) ? body : zone.patch(first, second, body);
            }),
          );
        }
        if (method === 'DELETE') {
          return route(
            'resourceRecordSets.delete',
            true,
            withZone((zone) => zone.delete(first, second)),
          );
        }
        return methodNotAllowed(method);
      }

      // changes
      if (second !== undefined)
        return notFound(`The requested URL ${request.path} was not found on this server.`);
      if (first === undefined) {
        if (method === 'POST') {
          return route(
            'changes.create',
            true,
            withZone((zone, { stuck }) => {
              const body = jsonObjectBody(request);
              return isResponse(body) ? body : zone.createChange(body, stuck);
            }),
          );
        }
        if (method === 'GET') {
          return route(
            'changes.list',
            false,
            withZone((zone) => {
              const page = paginate(zone.listChanges(), query, 100);
              if (isResponse(page)) return page;
              return ok({
                kind: 'dns#changesListResponse',
                ...(page.page.length > 0 && { changes: page.page }),
                ...(page.nextPageToken !== undefined && { nextPageToken: page.nextPageToken }),
              });
            }),
          );
        }
        return methodNotAllowed(method);
      }
      if (method !== 'GET') return methodNotAllowed(method);
      return route(
        'changes.get',
        false,
        withZone((zone) => {
          const change = zone.getChange(first);
          return change
            ? ok(change)
            : notFound(`The 'parameters.changeId' resource named '${first}' does not exist.`);
        }),
      );
    },
  };
}
