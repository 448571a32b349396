/** How a record set spreads answers across its targets. */
export type DnsRouting = 'simple' | 'weighted' | 'failover' | 'priority' | 'geo';

/** Where a record set lives. `zone` is a hosted zone / managed zone / profile group, as the provider defines. */
export interface DnsRecordRef {
  zone?: string;
  /** The DNS name (`api.example.com.`) or, for Traffic Manager, the profile name. */
  name: string;
  /** Record type, e.g. `A`, `CNAME`. Providers without types (Traffic Manager) ignore it. */
  type?: string;
}

/**
 * One answer a record set can give: a Route 53 record with a SetIdentifier, a
 * Traffic Manager endpoint, one item of a Cloud DNS routing policy.
 */
export interface DnsTarget {
  /** Stable id within the record set (SetIdentifier, endpoint name, policy item label). */
  id: string;
  /** The answers: IPs, a CNAME target, an alias DNS name, an endpoint FQDN. */
  values: string[];
  /** Weighted routing: relative weight (0 = takes no traffic). */
  weight?: number;
  /** Failover and priority routing: lower is preferred; failover uses 1 = primary, 2 = secondary. */
  priority?: number;
  /** False when the target is administratively out of rotation (disabled endpoint, inverted health check). */
  enabled: boolean;
  /** The health check that gates this target, if any. */
  healthCheckId?: string;
  /** Observed health; never part of a desired state. */
  health?: 'healthy' | 'unhealthy' | 'unknown';
  /** Region or geo location this target serves, when known. */
  location?: string;
}

/** A record set as observed. */
export interface DnsRecordSet {
  name: string;
  type: string;
  ttl: number;
  routing: DnsRouting;
  targets: DnsTarget[];
}
