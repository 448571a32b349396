import type { EmulatorResponse } from '../server/emulator-types.js';
import { armError, isErrorResponse, parseJsonObject, propertiesOf, resourceNotFound } from './arm-errors.js';
import type { ArmCall, ArmRoute } from './arm-route.js';
import type { ArmWorld } from './arm-world.js';
import type {
  AzureSeed,
  TrafficManagerEndpointType,
  TrafficManagerProfileSeed,
  TrafficManagerRoutingMethod,
} from './azure-seed.js';

interface Endpoint {
  type: TrafficManagerEndpointType;
  name: string;
  target?: string;
  targetResourceId?: string;
  status: 'Enabled' | 'Disabled';
  weight: number;
  priority: number;
  location?: string;
  healthy: boolean;
  /** When it was last enabled; it reports CheckingEndpoint for one probe period after. */
  enabledAt: number;
  /** A `stuck` fault hit a write to it: its probe never completes. */
  probeStuck?: boolean;
}

interface Profile {
  id: string;
  name: string;
  resourceGroup: string;
  routingMethod: string;
  status: 'Enabled' | 'Disabled';
  relativeName: string;
  ttl: number;
  monitor: Required<NonNullable<TrafficManagerProfileSeed['monitor']>>;
  endpoints: Endpoint[];
  tags: Record<string, string>;
}

const endpointTypes: readonly TrafficManagerEndpointType[] = [
  'AzureEndpoints',
  'ExternalEndpoints',
  'NestedEndpoints',
];
const routingMethods: readonly TrafficManagerRoutingMethod[] = [
  'Priority',
  'Weighted',
  'Performance',
  'Geographic',
  'MultiValue',
  'Subnet',
];
const profilePath =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/trafficmanagerprofiles/{profileName}';
const endpointPath = `${profilePath}/{endpointType}/{endpointName}`;

const badRequest = (message: string) => armError(400, 'BadRequest', message);
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
const oneOf = <T extends string>(values: readonly T[], value: unknown): T | undefined =>
  typeof value === 'string'
    ? values.find((candidate) => candidate.toLowerCase() === value.toLowerCase())
    : undefined;
const isIntIn = (value: unknown, min: number, max: number): value is number =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

/**
 * `Microsoft.Network/trafficmanagerprofiles` (api-version 2022-04-01): every
 * operation is synchronous. Endpoint monitor status follows the clock: an
 * endpoint just enabled reports `CheckingEndpoint` for one probe period, then
 * `Online` or `Degraded`; a disabled one reports `Disabled`.
 */
export function createTrafficManagerRoutes(world: ArmWorld, seed: AzureSeed): ArmRoute[] {
  const { clock } = world.context;
  const probeMs = world.context.duration('azure.trafficmanager.probe', 30_000);
  const profiles = new Map<string, Profile>();
  const key = (subscription: string, resourceGroup: string, name: string) =>
    `${subscription}/${resourceGroup}/${name}`.toLowerCase();

  for (const subscription of seed.subscriptions ?? []) {
    for (const group of subscription.resourceGroups ?? []) {
      for (const profile of group.trafficManagerProfiles ?? []) {
        profiles.set(key(subscription.id, group.name, profile.name), {
          id: `/subscriptions/${subscription.id}/resourceGroups/${group.name}/providers/Microsoft.Network/trafficManagerProfiles/${profile.name}`,
          name: profile.name,
          resourceGroup: group.name,
          routingMethod: profile.routingMethod,
          status: profile.profileStatus ?? 'Enabled',
          relativeName: profile.relativeName ?? profile.name.toLowerCase(),
          ttl: profile.ttl ?? 60,
          monitor: {
            protocol: profile.monitor?.protocol ?? 'HTTPS',
            port: profile.monitor?.port ?? 443,
            path: profile.monitor?.path ?? '/',
            intervalInSeconds: profile.monitor?.intervalInSeconds ?? 30,
            timeoutInSeconds: profile.monitor?.timeoutInSeconds ?? 10,
            toleratedNumberOfFailures: profile.monitor?.toleratedNumberOfFailures ?? 3,
          },
          endpoints: (profile.endpoints ?? []).map((endpoint, index) => ({
            type: endpoint.type ?? 'ExternalEndpoints',
            name: endpoint.name,
            target: endpoint.target,
            ...(endpoint.targetResourceId !== undefined && { targetResourceId: endpoint.targetResourceId }),
            status: endpoint.endpointStatus ?? 'Enabled',
            weight: endpoint.weight ?? 1,
            priority: endpoint.priority ?? index + 1,
            ...(endpoint.location !== undefined && { location: endpoint.location }),
            healthy: endpoint.healthy ?? true,
            enabledAt: Number.NEGATIVE_INFINITY,
          })),
          tags: { ...profile.tags },
        });
      }
    }
  }

  const monitorStatus = (profile: Profile, endpoint: Endpoint): string => {
    if (profile.status === 'Disabled') return 'Inactive';
    if (endpoint.status === 'Disabled') return 'Disabled';
    if (endpoint.probeStuck || clock.now() < endpoint.enabledAt + probeMs) return 'CheckingEndpoint';
    return endpoint.healthy ? 'Online' : 'Degraded';
  };

  const profileMonitorStatus = (profile: Profile): string => {
    if (profile.status === 'Disabled') return 'Disabled';
    const statuses = profile.endpoints.map((endpoint) => monitorStatus(profile, endpoint));
    const active = statuses.filter((status) => status !== 'Disabled');
    if (active.length === 0) return 'Inactive';
    if (active.includes('Online')) return 'Online';
    if (active.includes('CheckingEndpoint')) return 'CheckingEndpoints';
    return 'Degraded';
  };

  const endpointView = (profile: Profile, endpoint: Endpoint) => ({
    id: `${profile.id}/${lowerFirst(endpoint.type)}/${endpoint.name}`,
    name: endpoint.name,
    type: `Microsoft.Network/trafficManagerProfiles/${lowerFirst(endpoint.type)}`,
    // The service answers every property, with null where an endpoint has none
    // (an external endpoint's targetResourceId, a non-nested one's minChildEndpoints).
    properties: {
      targetResourceId: endpoint.targetResourceId ?? null,
      target: endpoint.target ?? null,
      endpointStatus: endpoint.status,
      weight: endpoint.weight,
      priority: endpoint.priority,
      endpointLocation: endpoint.location ?? null,
      endpointMonitorStatus: monitorStatus(profile, endpoint),
      minChildEndpoints: null,
      minChildEndpointsIPv4: null,
      minChildEndpointsIPv6: null,
      geoMapping: null,
      subnets: [],
      customHeaders: [],
      alwaysServe: 'Disabled',
    },
  });

  const profileView = (profile: Profile) => ({
    id: profile.id,
    name: profile.name,
    type: 'Microsoft.Network/trafficManagerProfiles',
    location: 'global',
    tags: { ...profile.tags },
    properties: {
      profileStatus: profile.status,
      trafficRoutingMethod: profile.routingMethod,
      dnsConfig: {
        relativeName: profile.relativeName,
        fqdn: `${profile.relativeName}.trafficmanager.net`,
        ttl: profile.ttl,
      },
      monitorConfig: {
        profileMonitorStatus: profileMonitorStatus(profile),
        ...profile.monitor,
        customHeaders: [],
        expectedStatusCodeRanges: [{ min: 200, max: 299 }],
      },
      endpoints: profile.endpoints.map((endpoint) => endpointView(profile, endpoint)),
      trafficViewEnrollmentStatus: 'Disabled',
      allowedEndpointRecordTypes: ['DomainName'],
      // Only MultiValue profiles have a maxReturn; the others answer null.
      maxReturn: profile.routingMethod === 'MultiValue' ? 0 : null,
    },
  });

  const findProfile = ({ params }: ArmCall): Profile | EmulatorResponse => {
    const scope = world.scopeError(params.subscriptionId!, params.resourceGroupName!);
    if (scope) return scope;
    return (
      profiles.get(key(params.subscriptionId!, params.resourceGroupName!, params.profileName!)) ??
      resourceNotFound(
        'Microsoft.Network/trafficmanagerprofiles',
        params.profileName!,
        world.resourceGroupName(params.subscriptionId!, params.resourceGroupName!),
      )
    );
  };

  const findEndpoint = (
    call: ArmCall,
    allowMissing: boolean,
  ): { profile: Profile; type: TrafficManagerEndpointType; endpoint?: Endpoint } | EmulatorResponse => {
    const profile = findProfile(call);
    if (isErrorResponse(profile)) return profile;
    const type = oneOf(endpointTypes, call.params.endpointType);
    if (!type) {
      return badRequest(
        `The endpoint type '${call.params.endpointType}' is not valid. Valid types are ${endpointTypes.join(', ')}.`,
      );
    }
    const name = call.params.endpointName!.toLowerCase();
    const endpoint = profile.endpoints.find(
      (candidate) => candidate.type === type && candidate.name.toLowerCase() === name,
    );
    if (!endpoint && !allowMissing) {
      return armError(
        404,
        'NotFound',
        `The endpoint '${call.params.endpointName}' of type '${type}' does not exist in profile '${profile.name}'.`,
      );
    }
    return { profile, type, ...(endpoint && { endpoint }) };
  };

  /**
   * `start` with the request's properties applied and validated, as a new
   * endpoint; `previous` is the stored one it replaces, if any.
   */
  const applyEndpointProperties = (
    profile: Profile,
    previous: Endpoint | undefined,
    start: Endpoint,
    properties: Record<string, unknown>,
    /** The endpoints it must not clash with; default: the profile's others. */
    others?: readonly Endpoint[],
  ): Endpoint | EmulatorResponse => {
    const next: Endpoint = { ...start };
    if (properties.target !== undefined) {
      if (typeof properties.target !== 'string' || properties.target.trim() === '')
        return badRequest('The endpoint target must be a non-empty string.');
      next.target = properties.target;
    }
    if (properties.targetResourceId !== undefined) {
      if (typeof properties.targetResourceId !== 'string')
        return badRequest('The endpoint targetResourceId must be a string.');
      next.targetResourceId = properties.targetResourceId;
    }
    if (properties.endpointStatus !== undefined) {
      const status = oneOf(['Enabled', 'Disabled'] as const, properties.endpointStatus);
      if (!status)
        return badRequest(`The endpoint status '${String(properties.endpointStatus)}' is not valid.`);
      next.status = status;
    }
    if (properties.weight !== undefined) {
      if (!isIntIn(properties.weight, 1, 1000))
        return badRequest(
          `The endpoint weight must be an integer between 1 and 1000; got '${String(properties.weight)}'.`,
        );
      next.weight = properties.weight;
    }
    if (properties.priority !== undefined) {
      if (!isIntIn(properties.priority, 1, 1000))
        return badRequest(
          `The endpoint priority must be an integer between 1 and 1000; got '${String(properties.priority)}'.`,
        );
      next.priority = properties.priority;
    }
    if (properties.endpointLocation !== undefined) {
      if (typeof properties.endpointLocation !== 'string')
        return badRequest('The endpoint location must be a string.');
      next.location = properties.endpointLocation;
    }
    if (next.type === 'AzureEndpoints' ? !next.targetResourceId && !next.target : !next.target) {
      return badRequest(
        next.type === 'AzureEndpoints'
          ? 'An Azure endpoint needs a targetResourceId.'
          : 'The endpoint target is required.',
      );
    }
    if (profile.routingMethod === 'Performance' && next.type !== 'AzureEndpoints' && !next.location) {
      return badRequest('Endpoints of a profile with Performance routing need an endpointLocation.');
    }
    const clash = uniquenessError(profile, others ?? profile.endpoints.filter((o) => o !== previous), next);
    if (clash) return clash;
    // The monitor probes an endpoint again when it comes back into rotation.
    const wasEnabled = previous?.status === 'Enabled';
    next.enabledAt =
      next.status === 'Enabled' && !wasEnabled ? clock.now() : (previous?.enabledAt ?? clock.now());
    return next;
  };

  /**
   * The endpoint list a profile update carries: it is the profile's new set of
   * endpoints, each merged over the stored one of the same name and type, all
   * validated together (so two endpoints may swap priorities in one update).
   */
  const replaceEndpoints = (profile: Profile, list: unknown): Endpoint[] | EmulatorResponse => {
    if (!Array.isArray(list)) return badRequest('endpoints must be an array.');
    const next: Endpoint[] = [];
    for (const item of list as unknown[]) {
      if (typeof item !== 'object' || item === null) return badRequest('Every endpoint must be an object.');
      const entry = item as { name?: unknown; type?: unknown; properties?: unknown };
      if (typeof entry.name !== 'string' || entry.name === '')
        return badRequest('Every endpoint of a profile needs a name.');
      const type = oneOf(
        endpointTypes,
        String(entry.type ?? '')
          .split('/')
          .at(-1),
      );
      if (!type) return badRequest(`The endpoint type '${String(entry.type)}' is not valid.`);
      const properties = propertiesOf(entry as Record<string, unknown>);
      if (isErrorResponse(properties)) return properties;
      const name = entry.name.toLowerCase();
      const previous = profile.endpoints.find(
        (candidate) => candidate.type === type && candidate.name.toLowerCase() === name,
      );
      const start: Endpoint = previous ?? {
        type,
        name: entry.name,
        status: 'Enabled',
        weight: 1,
        priority: nextFreePriority(profile),
        healthy: true,
        enabledAt: clock.now(),
      };
      const endpoint = applyEndpointProperties(profile, previous, start, withoutNulls(properties), next);
      if (isErrorResponse(endpoint)) return endpoint;
      next.push(endpoint);
    }
    return next;
  };

  const writeEndpoint = (call: ArmCall, replace: boolean): EmulatorResponse => {
    const found = findEndpoint(call, replace);
    if (isErrorResponse(found)) return found;
    const body = parseJsonObject(call.request.body);
    if (isErrorResponse(body)) return body;
    const properties = propertiesOf(body);
    if (isErrorResponse(properties)) return properties;
    const { profile, type, endpoint: previous } = found;
    // A PATCH merges into the stored endpoint; a PUT replaces its definition (defaults for
    // what it leaves out) but keeps its priority slot and what the monitor knows.
    const start: Endpoint =
      previous && !replace
        ? previous
        : {
            type,
            name: previous?.name ?? call.params.endpointName!,
            status: 'Enabled',
            weight: 1,
            priority: previous?.priority ?? nextFreePriority(profile),
            healthy: previous?.healthy ?? true,
            enabledAt: previous?.enabledAt ?? clock.now(),
          };
    const next = applyEndpointProperties(profile, previous, start, withoutNulls(properties));
    if (isErrorResponse(next)) return next;
    // Traffic Manager applies writes at once; what can hang is the health probe of the endpoint.
    if (call.stuck) next.probeStuck = true;
    if (previous) profile.endpoints[profile.endpoints.indexOf(previous)] = next;
    else profile.endpoints.push(next);
    return { status: previous ? 200 : 201, body: endpointView(profile, next) };
  };

  return [
    {
      method: 'GET',
      pattern:
        '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/trafficmanagerprofiles',
      operation: 'Profiles_ListByResourceGroup',
      handle({ params }) {
        const scope = world.scopeError(params.subscriptionId!, params.resourceGroupName!);
        if (scope) return scope;
        const prefix = key(params.subscriptionId!, params.resourceGroupName!, '');
        const value = [...profiles.entries()]
          .filter(([id]) => id.startsWith(prefix))
          .map(([, p]) => profileView(p));
        return { status: 200, body: { value } };
      },
    },
    {
      method: 'GET',
      pattern: profilePath,
      operation: 'Profiles_Get',
      handle(call) {
        const profile = findProfile(call);
        return isErrorResponse(profile) ? profile : { status: 200, body: profileView(profile) };
      },
    },
    {
      method: 'PATCH',
      pattern: profilePath,
      operation: 'Profiles_Update',
      handle(call) {
        const profile = findProfile(call);
        if (isErrorResponse(profile)) return profile;
        const body = parseJsonObject(call.request.body);
        if (isErrorResponse(body)) return body;
        const properties = propertiesOf(body);
        if (isErrorResponse(properties)) return properties;
        const next = updateProfile(profile, properties);
        if (isErrorResponse(next)) return next;
        if (properties.endpoints !== undefined) {
          const endpoints = replaceEndpoints(profile, properties.endpoints);
          if (isErrorResponse(endpoints)) return endpoints;
          // What can hang is the health probe of the endpoints the update rewrote.
          if (call.stuck) for (const endpoint of endpoints) endpoint.probeStuck = true;
          next.endpoints = endpoints;
        }
        if (body.tags !== undefined) {
          if (typeof body.tags !== 'object' || body.tags === null)
            return badRequest('Tags must be an object.');
          next.tags = { ...(body.tags as Record<string, string>) };
        }
        Object.assign(profile, next);
        return { status: 200, body: profileView(profile) };
      },
    },
    {
      method: 'GET',
      pattern: endpointPath,
      operation: 'Endpoints_Get',
      handle(call) {
        const found = findEndpoint(call, false);
        if (isErrorResponse(found)) return found;
        return { status: 200, body: endpointView(found.profile, found.endpoint!) };
      },
    },
    {
      method: 'PATCH',
      pattern: endpointPath,
      operation: 'Endpoints_Update',
      handle: (call) => writeEndpoint(call, false),
    },
    {
      method: 'PUT',
      pattern: endpointPath,
      operation: 'Endpoints_CreateOrUpdate',
      handle: (call) => writeEndpoint(call, true),
    },
  ];
}

/** A duplicate name or priority among `others` and `next`, as the service refuses it. */
function uniquenessError(
  profile: Profile,
  others: readonly Endpoint[],
  next: Endpoint,
): EmulatorResponse | undefined {
  for (const other of others) {
    if (other.name.toLowerCase() === next.name.toLowerCase()) {
      return badRequest(`An endpoint named '${other.name}' already exists in profile '${profile.name}'.`);
    }
    if (other.priority === next.priority) {
      return badRequest(
        `Endpoint priorities must be unique within a profile: '${other.name}' already has priority ${next.priority}.`,
      );
    }
  }
  return undefined;
}

/** Properties sent back as read carry nulls for what an endpoint does not have; null means "none". */
function withoutNulls(properties: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== null));
}

function nextFreePriority(profile: Profile): number {
  const used = new Set(profile.endpoints.map((endpoint) => endpoint.priority));
  let priority = 1;
  while (used.has(priority)) priority++;
  return priority;
}

/** The profile after a PATCH's properties, validated; the stored profile is untouched. */
function updateProfile(profile: Profile, properties: Record<string, unknown>): Profile | EmulatorResponse {
  const next: Profile = { ...profile, monitor: { ...profile.monitor } };
  if (properties.profileStatus !== undefined) {
    const status = oneOf(['Enabled', 'Disabled'] as const, properties.profileStatus);
    if (!status) return badRequest(`The profile status '${String(properties.profileStatus)}' is not valid.`);
    next.status = status;
  }
  if (properties.trafficRoutingMethod !== undefined) {
    const method = oneOf(routingMethods, properties.trafficRoutingMethod);
    if (!method)
      return badRequest(
        `The traffic routing method '${String(properties.trafficRoutingMethod)}' is not valid.`,
      );
    next.routingMethod = method;
  }
  const dnsConfig = properties.dnsConfig;
  if (dnsConfig !== undefined) {
    if (typeof dnsConfig !== 'object' || dnsConfig === null)
      return badRequest('dnsConfig must be an object.');
    const { ttl, relativeName } = dnsConfig as { ttl?: unknown; relativeName?: unknown };
    if (ttl !== undefined) {
      if (!isIntIn(ttl, 0, 2_147_483_647))
        return badRequest(
          `The DNS TTL must be a non-negative integer number of seconds; got '${String(ttl)}'.`,
        );
      next.ttl = ttl;
    }
    if (relativeName !== undefined && String(relativeName).toLowerCase() !== profile.relativeName) {
      return badRequest('The relative DNS name of a profile cannot be changed.');
    }
  }
  const monitor = properties.monitorConfig;
  if (monitor !== undefined) {
    if (typeof monitor !== 'object' || monitor === null)
      return badRequest('monitorConfig must be an object.');
    const m = monitor as Record<string, unknown>;
    if (m.protocol !== undefined) {
      const protocol = oneOf(['HTTP', 'HTTPS', 'TCP'] as const, m.protocol);
      if (!protocol) return badRequest(`The monitor protocol '${String(m.protocol)}' is not valid.`);
      next.monitor.protocol = protocol;
    }
    if (m.port !== undefined) {
      if (!isIntIn(m.port, 1, 65_535)) return badRequest('The monitor port must be between 1 and 65535.');
      next.monitor.port = m.port;
    }
    if (m.path !== undefined) {
      if (typeof m.path !== 'string' || !m.path.startsWith('/'))
        return badRequest("The monitor path must start with '/'.");
      next.monitor.path = m.path;
    }
    if (m.intervalInSeconds !== undefined) {
      if (m.intervalInSeconds !== 10 && m.intervalInSeconds !== 30)
        return badRequest('The monitor interval must be 10 or 30 seconds.');
      next.monitor.intervalInSeconds = m.intervalInSeconds;
    }
    if (m.timeoutInSeconds !== undefined) {
      if (!isIntIn(m.timeoutInSeconds, 5, 10))
        return badRequest('The monitor timeout must be 5 to 10 seconds.');
      next.monitor.timeoutInSeconds = m.timeoutInSeconds;
    }
    if (m.toleratedNumberOfFailures !== undefined) {
      if (!isIntIn(m.toleratedNumberOfFailures, 0, 9))
        return badRequest('The tolerated number of failures must be 0 to 9.');
      next.monitor.toleratedNumberOfFailures = m.toleratedNumberOfFailures;
    }
  }
  return next;
}
