import type { DatabaseMember, DatabaseRole, DnsRecordSet } from '@failover/core';
import type { SimulatedResourceSeed } from './simulator-resource.js';

/** A hosted zone and its record sets. */
export interface SimulatedZoneSeed {
  /** Zone name, e.g. `example.com.`; a `DnsRecordRef.zone` matches it (trailing dot and case ignored) or `id`. */
  name: string;
  /** An id a ref may use instead of the name (a hosted-zone id). */
  id?: string;
  /** Region of the zone's control plane. Unset means global: a dark region never affects it. */
  region?: string;
  /** Record sets of any routing kind. Observed-only fields (`health`) are ignored. */
  records?: DnsRecordSet[];
  /**
   * Refuse a change (a retryable `throttled`, Route 53's PriorRequestNotComplete) while an
   * earlier change to the zone is still pending. Default false.
   */
  refusesChangesWhilePending?: boolean;
}

/** A health check a DNS target can name in `healthCheckId`. */
export interface SimulatedHealthCheckSeed {
  id: string;
  /** The checked endpoint's region: the check reports unhealthy while that region is dark. */
  region?: string;
  /** Default true. */
  healthy?: boolean;
}

/** A replicated database: one writer, any number of readers. */
export interface SimulatedDatabaseSeed {
  id: string;
  members: Array<{
    id: string;
    region: string;
    /** Availability zone: a Multi-AZ / HA standby is a reader in the writer's region, in another zone. */
    zone?: string;
    role: DatabaseRole;
    /** Default `available`. */
    status?: DatabaseMember['status'];
  }>;
  /**
   * Replication lag of every reader: `baseMs` plus a seeded wave of up to `jitterMs`
   * that grows and shrinks over simulated time. Defaults 200 ms and 800 ms.
   */
  lag?: { baseMs?: number; jitterMs?: number };
}

/** A node pool with its sizes. */
export interface SimulatedPoolSeed {
  cluster: string;
  pool: string;
  region?: string;
  desired: number;
  min: number;
  max: number;
  /** Nodes ready now. Default: `desired`. */
  ready?: number;
  /** Default false. */
  autoscaling?: boolean;
  zones?: number;
}

/** Everything `world.seed()` accepts: plain objects, so fixtures can live in JSON. */
export interface SimulatedSeed {
  /** Regions to know about even when nothing lives there. */
  regions?: string[];
  dns?: { zones?: SimulatedZoneSeed[]; healthChecks?: SimulatedHealthCheckSeed[] };
  databases?: SimulatedDatabaseSeed[];
  pools?: SimulatedPoolSeed[];
  /** Resources of the open kind, served by `world.resourceProvider()`. */
  resources?: SimulatedResourceSeed[];
}
