import type { Endpoint, Profile } from '@azure/arm-trafficmanager';
import type { DnsRecordSet, DnsRouting, DnsTarget } from '@failover/core';

export type EndpointType = 'AzureEndpoints' | 'ExternalEndpoints' | 'NestedEndpoints';

/** A profile as the adapter works with it: the record set, plus what is needed to change and watch it. */
export interface ObservedProfile {
  recordSet: DnsRecordSet;
  routingMethod: string;
  profileStatus: string;
  relativeName?: string;
  /** Endpoint name -> what the record set does not carry. */
  endpoints: Map<string, ObservedEndpoint>;
}

/** What the adapter keeps of one endpoint beyond its target. */
export interface ObservedEndpoint {
  type: EndpointType;
  monitorStatus?: string;
  /** An Azure-resource endpoint: its target follows the resource and is not written. */
  hasResourceTarget: boolean;
  /** The endpoint as read, for a profile update that carries every endpoint back. */
  raw: Endpoint;
}

/** How Traffic Manager routing methods read as record-set routing. */
export function routingOf(method: string | undefined, priorityRouting: 'priority' | 'failover'): DnsRouting {
  switch ((method ?? '').toLowerCase()) {
    case 'priority':
      return priorityRouting;
    case 'weighted':
      return 'weighted';
    case 'performance':
    case 'geographic':
      return 'geo';
    default:
      return 'simple';
  }
}

/** The routing method a record-set routing is written as, when there is exactly one. */
export function methodOf(routing: DnsRouting): 'Priority' | 'Weighted' | undefined {
  if (routing === 'priority' || routing === 'failover') return 'Priority';
  if (routing === 'weighted') return 'Weighted';
  return undefined;
}

/** `Microsoft.Network/trafficManagerProfiles/azureEndpoints` -> `AzureEndpoints`. */
export function endpointTypeOf(type: string | undefined): EndpointType {
  const last = (type ?? '').split('/').at(-1)?.toLowerCase();
  if (last === 'azureendpoints') return 'AzureEndpoints';
  if (last === 'nestedendpoints') return 'NestedEndpoints';
  return 'ExternalEndpoints';
}

function healthOf(monitorStatus: string | undefined): DnsTarget['health'] {
  switch (monitorStatus) {
    case 'Online':
      return 'healthy';
    case 'Degraded':
    case 'Stopped':
      return 'unhealthy';
    default:
      return 'unknown';
  }
}

/**
 * A property the service may send as null as well as leave out: Traffic Manager answers
 * `"targetResourceId": null`, `"endpointLocation": null`, `"weight": null`… for what an
 * endpoint does not have. Both read as absent.
 */
export function present<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null && (value as unknown) !== '';
}

function targetOf(endpoint: Endpoint): DnsTarget {
  const value = present(endpoint.target) ? endpoint.target : endpoint.targetResourceId;
  return {
    id: endpoint.name ?? '',
    values: present(value) ? [value] : [],
    ...(present(endpoint.weight) && { weight: endpoint.weight }),
    ...(present(endpoint.priority) && { priority: endpoint.priority }),
    enabled: endpoint.endpointStatus === 'Enabled',
    health: healthOf(endpoint.endpointMonitorStatus ?? undefined),
    ...(present(endpoint.endpointLocation) && { location: endpoint.endpointLocation }),
  };
}

/**
 * A profile as a record set: one target per endpoint (id = endpoint name,
 * values = [target FQDN], weight, priority, enabled = endpoint status,
 * health = monitor status), the profile's DNS TTL and routing.
 */
export function observeProfile(
  profile: Profile,
  options: { name: string; recordType: string; priorityRouting: 'priority' | 'failover' },
): ObservedProfile {
  const endpoints = profile.endpoints ?? [];
  return {
    recordSet: {
      name: options.name,
      type: options.recordType,
      ttl: present(profile.dnsConfig?.ttl) ? profile.dnsConfig.ttl : 0,
      routing: routingOf(profile.trafficRoutingMethod, options.priorityRouting),
      targets: endpoints.map(targetOf),
    },
    routingMethod: profile.trafficRoutingMethod ?? '',
    profileStatus: profile.profileStatus ?? 'Enabled',
    ...(present(profile.dnsConfig?.relativeName) && { relativeName: profile.dnsConfig.relativeName }),
    endpoints: new Map(
      endpoints.map((endpoint) => [
        endpoint.name ?? '',
        {
          type: endpointTypeOf(endpoint.type),
          ...(present(endpoint.endpointMonitorStatus) && { monitorStatus: endpoint.endpointMonitorStatus }),
          // An external endpoint reads `"targetResourceId": null`: only a real id makes it a resource endpoint.
          hasResourceTarget: present(endpoint.targetResourceId),
          raw: endpoint,
        },
      ]),
    ),
  };
}
