import { type AuthorizedRequester, encode, type GcpRequestOptions, withSlash } from './gcp-request.js';

/** Targets a Cloud DNS routing-policy item health-checks. */
export interface CloudDnsHealthCheckedTargets {
  internalLoadBalancers?: Array<{
    loadBalancerType?: string;
    ipAddress?: string;
    port?: string;
    ipProtocol?: string;
    networkUrl?: string;
    project?: string;
    region?: string;
  }>;
  externalEndpoints?: string[];
}

export interface CloudDnsWrrItem {
  weight?: number;
  rrdatas?: string[];
  healthCheckedTargets?: CloudDnsHealthCheckedTargets;
}

export interface CloudDnsGeoItem {
  location?: string;
  rrdatas?: string[];
  healthCheckedTargets?: CloudDnsHealthCheckedTargets;
}

/** `routingPolicy` of a record set: weighted round robin, geo, or primary/backup. */
export interface CloudDnsRoutingPolicy {
  healthCheck?: string;
  wrr?: { items?: CloudDnsWrrItem[] };
  geo?: { items?: CloudDnsGeoItem[]; enableFencing?: boolean };
  primaryBackup?: {
    primaryTargets?: CloudDnsHealthCheckedTargets;
    backupGeoTargets?: { items?: CloudDnsGeoItem[]; enableFencing?: boolean };
    trickleTraffic?: number;
  };
}

/** A resource record set on the wire (`dns#resourceRecordSet`). */
export interface CloudDnsRecordSet {
  kind?: string;
  name: string;
  type: string;
  ttl?: number;
  rrdatas?: string[];
  signatureRrdatas?: string[];
  routingPolicy?: CloudDnsRoutingPolicy;
}

/** A change (`dns#change`): `pending` until the authoritative servers have it, then `done`. */
export interface CloudDnsChange {
  kind?: string;
  id?: string;
  status?: 'pending' | 'done';
  startTime?: string;
  isServing?: boolean;
  additions?: CloudDnsRecordSet[];
  deletions?: CloudDnsRecordSet[];
}

export interface CloudDnsManagedZone {
  name?: string;
  dnsName?: string;
  id?: string;
  visibility?: string;
}

/** One page of `resourceRecordSets.list`; `rrsets` is absent when nothing matched. */
export interface CloudDnsRecordSetPage {
  rrsets?: CloudDnsRecordSet[];
  nextPageToken?: string;
}

/**
 * A small typed client for the Cloud DNS v1 REST calls the DNS provider needs.
 * There is no `@googleapis/dns` package, `googleapis` costs ~0.9 s to import and
 * `@google-cloud/dns` pulls in a second HTTP stack, so this sends the documented
 * requests through google-auth-library's authorised `request()` (gaxios, the
 * same transport the `@googleapis/*` clients use). SDK retries are off: the
 * executor owns retrying.
 */
export interface CloudDnsClient {
  getManagedZone(project: string, zone: string, options?: GcpRequestOptions): Promise<CloudDnsManagedZone>;
  listRecordSets(
    project: string,
    zone: string,
    query: { name?: string; type?: string; maxResults?: number; pageToken?: string },
    options?: GcpRequestOptions,
  ): Promise<CloudDnsRecordSetPage>;
  getRecordSet(
    project: string,
    zone: string,
    name: string,
    type: string,
    options?: GcpRequestOptions,
  ): Promise<CloudDnsRecordSet>;
  patchRecordSet(
    project: string,
    zone: string,
    name: string,
    type: string,
    body: CloudDnsRecordSet,
    options?: GcpRequestOptions,
  ): Promise<CloudDnsRecordSet>;
  createChange(
    project: string,
    zone: string,
    change: { additions?: CloudDnsRecordSet[]; deletions?: CloudDnsRecordSet[] },
    options?: GcpRequestOptions,
  ): Promise<CloudDnsChange>;
  getChange(
    project: string,
    zone: string,
    changeId: string,
    options?: GcpRequestOptions,
  ): Promise<CloudDnsChange>;
}

export function createCloudDnsClient(
  auth: AuthorizedRequester,
  rootUrl: string,
  requestTimeoutMs?: number,
): CloudDnsClient {
  const base = `${withSlash(rootUrl)}dns/v1/projects/`;
  const zoneUrl = (project: string, zone: string) => `${base}${encode(project)}/managedZones/${encode(zone)}`;
  const send = async <T>(
    url: string,
    method: 'GET' | 'POST' | 'PATCH',
    options: GcpRequestOptions = {},
    extra: { data?: unknown; params?: Record<string, string | number> } = {},
  ): Promise<T> => {
    const response = await auth.request<T>({
      url,
      method,
      retry: false,
      ...(extra.data !== undefined && { data: extra.data }),
      ...(extra.params !== undefined && { params: extra.params }),
      ...(options.signal && { signal: options.signal }),
      ...(requestTimeoutMs !== undefined && { timeout: requestTimeoutMs }),
    });
    return response.data;
  };

  return {
    getManagedZone: (project, zone, options) => send(zoneUrl(project, zone), 'GET', options),
    listRecordSets(project, zone, query, options) {
      const params = Object.fromEntries(
        Object.entries(query).filter(([, value]) => value !== undefined),
      ) as Record<string, string | number>;
      return send(`${zoneUrl(project, zone)}/rrsets`, 'GET', options, { params });
    },
    getRecordSet: (project, zone, name, type, options) =>
      send(`${zoneUrl(project, zone)}/rrsets/${encode(name)}/${encode(type)}`, 'GET', options),
    patchRecordSet: (project, zone, name, type, body, options) =>
      send(`${zoneUrl(project, zone)}/rrsets/${encode(name)}/${encode(type)}`, 'PATCH', options, {
        data: body,
      }),
    createChange: (project, zone, change, options) =>
      send(`${zoneUrl(project, zone)}/changes`, 'POST', options, {
        data: { kind: 'dns#change', ...change },
      }),
    getChange: (project, zone, changeId, options) =>
      send(`${zoneUrl(project, zone)}/changes/${encode(changeId)}`, 'GET', options),
  };
}
