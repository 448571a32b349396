import type { EmulatorService, ServiceContext } from '../server/emulator-types.js';
import { createCloudDnsService } from './cloud-dns-service.js';
import { createCloudMonitoringService } from './cloud-monitoring-service.js';
import { createCloudSqlService } from './cloud-sql-service.js';
import { createCloudStorageService } from './cloud-storage-service.js';
import { createComputeService } from './compute-service.js';
import type { GcpSeed } from './gcp-seed.js';
import { createGkeService } from './gke-service.js';
import { GkeWorld } from './gke-world.js';

export type { CloudMonitoringSeed, ScriptedTimeSeriesSeed } from './cloud-monitoring-seed.js';
export type {
  CloudDnsHealthCheckedTargetsSeed,
  CloudDnsRecordSetSeed,
  CloudDnsRoutingPolicySeed,
  CloudDnsZoneSeed,
  CloudSqlInstanceSeed,
  GcpProjectSeed,
  GcpSeed,
  GkeClusterSeed,
  GkeNodePoolSeed,
} from './gcp-seed.js';

/**
 * The Google Cloud services of the emulator: Cloud DNS (`/gcp/dns`), Cloud SQL
 * Admin (`/gcp/sqladmin`), GKE (`/gcp/container`) and the Compute Engine
 * instance-group read GKE pool sizes come from (`/gcp/compute`). Point a
 * Google client at `${emulator.endpoint('gcp.sqladmin')}/` as its `rootUrl`.
 *
 * Modelled durations (override with `startEmulator({ durations })`):
 * `gcp.dns.change` 30 s, `gcp.sql.failover` 60 s, `gcp.sql.promoteReplica` 120 s,
 * `gcp.sql.switchover` 180 s (+ replica lag), `gcp.sql.update` 10 s,
 * `gcp.gke.setSize` 120 s, `gcp.gke.setAutoscaling` 30 s.
 */
export function createGcpServices(context: ServiceContext, seed: GcpSeed = {}): EmulatorService[] {
  const gke = new GkeWorld(context, seed);
  return [
    createCloudDnsService(context, seed),
    createCloudSqlService(context, seed),
    createGkeService(gke),
    createComputeService(gke),
    createCloudMonitoringService(context, seed.monitoring),
    createCloudStorageService(context),
  ];
}
